import AppCore
import SessionStore
import Testing

@Suite struct DefaultTitleTests {
    @Test func firstLineOfFirstUserMessage() {
        let entries = [
            TranscriptEntry(kind: .notice, text: "Welcome"),
            TranscriptEntry(kind: .user, text: "  What is in this photo?  \nmore detail"),
            TranscriptEntry(kind: .user, text: "second message"),
        ]
        #expect(SessionSnapshot.defaultTitle(entries: entries) == "What is in this photo?")
    }

    @Test func skipsBlankLinesAndImageOnlyMessages() {
        let entries = [
            TranscriptEntry(kind: .user, text: "", images: [AttachedImage(path: "/a.png", width: 1, height: 1)]),
            TranscriptEntry(kind: .user, text: "\n   \n  Describe it\nplease"),
        ]
        #expect(SessionSnapshot.defaultTitle(entries: entries) == "Describe it")
    }

    @Test func untitledWithoutUserText() {
        #expect(SessionSnapshot.defaultTitle(entries: []) == "Untitled chat")
        #expect(SessionSnapshot.defaultTitle(entries: [
            TranscriptEntry(kind: .assistant, text: "Hello"), TranscriptEntry(kind: .user, text: " \n\t"),
        ]) == "Untitled chat")
    }

    @Test func longLinesAreCutAtAWordWithAnEllipsis() {
        // "kittens " is 8 characters: the first 59 characters end inside the 8th word, so the
        // title keeps 7 whole words.
        let text = Array(repeating: "kittens", count: 10).joined(separator: " ")
        let title = SessionSnapshot.defaultTitle(entries: [TranscriptEntry(kind: .user, text: text)])
        #expect(title == Array(repeating: "kittens", count: 7).joined(separator: " ") + "…")
    }

    @Test func aCutThatFallsBetweenWordsKeepsTheLastWord() {
        // "word " is 5 characters: the first 59 characters are exactly 12 words.
        let text = Array(repeating: "word", count: 13).joined(separator: " ")
        let title = SessionSnapshot.defaultTitle(entries: [TranscriptEntry(kind: .user, text: text)])
        #expect(title == Array(repeating: "word", count: 12).joined(separator: " ") + "…")
        #expect(title.count == 60)
    }

    @Test func longWordlessLinesAreCutAtSixtyCharacters() {
        let text = String(repeating: "猫", count: 100)
        let title = SessionSnapshot.defaultTitle(entries: [TranscriptEntry(kind: .user, text: text)])
        #expect(title == String(repeating: "猫", count: 59) + "…")
    }

    @Test func exactlySixtyIsKept() {
        let text = String(repeating: "a", count: 60)
        #expect(SessionSnapshot.defaultTitle(entries: [TranscriptEntry(kind: .user, text: text)]) == text)
    }
}
