import AppCore
import Testing

@Suite struct PathCompletionTests {
    static let home = "/home/ann"
    static let tree: [String: [DirectoryEntry]] = [
        "/pics/": [
            DirectoryEntry(name: "cat.png", isDirectory: false),
            DirectoryEntry(name: "cats", isDirectory: true),
            DirectoryEntry(name: "Cathedral.jpg", isDirectory: false),
            DirectoryEntry(name: "dog.png", isDirectory: false),
            DirectoryEntry(name: "my cat.png", isDirectory: false),
            DirectoryEntry(name: ".hidden.png", isDirectory: false),
            DirectoryEntry(name: ".", isDirectory: true),
            DirectoryEntry(name: "..", isDirectory: true),
            DirectoryEntry(name: "日本", isDirectory: true),
        ],
        "/home/ann/": [DirectoryEntry(name: "Pictures", isDirectory: true)],
        ".": [DirectoryEntry(name: "local.png", isDirectory: false), DirectoryEntry(name: "lib", isDirectory: true)],
        "./": [DirectoryEntry(name: "here.png", isDirectory: false)],
    ]

    private func complete(_ input: String, cursor: Int? = nil) -> PathCompletion.Result? {
        PathCompletion.complete(input, cursor: cursor ?? input.count, home: Self.home) { Self.tree[$0] }
    }

    @Test func uniqueFileIsCompletedInFull() {
        let r = complete("look at /pics/do")
        #expect(r == PathCompletion.Result(text: "look at /pics/dog.png", cursor: 21, candidates: []))
    }

    @Test func uniqueDirectoryGetsASlash() {
        #expect(complete("/pics/cats")?.text == "/pics/cats/")
        #expect(complete("~/Pi")?.text == "~/Pictures/")
        #expect(complete("/pics/日")?.text == "/pics/日本/")
    }

    @Test func severalMatchesGiveTheCommonPrefixAndSortedCandidates() {
        let r = complete("/pics/c")
        #expect(r?.text == "/pics/cat")
        #expect(r?.cursor == 9)
        #expect(r?.candidates == ["cats/", "cat.png"])
    }

    @Test func matchingIsCaseSensitive() {
        #expect(complete("/pics/C")?.text == "/pics/Cathedral.jpg")
    }

    @Test func spacesAreEscapedAndEscapedInputIsUnderstood() {
        #expect(complete("/pics/my")?.text == "/pics/my\\ cat.png")
        #expect(complete("/pics/my\\ c")?.text == "/pics/my\\ cat.png")
        // What completion inserts is what pasted-path parsing reads back.
        let completed = complete("/pics/my")?.text ?? ""
        #expect(PathParsing.parsePastedPath(completed, home: Self.home) == "/pics/my cat.png")
    }

    @Test func hiddenFilesOnlyForADotPrefix() {
        let all = complete("/pics/")
        #expect(all?.candidates == ["cats/", "日本/", "cat.png", "Cathedral.jpg", "dog.png", "my cat.png"])
        #expect(all?.text == "/pics/")
        #expect(complete("/pics/.")?.text == "/pics/.hidden.png")
    }

    @Test func imageCommandCompletesBareNamesInTheCurrentDirectory() {
        #expect(complete("/image lo")?.text == "/image local.png")
        let r = complete("/image ")
        #expect(r?.candidates == ["lib/", "local.png"])
        #expect(r?.text == "/image l")
        #expect(complete("./he")?.text == "./here.png")
    }

    @Test func textAfterTheCursorIsKept() {
        let r = complete("/pics/do and more", cursor: 8)
        #expect(r?.text == "/pics/dog.png and more")
        #expect(r?.cursor == 13)
    }

    @Test(arguments: ["", "hello", "hello wor", "/image", "see ~", "/nowhere/x", "/pics/zzz", "/pics/trailing\\"])
    func nothingToComplete(input: String) {
        #expect(complete(input) == nil)
    }

    @Test func outOfRangeCursorIsClamped() {
        #expect(complete("/pics/do", cursor: 500)?.text == "/pics/dog.png")
        #expect(complete("/pics/do", cursor: -3) == nil)
    }
}
