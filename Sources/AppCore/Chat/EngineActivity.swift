/// What the model side is doing, for the status line.
public enum EngineActivity: Sendable, Equatable {
    /// Loading a model: the fraction done and what is happening.
    case loading(fraction: Double, detail: String)
    /// No model could be loaded; the message says why.
    case unavailable(String)
    /// Ready for a question.
    case idle
    /// Encoding the conversation's images, before the prompt (`done` of `total`).
    case readingImages(done: Int, total: Int)
    /// Reading the prompt.
    case readingPrompt(done: Int, total: Int)
    /// Writing the reply.
    case generating(tokens: Int, startedAt: Double)

    public var isBusy: Bool {
        switch self {
        case .readingImages, .readingPrompt, .generating: return true
        default: return false
        }
    }
}

/// What the loaded model is, for the status line and for deciding what it can do.
public struct ModelSummary: Sendable, Equatable {
    public var name: String
    public var contextLength: Int
    /// Whether the model can look at images (an XComposer checkpoint with its vision tower).
    public var seesImages: Bool

    public init(name: String, contextLength: Int, seesImages: Bool) {
        self.name = name
        self.contextLength = contextLength
        self.seesImages = seesImages
    }
}
