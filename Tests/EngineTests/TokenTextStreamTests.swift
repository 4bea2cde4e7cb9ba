import Testing
@testable import Engine

@Suite struct TokenTextStreamTests {
    private func run(_ pieces: [String], stops: [String]) -> (emitted: [String], stopped: Bool, tail: String) {
        var stream = TokenTextStream(stopStrings: stops)
        var emitted: [String] = []
        for piece in pieces {
            emitted.append(stream.append(Array(piece.utf8)))
            if stream.stopped { break }
        }
        return (emitted, stream.stopped, stream.finish())
    }

    @Test func splitCharactersWaitForTheirLastByte() {
        var stream = TokenTextStream()
        #expect(stream.append([0x61, 0xC3]) == "a")
        #expect(stream.append([0xA9]) == "é")
        #expect(stream.append([0xF0, 0x9F]) == "")
        #expect(stream.append([0x98]) == "")
        #expect(stream.append([0x80, 0x21]) == "😀!")
        #expect(stream.finish() == "")
    }

    @Test func unfinishedCharacterAtTheEndBecomesAReplacement() {
        var stream = TokenTextStream()
        #expect(stream.append([0x62, 0xE2, 0x82]) == "b")
        #expect(stream.finish() == "\u{FFFD}")
    }

    @Test func invalidBytesDoNotStallTheStream() {
        var stream = TokenTextStream()
        #expect(stream.append([0x80, 0x41]) == "\u{FFFD}A")
    }

    @Test func stopStringAcrossTokensIsNotEmitted() {
        let result = run(["Hello <", "|end", "|> more"], stops: ["<|end|>"])
        #expect(result.emitted == ["Hello ", "", ""])
        #expect(result.stopped)
        #expect(result.tail == "")
    }

    @Test func heldBackTextIsReleasedWhenTheMatchFails() {
        let result = run(["a<", "|e", "x"], stops: ["<|end|>"])
        #expect(result.emitted == ["a", "", "<|ex"])
        #expect(!result.stopped)
    }

    @Test func heldBackTextIsReleasedAtTheEnd() {
        let result = run(["ok <|e"], stops: ["<|end|>"])
        #expect(result.emitted == ["ok "])
        #expect(result.tail == "<|e")
    }

    @Test func stopInsideOneTokenCutsThere() {
        let result = run(["ab</s>cd"], stops: ["</s>"])
        #expect(result.emitted == ["ab"])
        #expect(result.stopped)
    }

    @Test func earliestOfSeveralStopStringsWins() {
        let result = run(["xx", "BA", "Cyy"], stops: ["Cy", "BAC"])
        #expect(result.emitted == ["xx", "", ""])
        #expect(result.stopped)
    }

    @Test func overlappingPrefixesAreFound() {
        // "aab" inside "aaab": a naive restart after the mismatch would miss it.
        let result = run(["a", "a", "a", "b!"], stops: ["aab"])
        #expect(result.emitted.joined() == "a")
        #expect(result.stopped)
    }

    @Test func multiByteStopString() {
        let result = run(["写", "作", "结束了"], stops: ["结束"])
        #expect(result.emitted.joined() == "写作")
        #expect(result.stopped)
    }

    @Test func inputAfterAStopIsIgnored() {
        var stream = TokenTextStream(stopStrings: ["#"])
        #expect(stream.append(Array("a#b".utf8)) == "a")
        #expect(stream.append(Array("c".utf8)) == "")
        #expect(stream.finish() == "")
    }
}
