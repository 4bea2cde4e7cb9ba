import Composer
import SessionStore
import Testing

@Suite struct DraftStoreTests {
    static func article(_ title: String) -> ArticleContent {
        ArticleContent(title: title, paragraphs: [
            Paragraph(id: ParagraphID(0), text: "First, with “quotes” and 中文."),
            Paragraph(id: ParagraphID(1, origin: .edit), text: "Second."),
        ], slots: [
            ImageSlot(id: SlotID(0), afterParagraph: ParagraphID(0), caption: "a cat",
                      candidates: [Candidate(path: "/lib/cat.png", score: 3.25, captionText: "A cat"),
                                   Candidate(path: "/lib/dog.png", score: 1.5)],
                      chosenIndex: 1, status: .ready),
            ImageSlot(id: SlotID(1, origin: .edit), afterParagraph: ParagraphID(1), status: .failed("no match")),
        ])
    }

    @Test func draftsRoundTripWholeAndUpdateInPlace() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/x.sqlite")
        let id = try store.saveDraft(id: nil, content: Self.article("Cats"), sourcePath: nil, at: 10)
        let other = try store.saveDraft(id: nil, content: Self.article("Dogs"), sourcePath: "/docs/dogs.md", at: 20)
        #expect(id != other)
        var changed = Self.article("Cats, revised")
        changed.paragraphs.append(Paragraph(id: ParagraphID(2), text: "Third."))
        #expect(try store.saveDraft(id: id, content: changed, sourcePath: nil, at: 30) == id)
        #expect(try store.loadDraft(id: id)?.content == changed)
        #expect(try store.loadDraft(id: other)?.sourcePath == "/docs/dogs.md")
        // Newest first; the newest is what --resume last opens.
        let listed = try store.listDrafts()
        #expect(listed.map(\.id) == [id, other])
        #expect(listed[0].title == "Cats, revised" && listed[0].paragraphCount == 3 && listed[0].imageCount == 1)
        #expect(try store.loadDraft(id: nil)?.id == id)
        // Reopening the file finds them again.
        let reopened = try SessionStore.open(path: folder.path + "/x.sqlite")
        #expect(try reopened.loadDraft(id: other)?.content == Self.article("Dogs"))
    }

    @Test func aMissingDraftIsAOneLineErrorNamingTheDatabase() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/x.sqlite")
        #expect(try store.loadDraft(id: nil) == nil)
        #expect(throws: SessionStoreError.self) { try store.loadDraft(id: 99) }
        do {
            _ = try store.loadDraft(id: 99)
        } catch {
            #expect(error.description == folder.path + "/x.sqlite: no saved draft with id 99")
        }
    }

    @Test func aDamagedDraftRowIsReportedNotCrashed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/x.sqlite"
        let store = try SessionStore.open(path: path)
        let id = try store.saveDraft(id: nil, content: Self.article("Cats"), sourcePath: nil, at: 10)
        _ = try pythonSQLite(path, "UPDATE article_draft SET content = '{not json' WHERE id = \(id);")
        #expect(throws: SessionStoreError.self) { try store.loadDraft(id: id) }
    }
}
