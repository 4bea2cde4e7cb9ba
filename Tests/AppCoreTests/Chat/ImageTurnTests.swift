import AppCore
import Engine
import Testing
import Tokenizers

/// A model that sees images gets each user turn's image paths with the conversation, and the
/// status line shows the images being read before the prompt.
@Suite struct ImageTurnTests {
    static let world = FakeWorld(images: ["/home/me/cat.png": (640, 480), "/home/me/dog.jpg": (800, 600)])

    func images(_ effects: [ChatEffect]) -> [[String]]? {
        for effect in effects { if case let .generate(_, _, images) = effect { return images } }
        return nil
    }

    @Test func eachUserTurnCarriesItsOwnImages() {
        var state = ChatState.ready(Self.world, seesImages: true)
        _ = state.type("/image ~/cat.png")
        _ = state.press(.enter)
        _ = state.type("What is this?")
        let first = state.press(.enter)
        #expect(generatedMessages(first) == [.user("What is this?")])
        #expect(images(first) == [["/home/me/cat.png"]])
        #expect(!state.transcript.contains { $0.text.contains("cannot see") })
        _ = state.apply(.engine(.text("A cat.")))
        _ = state.apply(.engine(.finished(.stopToken)))

        _ = state.type("And without a picture?")
        let second = state.press(.enter)
        #expect(images(second) == [["/home/me/cat.png"], []])
        _ = state.apply(.engine(.text("Still a cat.")))
        _ = state.apply(.engine(.finished(.stopToken)))

        _ = state.type("/image ~/dog.jpg")
        _ = state.press(.enter)
        _ = state.type("/image ~/cat.png")
        _ = state.press(.enter)
        _ = state.type("Compare them")
        #expect(images(state.press(.enter)) == [["/home/me/cat.png"], [], ["/home/me/dog.jpg", "/home/me/cat.png"]])
    }

    @Test func readingImagesShowsInTheStatusLineAndEscStopsIt() {
        var state = ChatState.ready(Self.world, seesImages: true)
        _ = state.type("/image ~/cat.png")
        _ = state.press(.enter)
        _ = state.type("What is this?")
        _ = state.press(.enter)
        _ = state.apply(.imageProgress(done: 0, total: 2))
        #expect(state.activity == .readingImages(done: 0, total: 2))
        #expect(StatusLine.compose(state, now: 0).left.contains("Reading image 1/2"))
        _ = state.apply(.imageProgress(done: 1, total: 2))
        #expect(StatusLine.compose(state, now: 0).left.contains("Reading image 2/2"))
        #expect(state.activity.isBusy)
        #expect(state.press(.escape) == [.cancelGeneration])
        _ = state.apply(.engine(.finished(.cancelled)))
        #expect(state.activity == .idle)
        #expect(state.transcript.last?.completion == .stopped)
    }

    @Test func promptProgressTakesOverFromImageProgress() {
        var state = ChatState.ready(Self.world, seesImages: true)
        _ = state.type("/image ~/cat.png")
        _ = state.press(.enter)
        _ = state.type("What is this?")
        _ = state.press(.enter)
        _ = state.apply(.imageProgress(done: 1, total: 1))
        _ = state.apply(.engine(.progress(done: 10, total: 100)))
        #expect(state.activity == .readingPrompt(done: 10, total: 100))
        // A late image event does not pull the status line back.
        _ = state.apply(.imageProgress(done: 1, total: 1))
        #expect(state.activity == .readingPrompt(done: 10, total: 100))
    }
}
