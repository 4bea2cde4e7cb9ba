import AppCore
import Composer
import Testing

@Suite struct ComposeStateTests {
    @Test func aTitleTypedAtThePromptStartsThePipeline() {
        let world = FakeWorld()
        var state = ComposeState.composing(title: nil, environment: world.environment)
        _ = state.apply(.modelReady("Tiny"))
        #expect(state.mode == .askingTitle)
        _ = state.type("Baking bread at home")
        let effects = state.press(.enter)
        #expect(effects.contains(.compose(title: "Baking bread at home", paragraphs: 5, images: nil, firstParagraph: 0, firstSlot: 0)))
        #expect(state.isBusy)
        #expect(state.mode == .browsing)
    }

    @Test func streamedParagraphsAndSlotsBuildTheArticleLive() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.apply(.liveText("Flour, water and"))
        #expect(state.liveText == "Flour, water and")
        _ = state.receiveArticle(paragraphs: ["Flour and water.", "Knead it well.", "Bake it hot."], slotAfter: 1,
                                 candidates: ["/lib/a.png", "/lib/b.png", "/lib/c.png"])
        #expect(state.liveText == "")
        #expect(state.content.sections == ["Flour and water.", "Knead it well.", "Bake it hot."])
        #expect(state.content.slots.first?.chosen?.path == "/lib/a.png")
        #expect(state.content.blocks == [.title, .paragraph(ParagraphID(0)), .paragraph(ParagraphID(1)),
                                         .slot(SlotID(0)), .paragraph(ParagraphID(2))])
    }

    @Test func pickingAnotherCandidateWithTheKeyboard() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["One.", "Two."], slotAfter: 0, candidates: ["/a.png", "/b.png", "/c.png"])
        _ = state.press(.down)
        _ = state.press(.down)
        #expect(state.focus == .slot(SlotID(0)))
        _ = state.press(.right)
        _ = state.press(.right)
        #expect(state.highlightedCandidate(state.content.slots[0]) == 2)
        #expect(state.content.slots[0].chosenIndex == 0)
        let effects = state.press(.enter)
        #expect(state.content.slots[0].chosen?.path == "/c.png")
        // The choice is a milestone: saved at once.
        #expect(drafts(effects).first?.content.slots[0].chosenIndex == 2)
        _ = state.type("2")
        #expect(state.content.slots[0].chosen?.path == "/b.png")
        _ = state.type("u")
        #expect(state.content.slots[0].chosen?.path == "/c.png")
        _ = state.type("U")
        #expect(state.content.slots[0].chosen?.path == "/b.png")
        _ = state.type("9")
        #expect(state.content.slots[0].chosen?.path == "/b.png")
    }

    @Test func editingAParagraphIsAppliedAsYouTypeAndUndoneInOneStep() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["Bread is old."], slotAfter: 0, candidates: ["/a.png"])
        _ = state.press(.down)
        _ = state.press(.enter)
        #expect(state.mode == .editing(.paragraph(ParagraphID(0))))
        _ = state.press(.end)
        _ = state.keys(" Very old")
        #expect(state.content.paragraphs[0].text == "Bread is old. Very old")
        _ = state.press(.enter)
        #expect(state.mode == .browsing)
        _ = state.type("u")
        #expect(state.content.paragraphs[0].text == "Bread is old.")
    }

    @Test func typingIsAutosavedAtMostHalfASecondBehind() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["Bread."], slotAfter: 0, candidates: ["/a.png"])
        _ = state.press(.down)
        _ = state.press(.enter)
        _ = state.press(.end)
        world.advance(1)
        #expect(drafts(state.keys(" A")).first?.content.paragraphs[0].text == "Bread. ")
        world.advance(0.1)
        #expect(drafts(state.keys("nd")).isEmpty)
        world.advance(0.5)
        // No more keys: the tick saves what the last save missed, once.
        #expect(drafts(state.apply(.tick)).first?.content.paragraphs[0].text == "Bread. And")
        #expect(drafts(state.apply(.tick)).isEmpty)
        #expect(state.finalSave() == nil)
    }

    @Test func theDraftKeepsItsIdOnceSaved() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        let first = drafts(state.receiveArticle(paragraphs: ["A."], slotAfter: 0, candidates: ["/a.png"]))
        #expect(first.first?.draftID == nil)
        _ = state.apply(.draftSaved(token: first[0].token, id: 7))
        #expect(state.draftID == 7)
        _ = state.press(.down)
        // A delete is one edit: saved at once, into the same draft.
        let deleted = drafts(state.type("x"))
        #expect(deleted.first?.draftID == 7)
        #expect(deleted.first?.content.paragraphs.isEmpty == true)
        world.advance(1)
        #expect(drafts(state.apply(.tick)).isEmpty)
    }

    @Test func captionEditSearchesTheLibraryWithoutTheImagesOfOtherSlots() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["One.", "Two."], slotAfter: 0, candidates: ["/a.png", "/b.png"])
        _ = state.apply(.article(.slotSpotted(SlotID(1), after: ParagraphID(1))))
        _ = state.apply(.article(.candidatesFound(SlotID(1), [Candidate(path: "/c.png")])))
        _ = state.press(.end)
        #expect(state.focus == .slot(SlotID(1)))
        _ = state.type("c")
        #expect(state.mode == .editing(.slot(SlotID(1))))
        _ = state.press(.character("u"), ctrl: true)
        _ = state.type("a harbour at dawn")
        let effects = state.press(.enter)
        #expect(effects.contains(.search(SlotID(1), caption: "a harbour at dawn", paragraph: "Two.", excluding: ["/a.png"])))
        #expect(state.content.slots[1].caption == "a harbour at dawn")
    }

    @Test func slotsMoveAndDeleteAndParagraphsAreAdded() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["One.", "Two.", "Three."], slotAfter: 0, candidates: ["/a.png"])
        _ = state.press(.down)
        _ = state.press(.down)
        _ = state.type("J")
        #expect(state.content.slots[0].afterParagraph == ParagraphID(1))
        _ = state.press(.down, alt: true)
        #expect(state.content.slots[0].afterParagraph == ParagraphID(2))
        _ = state.type("x")
        #expect(state.content.slots.isEmpty)
        _ = state.press(.home)
        _ = state.press(.down)
        _ = state.type("o")
        _ = state.type("My own words.")
        _ = state.press(.enter)
        #expect(state.content.sections == ["One.", "My own words.", "Two.", "Three."])
        _ = state.type("a")
        #expect(state.mode == .editing(.slot(state.content.slots[0].id)))
        _ = state.press(.escape)
        #expect(state.content.slots.count == 1)
    }

    @Test func rewriteAndContinueAskTheModelAndTheirAnswersLand() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["One.", "Two."], slotAfter: 0, candidates: ["/a.png"])
        _ = state.press(.down)
        let rewrite = state.type("r")
        #expect(rewrite == [.rewrite(ParagraphID(0), title: "Bread", sections: ["One.", "Two."], index: 0)])
        #expect(state.type("+").isEmpty)  // busy: one job at a time
        _ = state.apply(.paragraphRewritten(ParagraphID(0), "One, better."))
        _ = state.apply(.jobEnded(failure: nil))
        #expect(state.content.sections == ["One, better.", "Two."])
        let next = state.type("+")
        #expect(next == [.continueArticle(title: "Bread", sections: ["One, better.", "Two."], newParagraph: 2)])
        _ = state.apply(.article(.paragraphAppended(ParagraphID(2), "Three.")))
        _ = state.apply(.jobEnded(failure: "stopped"))
        #expect(state.content.sections.last == "Three.")
        #expect(state.notice?.severity == .warning)
    }

    @Test func aPipelineStepAboutADeletedParagraphIsSkippedNotFatal() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.apply(.article(.paragraphAppended(ParagraphID(0), "One.")))
        _ = state.press(.down)
        _ = state.type("x")
        _ = state.apply(.article(.slotSpotted(SlotID(0), after: ParagraphID(0))))
        #expect(state.content.slots.isEmpty)
        #expect(state.notice?.severity == .warning)
    }

    @Test func commandsExportOpenAndSetCounts() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["One."], slotAfter: 0, candidates: ["/a.png"])
        _ = state.type("/")
        _ = state.type("export out/bread.md")
        let exported = state.press(.enter)
        #expect(exported == [.export(state.content, markdownPath: "out/bread.md")])
        #expect(state.press(.character("e"), ctrl: true) == [.export(state.content, markdownPath: "bread.md")])
        _ = state.type("/")
        _ = state.type("open 12")
        #expect(state.press(.enter) == [.openDraft(12)])
        _ = state.type("/")
        _ = state.type("images 3")
        _ = state.press(.enter)
        #expect(state.imageCount == 3)
        _ = state.type("/")
        _ = state.type("drafts")
        #expect(state.press(.enter) == [.listDrafts])
        _ = state.apply(.draftsListed([DraftListing(id: 3, title: "Old", paragraphCount: 2, imageCount: 1, updatedAt: 0, sourcePath: nil)]))
        #expect(state.press(.enter) == [.openDraft(3)])
    }

    @Test func openingADocumentReplacesItAndSavesToItsOwnFile() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        let content = ArticleMarkdown.parse("# Notes\n\nFirst.\n\n![a cat](cat.png)\n\nSecond.\n")
        _ = state.apply(.markdownOpened(path: "/docs/notes.md", content: content))
        #expect(state.sourcePath == "/docs/notes.md")
        #expect(state.content.title == "Notes")
        #expect(state.press(.character("s"), ctrl: true) == [.export(content, markdownPath: "/docs/notes.md")])
        #expect(ComposeState.defaultFileName(for: "Été à Paris: 2 jours!") == "été-à-paris-2-jours.md")
    }

    @Test func keysTypedTogetherAreCommandsUntilATextFieldOpens() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.receiveArticle(paragraphs: ["One.", "Two."], slotAfter: 0, candidates: ["/a.png"])
        _ = state.type("jj")
        #expect(state.focus == .slot(SlotID(0)))
        _ = state.type("/drafts")
        #expect(state.mode == .command && state.editor.text == "/drafts")
        #expect(state.press(.enter) == [.listDrafts])
    }

    @Test func libraryCommandIndexesWithProgress() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.type("/")
        _ = state.type("library ~/Pictures")
        #expect(state.press(.enter) == [.indexLibrary("~/Pictures")])
        #expect(state.job?.name == "indexing ~/Pictures")
        _ = state.apply(.progress(fraction: 0.25, detail: "indexing 1/4 a.png"))
        #expect(state.job?.fraction == 0.25 && state.job?.step == "indexing 1/4 a.png")
        _ = state.apply(.libraryIndexed(folder: "~/Pictures", total: 20, skipped: ["b.png: not a JPEG or PNG image"]))
        #expect(state.job == nil)
        #expect(state.notice?.text == "indexed ~/Pictures: the library has 20 images · skipped 1: b.png: not a JPEG or PNG image")
    }

    @Test func ctrlCStopsTheModelThenQuits() {
        let world = FakeWorld()
        var state = ComposeState.ready(world)
        _ = state.begin(title: "Bread")
        #expect(state.press(.character("c"), ctrl: true) == [.cancel])
        #expect(!state.shouldQuit)
        #expect(state.press(.character("c"), ctrl: true) == [.cancel, .quit])
        #expect(state.shouldQuit)
    }
}
