import AppCore
import Testing

@Suite struct ImagePathExtractionTests {
    static let home = "/home/ann"
    static let existing: Set<String> = [
        "/pics/cat.png", "/pics/dog.JPG", "/pics/my cat.png", "/pics/a b c/d e.jpeg",
        "/home/ann/shot.png", "/pics/it's.png", "/pics/notes.txt", "/pics/café ☕.png", "/pics/cat.png dog",
    ]

    private func extract(_ text: String) -> (text: String, paths: [String]) {
        PathParsing.extractImagePaths(from: text, home: Self.home, fileExists: { Self.existing.contains($0) })
    }

    @Test func plainPathsAreRemovedInOrder() {
        let r = extract("compare /pics/cat.png and /pics/dog.JPG please")
        #expect(r.paths == ["/pics/cat.png", "/pics/dog.JPG"])
        #expect(r.text == "compare and please")
    }

    @Test func quotedEscapedAndURIForms() {
        let r = extract("'/pics/my cat.png' /pics/a\\ b\\ c/d\\ e.jpeg file:///pics/caf%C3%A9%20%E2%98%95.png ~/shot.png what?")
        #expect(r.paths == ["/pics/my cat.png", "/pics/a b c/d e.jpeg", "/pics/café ☕.png", "/home/ann/shot.png"])
        #expect(r.text == "what?")
    }

    @Test func unescapedSpacesAreFoundByGrowing() {
        let r = extract("describe /pics/my cat.png in detail")
        #expect(r.paths == ["/pics/my cat.png"])
        #expect(r.text == "describe in detail")
        let deep = extract("/pics/a b c/d e.jpeg")
        #expect(deep.paths == ["/pics/a b c/d e.jpeg"])
        #expect(deep.text == "")
    }

    @Test func missingFilesAndNonImagesStayUntouched() {
        let text = "see /pics/nope.png and /pics/notes.txt and cat.png and /pics/cat.gif"
        let r = extract(text)
        #expect(r.paths.isEmpty)
        #expect(r.text == text)
    }

    @Test func trailingPunctuationStaysInTheText() {
        let r = extract("Look at /pics/cat.png, then /pics/dog.JPG.")
        #expect(r.paths == ["/pics/cat.png", "/pics/dog.JPG"])
        #expect(r.text == "Look at, then.")
    }

    @Test func apostrophesInProseDoNotStartQuotes() {
        let r = extract("don't miss /pics/it's.png, it's good")
        #expect(r.paths == ["/pics/it's.png"])
        #expect(r.text == "don't miss, it's good")
    }

    @Test func linesAreKeptAndPathsDoNotGrowAcrossThem() {
        let r = extract("/pics/cat.png\nwhat is this?\n  /pics/my\ncat.png")
        #expect(r.paths == ["/pics/cat.png"])
        #expect(r.text == "\nwhat is this?\n  /pics/my\ncat.png")
    }

    @Test func sameFileTwiceIsReportedTwice() {
        let r = extract("/pics/cat.png /pics/cat.png")
        #expect(r.paths == ["/pics/cat.png", "/pics/cat.png"])
        #expect(r.text == "")
    }

    @Test(arguments: ["", " ", "'", "\"", "'''", "\\", "file://", "/", "~", "\u{0}", "🇫🇷 \u{301}", "'/pics/cat.png"])
    func oddInputsAreReturnedUnchanged(text: String) {
        let r = extract(text)
        #expect(r.paths.isEmpty)
        #expect(r.text == text)
    }

    @Test func hugeInputWithManyPathLikeWordsFinishes() {
        var calls = 0
        let text = String(repeating: "/x /y.png ./z ", count: 5_000)
        let r = PathParsing.extractImagePaths(from: text, home: Self.home) { _ in
            calls += 1
            return false
        }
        #expect(r.paths.isEmpty)
        #expect(r.text == text)
        #expect(calls <= 5_000 * 3 * 16)
    }
}

@Suite struct ImagePathGrowingTests {
    @Test func theLongestExistingCandidateWins() {
        let existing: Set<String> = ["/p/cat.png", "/p/cat.png copy.png"]
        let r = PathParsing.extractImagePaths(from: "a /p/cat.png copy.png b", home: "/h") { existing.contains($0) }
        #expect(r.paths == ["/p/cat.png copy.png"])
        #expect(r.text == "a b")
    }

    @Test func growingStopsAfterTheWordLimit() {
        let name = "/p/" + (1...20).map { "w\($0)" }.joined(separator: " ") + ".png"
        let r = PathParsing.extractImagePaths(from: name, home: "/h") { $0 == name }
        #expect(r.paths.isEmpty)
        #expect(r.text == name)
    }
}
