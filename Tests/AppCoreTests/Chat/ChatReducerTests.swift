import AppCore
import Engine
import Tokenizers
import Testing

@Suite struct ChatReducerTests {
    @Test func enterSendsTheConversationAndRepliesStreamIn() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.type("Hello there")
        let effects = state.press(.enter)
        #expect(generatedMessages(effects) == [.user("Hello there")])
        #expect(state.editor.isEmpty)
        #expect(state.activity.isBusy)
        _ = state.apply(.engine(.progress(done: 5, total: 10)))
        #expect(state.activity == .readingPrompt(done: 5, total: 10))
        _ = state.apply(.engine(.text("Hi")))
        _ = state.apply(.engine(.text(" you")))
        #expect(state.transcript.last?.text == "Hi you")
        #expect(state.transcript.last?.completion == .streaming)
        _ = state.apply(.engine(.finished(.stopToken)))
        #expect(state.transcript.last?.completion == .finished)
        #expect(state.activity == .idle)
        // The next turn carries the whole conversation.
        _ = state.type("And now?")
        #expect(generatedMessages(state.press(.enter)) == [.user("Hello there"), .assistant("Hi you"), .user("And now?")])
    }

    @Test func escapeStopsTheReplyAndKeepsItsText() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("Tell me a story")
        _ = state.press(.enter)
        _ = state.apply(.engine(.text("Once upon")))
        #expect(state.press(.escape) == [.cancelGeneration])
        _ = state.apply(.engine(.finished(.cancelled)))
        #expect(state.transcript.last?.text == "Once upon")
        #expect(state.transcript.last?.completion == .stopped)
        #expect(!state.activity.isBusy)
        // Escape when idle does nothing to the model.
        #expect(state.press(.escape) == [])
    }

    @Test func typingWorksWhileTheModelWrites() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("First")
        _ = state.press(.enter)
        _ = state.apply(.engine(.text("Answer")))
        _ = state.type("next question")
        #expect(state.editor.text == "next question")
        // Enter while busy keeps the draft and says why.
        #expect(state.press(.enter) == [])
        #expect(state.editor.text == "next question")
        #expect(state.notice?.severity == .warning)
    }

    @Test func ctrlCTwiceQuitsButOnceOnlyStops() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.type("Question")
        _ = state.press(.enter)
        #expect(state.apply(.interrupt) == [.cancelGeneration])
        #expect(!state.shouldQuit)
        world.advance(0.5)
        let effects = state.press(.character("c"), ctrl: true)
        #expect(effects.contains(.quit))
        #expect(state.shouldQuit)
    }

    @Test func ctrlCPressesFarApartDoNotQuit() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.apply(.interrupt)
        world.advance(ChatState.quitWindow + 1)
        _ = state.apply(.interrupt)
        #expect(!state.shouldQuit)
    }

    @Test func aTextOnlyModelNeverAnswersAboutImages() {
        let world = FakeWorld(images: ["/home/me/cat.png": (640, 480)])
        var state = ChatState.ready(world)
        _ = state.type("/image ~/cat.png")
        _ = state.press(.enter)
        #expect(state.pendingImages.map(\.path) == ["/home/me/cat.png"])
        _ = state.type("What is in this picture?")
        let effects = state.press(.enter)
        #expect(generatedMessages(effects) == nil)
        #expect(state.transcript.last?.kind == .notice)
        #expect(state.transcript.last?.text.contains("cannot see") == true)
        #expect(state.transcript.dropLast().last?.images.map(\.fileName) == ["cat.png"])
        #expect(state.previewedImage?.path == "/home/me/cat.png")
    }

    @Test func pathsTypedInThePromptBecomeAttachments() {
        let world = FakeWorld(images: ["/photos/my cat.jpg": (10, 10)])
        var state = ChatState.ready(world)
        _ = state.type("'/photos/my cat.jpg' describe it")
        _ = state.press(.enter)
        let user = state.transcript.first { $0.kind == .user }
        #expect(user?.images.map(\.path) == ["/photos/my cat.jpg"])
        #expect(user?.text == "describe it")
    }

    @Test func aPastedImagePathIsAttachedNotTyped() {
        let world = FakeWorld(images: ["/tmp/a b.png": (3, 3)])
        var state = ChatState.ready(world)
        _ = state.apply(.key(.paste("file:///tmp/a%20b.png")))
        #expect(state.pendingImages.map(\.path) == ["/tmp/a b.png"])
        #expect(state.editor.isEmpty)
        _ = state.apply(.key(.paste("just some text")))
        #expect(state.editor.text == "just some text")
    }

    @Test func badImagesGetANoticeAndTheSessionGoesOn() {
        let world = FakeWorld(files: ["/tmp/notes.png"])
        var state = ChatState.ready(world)
        _ = state.type("/image /tmp/missing.png")
        _ = state.press(.enter)
        #expect(state.notice?.severity == .error)
        #expect(state.notice?.text.contains("/tmp/missing.png") == true)
        _ = state.type("/image /tmp/notes.png")
        _ = state.press(.enter)
        #expect(state.notice?.text.contains("not a JPEG or PNG") == true)
        #expect(state.pendingImages.isEmpty)
        _ = state.type("still here")
        #expect(generatedMessages(state.press(.enter)) == [.user("still here")])
    }

    @Test func settingsChangeSamplingAndRejectNonsense() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("/set temperature 0.2")
        _ = state.press(.enter)
        #expect(state.parameters.temperature == 0.2)
        _ = state.type("/set temperature hot")
        _ = state.press(.enter)
        #expect(state.parameters.temperature == 0.2)
        #expect(state.notice?.severity == .error)
        _ = state.type("/set max_tokens 7")
        _ = state.press(.enter)
        #expect(state.parameters.maxNewTokens == 7)
    }

    @Test func unknownCommandsAreNotSentToTheModel() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("/frobnicate")
        #expect(state.press(.enter) == [])
        #expect(state.notice?.text.contains("/frobnicate") == true)
    }

    @Test func regenerateReplacesTheLastAnswer() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("Q")
        _ = state.press(.enter)
        _ = state.apply(.engine(.text("A1")))
        _ = state.apply(.engine(.finished(.stopToken)))
        _ = state.type("/regen")
        #expect(generatedMessages(state.press(.enter)) == [.user("Q")])
        #expect(state.transcript.filter { $0.kind == .assistant }.count == 1)
        #expect(state.transcript.last?.text == "")
    }

    @Test func systemPromptLeadsTheConversation() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("/system Be brief.")
        _ = state.press(.enter)
        _ = state.type("Hi")
        #expect(generatedMessages(state.press(.enter)) == [.system("Be brief."), .user("Hi")])
    }

    @Test func questionMarkOnAnEmptyPromptOpensHelp() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("?")
        #expect(state.showHelp)
        _ = state.type("x")
        #expect(!state.showHelp)
        #expect(state.editor.isEmpty, "the key that closes help is not typed")
        _ = state.type("a")
        _ = state.type("?")
        #expect(!state.showHelp)
        #expect(state.editor.text == "a?")
    }

    @Test func historyRecallsEarlierQuestions() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("one")
        _ = state.press(.enter)
        _ = state.apply(.engine(.finished(.stopToken)))
        _ = state.type("draft")
        _ = state.press(.up)
        #expect(state.editor.text == "one")
        _ = state.press(.down)
        #expect(state.editor.text == "draft")
    }

    @Test func failedRepliesAreNotFedBackToTheModel() {
        var state = ChatState.ready(FakeWorld())
        _ = state.type("Q")
        _ = state.press(.enter)
        _ = state.apply(.engine(.error("prompt too long")))
        _ = state.apply(.engine(.finished(.error("prompt too long"))))
        #expect(state.transcript.last?.completion == .failed("prompt too long"))
        _ = state.type("Q2")
        #expect(generatedMessages(state.press(.enter)) == [.user("Q"), .user("Q2")])
    }

    @Test func scrollingStaysAtOrAboveTheEnd() {
        var state = ChatState.ready(FakeWorld())
        _ = state.apply(.key(.wheel(up: false)))
        #expect(state.scrollFromBottom == 0)
        _ = state.apply(.key(.wheel(up: true)))
        #expect(state.scrollFromBottom == 3)
        _ = state.press(.pageUp)
        #expect(state.scrollFromBottom > 3)
        _ = state.press(.end, ctrl: true)
        #expect(state.scrollFromBottom == 0)
    }

    @Test func aModelThatFailsToLoadLeavesTheCurrentOne() {
        let world = FakeWorld(files: ["/m/other.gguf"])
        var state = ChatState.ready(world)
        _ = state.type("/model /m/other.gguf")
        #expect(state.press(.enter) == [.loadModel(path: "/m/other.gguf")])
        _ = state.apply(.modelFailed("other.gguf: not a GGUF file"))
        #expect(state.model?.name == "Tiny")
        #expect(state.activity == .idle)
        #expect(state.transcript.last?.text.contains("still using Tiny") == true)
        _ = state.type("still works?")
        #expect(generatedMessages(state.press(.enter)) == [.user("still works?")])
    }

    @Test func loadingAndFailureShowInTheStatusLine() {
        var state = ChatState(environment: FakeWorld().environment)
        _ = state.apply(.modelLoading(fraction: 0.5, detail: "loading weights"))
        let loading = StatusLine.compose(state, now: 0)
        #expect(loading.progress == 0.5)
        #expect(loading.left.contains("50%"))
        _ = state.type("hello")
        #expect(state.press(.enter) == [])
        _ = state.apply(.modelFailed("model.gguf: not a GGUF file (magic 'PK\\u{3}\\u{4}')"))
        #expect(StatusLine.compose(state, now: 0).role == .error)
        #expect(state.transcript.last?.kind == .error)
    }
}

@Suite struct ChatHandoffTests {
    @Test func composeOpenAndDraftsLeaveTheChatForTheEditor() {
        for (line, handoff) in [("/compose A day at sea", ChatHandoff.compose(title: "A day at sea")),
                                ("/compose", .compose(title: nil)),
                                ("/open ~/notes.md", .openArticle("/home/me/notes.md")),
                                ("/drafts", .drafts)] {
            let world = FakeWorld()
            var state = ChatState.ready(world)
            _ = state.type(line)
            let effects = state.press(.enter)
            #expect(state.handoff == handoff, "\(line)")
            #expect(state.shouldQuit && effects.contains(.quit), "\(line)")
        }
    }

    @Test func openWithANumberStillResumesAConversation() {
        let world = FakeWorld()
        var state = ChatState.ready(world)
        _ = state.type("/open 12")
        #expect(state.press(.enter).contains(.openSession(id: 12)))
        #expect(state.handoff == nil && !state.shouldQuit)
    }
}
