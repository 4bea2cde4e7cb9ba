import AppCore
import SessionStore
import Testing

@Suite struct MarkdownExportTests {
    @Test func fixedSessionMatchesTheHandWrittenTranscript() {
        // 1_700_000_000 is 2023-11-14 22:13:20 UTC.
        let expected = """
            # Cats

            2023-11-14 22:13 UTC · SmolLM2-135M

            > **System prompt:** Be brief.

            ## You

            What is this?
            Second line

            ![猫 cat.png](<chat-images/1-猫 cat.png>)

            ![dog.jpg](chat-images/2-dog.jpg)

            ## SmolLM2-135M

            A cat and a dog.

            > Model loaded.

            ## You

            Tell me more 🐈

            ## SmolLM2-135M

            It is

            *(stopped)*

            > **Error:** Out of memory

            ## SmolLM2-135M

            *(failed)*

            """
        let result = SessionExport.markdown(sampleSnapshot(), imagesFolder: "chat-images")
        #expect(result.markdown == expected)
        #expect(result.images.map { $0.source } == ["/photos/été/猫 cat.png", "/photos/dog.jpg"])
        #expect(result.images.map { $0.exportedName } == ["1-猫 cat.png", "2-dog.jpg"])
    }

    @Test func sameNamesAreNumberedAndTheSamePathIsExportedOnce() {
        let cat1 = AttachedImage(path: "/a/cat.png", width: 1, height: 1)
        let cat2 = AttachedImage(path: "/b/cat.png", width: 1, height: 1)
        let snapshot = SessionSnapshot(title: "t", createdAt: 0, updatedAt: 0, entries: [
            TranscriptEntry(kind: .user, text: "one", images: [cat1, cat2]),
            TranscriptEntry(kind: .user, text: "again", images: [cat1]),
        ])
        let result = SessionExport.markdown(snapshot, imagesFolder: "img")
        #expect(result.images.map { $0.source } == ["/a/cat.png", "/b/cat.png"])
        #expect(result.images.map { $0.exportedName } == ["1-cat.png", "2-cat.png"])
        #expect(result.markdown == """
            # t

            1970-01-01 00:00 UTC

            ## You

            one

            ![cat.png](img/1-cat.png)

            ![cat.png](img/2-cat.png)

            ## You

            again

            ![cat.png](img/1-cat.png)

            """)
    }

    @Test func missingImagesAreNotedAndMultiLineNoticesStayQuoted() {
        let snapshot = SessionSnapshot(title: "Two\nlines", createdAt: 86_400, updatedAt: 0, entries: [
            TranscriptEntry(kind: .user, text: "look", images: [AttachedImage(path: "/gone/x.png", width: 1, height: 1)]),
            TranscriptEntry(kind: .notice, text: "first\n\nthird"),
            TranscriptEntry(kind: .assistant, text: "half", completion: .streaming),
            TranscriptEntry(kind: .assistant, text: "no", completion: .failed("disk\nfull")),
        ])
        let result = SessionExport.markdown(snapshot, imagesFolder: "i", missingImages: ["/gone/x.png"])
        #expect(result.markdown == """
            # Two lines

            1970-01-02 00:00 UTC

            ## You

            look

            (image missing: /gone/x.png)

            > first
            >
            > third

            ## Model

            half

            *(stopped)*

            ## Model

            no

            *(failed: disk full)*

            """)
    }

    @Test func awkwardFileNamesAreMadeSafe() {
        let snapshot = SessionSnapshot(title: "t", createdAt: 0, updatedAt: 0, entries: [
            TranscriptEntry(kind: .user, text: "", images: [
                AttachedImage(path: "/", width: 1, height: 1),
                AttachedImage(path: "/p/[a] (b).png", width: 1, height: 1),
            ]),
        ])
        let result = SessionExport.markdown(snapshot, imagesFolder: "f")
        #expect(result.images.map { $0.exportedName } == ["1-_", "2-[a] (b).png"])
        #expect(result.markdown.contains("![\\[a\\] (b).png](<f/2-[a] (b).png>)"))
    }

    @Test func suggestedBaseNameUsesDateAndTitle() {
        let snapshot = SessionSnapshot(title: "What's in THIS photo? 猫!", createdAt: 1_700_000_000, updatedAt: 0, entries: [])
        #expect(SessionExport.suggestedBaseName(snapshot) == "chat-2023-11-14-what-s-in-this-photo")
        let plain = SessionSnapshot(title: "猫", createdAt: 0, updatedAt: 0, entries: [])
        #expect(SessionExport.suggestedBaseName(plain) == "chat-1970-01-01")
    }
}
