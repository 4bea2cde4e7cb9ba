import AppCore
import Engine
import Testing

@Suite struct AutosaveTests {
    func saves(_ effects: [ChatEffect]) -> [SessionContent] {
        effects.compactMap { if case let .save(content) = $0 { return content } else { return nil } }
    }

    @Test func aNewTurnIsSavedAtOnceAndStreamingAtMostOnceASecond() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.type("Tell me about bread")
        world.advance(2)
        let submitted = state.press(.enter)
        #expect(saves(submitted).first?.entries.map(\.kind) == [.user, .assistant])
        #expect(saves(submitted).first?.draft == "")
        var streamed = 0
        for i in 0..<50 {
            world.advance(0.05)
            streamed += saves(state.apply(.engine(.text("word\(i) ")))).count
        }
        // 2.5 seconds of streaming: two or three saves, not fifty.
        #expect((2...3).contains(streamed))
        let finished = state.apply(.engine(.finished(.stopToken)))
        #expect(saves(finished).first?.entries.last?.completion == .finished)
    }

    @Test func theDraftIsSavedWithinASecondOfTheLastKey() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.type("Hello")
        _ = state.press(.enter)
        _ = state.apply(.engine(.finished(.stopToken)))
        world.advance(5)
        #expect(saves(state.type("a draft I am still")).first?.draft == "a draft I am still")
        world.advance(0.2)
        #expect(saves(state.type(" writing")).isEmpty)
        world.advance(1)
        // No more keys: the tick flushes what the last save missed.
        #expect(saves(state.apply(.tick(residentBytes: nil))).first?.draft == "a draft I am still writing")
        #expect(saves(state.apply(.tick(residentBytes: nil))).isEmpty)
    }

    @Test func anEmptyConversationIsNotSaved() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        world.advance(3)
        #expect(saves(state.apply(.tick(residentBytes: nil))).isEmpty)
        #expect(state.finalSave() == nil)
    }

    @Test func theSavedIdIsKeptUntilANewConversation() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.type("One")
        #expect(saves(state.press(.enter)).first?.id == nil)
        _ = state.apply(.sessionSaved(id: 7))
        _ = state.apply(.engine(.finished(.stopToken)))
        #expect(state.sessionID == 7)
        _ = state.type("/new")
        _ = state.press(.enter)
        #expect(state.sessionID == nil)
        _ = state.type("Two")
        #expect(saves(state.press(.enter)).first?.id == nil)
    }

    @Test func resumingRestoresTheConversationAndTheDraft() {
        var state = ChatState.ready(FakeWorld())
        let content = SessionContent(id: 3, title: "Bread", modelName: "Tiny", systemPrompt: "Be brief.",
                                     entries: [TranscriptEntry(kind: .user, text: "Q"),
                                               TranscriptEntry(kind: .assistant, text: "half an ans", completion: .streaming)],
                                     draft: "unsent words")
        let effects = state.apply(.sessionOpened(content))
        #expect(saves(effects).isEmpty, "opening is not an edit")
        #expect(state.sessionID == 3)
        #expect(state.editor.text == "unsent words")
        #expect(state.transcript.last?.completion == .stopped)
        _ = state.press(.character("l"), ctrl: true)
        _ = state.type("Q2")
        #expect(generatedMessages(state.press(.enter))?.first == .system("Be brief."))
    }

    @Test func sessionsAndExportAreAskedFor() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("/export")
        #expect(state.press(.enter).isEmpty)
        #expect(state.notice?.text == "Nothing to export yet")
        _ = state.type("Hi")
        _ = state.press(.enter)
        _ = state.apply(.engine(.finished(.stopToken)))
        _ = state.type("/export ~/out")
        let export = state.press(.enter).first { if case .export = $0 { return true } else { return false } }
        #expect(export == .export(state.sessionContent, directory: "/home/me/out"))
        _ = state.type("/sessions")
        #expect(state.press(.enter).contains(.listSessions))
        _ = state.apply(.sessionsListed([SessionListing(id: 4, title: "Bread", updated: "2026-12-02 10:00", turns: 2)]))
        #expect(state.transcript.last?.text.contains("4  2026-12-02 10:00  2 turns  Bread") == true)
        _ = state.type("/resume 4")
        #expect(state.press(.enter).contains(.openSession(id: 4)))
    }
}
