import Composer
import Testing

@Suite struct StreamingSectionsTests {
    static let answers = [
        "First paragraph.\nSecond one.\n\n\nThird.",
        "# Title\n1. One\n2) Two\n**Paragraph 3:** Three\n- four\n",
        "  leading\n   spaced\n\t\ttabs\n\nend\n\n",
        "only one line",
        "",
        "\n\n\n",
        String(repeating: "line\n", count: 70),
    ]

    /// Fed in pieces of every size, the stream gives what the whole-text parser gives.
    @Test(arguments: [PromptFamily.instruct, .xcomposer])
    func piecesGiveTheSameSectionsAsTheWholeAnswer(family: PromptFamily) {
        let parsers = ComposeParsers(family: family)
        for answer in Self.answers {
            let whole = parsers.article(answer).value
            for size in [1, 2, 3, 7, 1000] {
                var stream = StreamingSections(parsers: parsers)
                var got: [String] = []
                var piece = ""
                for character in answer {
                    piece.append(character)
                    if piece.count == size { got += stream.feed(piece); piece = "" }
                }
                got += stream.feed(piece)
                got += stream.finish()
                #expect(got == whole, "family \(family), size \(size), answer \(answer.debugDescription)")
            }
        }
    }

    @Test func aLineIsOnlyASectionOnceItEnds() {
        var stream = StreamingSections(parsers: ComposeParsers(family: .instruct))
        #expect(stream.feed("1. Flour and wa").isEmpty)
        #expect(stream.pendingPreview == "Flour and wa")
        #expect(stream.feed("ter.\n2. Yea") == ["Flour and water."])
        #expect(stream.finish() == ["Yea"])
    }
}
