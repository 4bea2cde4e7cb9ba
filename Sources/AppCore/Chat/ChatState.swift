import Engine
import Tokenizers

/// Everything the chat screen shows, changed only by `apply(_:)`.
///
/// The state is a value with no I/O: the terminal layer feeds it key presses and engine events and
/// carries out the effects it returns. That keeps every behaviour of the screen testable without a
/// terminal or a model.
public struct ChatState: Sendable {
    public var transcript: [TranscriptEntry] = []
    public var editor = LineEditor()
    public var history = InputHistory()
    /// Images attached for the next turn, shown as numbered chips above the input.
    public var pendingImages: [AttachedImage] = []
    /// Which image the image pane shows, as an index into `allImages`; nil shows the newest.
    public var previewIndex: Int?
    public var imagePaneVisible = true
    /// How far the transcript is scrolled up from its end, in screen lines (0 follows new text).
    public var scrollFromBottom = 0
    public var activity: EngineActivity = .loading(fraction: 0, detail: "starting")
    public var model: ModelSummary?
    public var systemPrompt: String?
    public var parameters: GenerationParameters
    public var notice: StatusNotice?
    public var showHelp = false
    /// Tab-completion candidates on display.
    public var completions: [String] = []
    public var lastStatistics: GenerationStatistics?
    public var residentBytes: Int?
    /// How images are shown and why (for the help screen): "symbols: inside tmux, …".
    public var imageModeReason: String?
    public var screen: (columns: Int, rows: Int) = (80, 24)
    public private(set) var shouldQuit = false
    /// Where the user asked to go when the chat closes (the article editor), if anywhere.
    public internal(set) var handoff: ChatHandoff?
    /// When Ctrl-C was pressed last, so a second press within `quitWindow` quits.
    var interruptArmedAt: Double?
    /// The saved session this conversation is, once the first autosave has stored it.
    public internal(set) var sessionID: Int64?
    var unsavedChanges = false
    var lastSavedAt = -Double.infinity
    let bindings: KeyBindings
    let environment: ChatEnvironment

    /// Seconds within which a second Ctrl-C quits.
    public static let quitWindow = 2.0
    /// How long status notices stay.
    public static let noticeSeconds = 6.0

    public init(environment: ChatEnvironment, bindings: KeyBindings = .defaults,
                parameters: GenerationParameters = ChatState.defaultParameters) {
        self.environment = environment
        self.bindings = bindings
        self.parameters = parameters
    }

    /// Sampling for chat with small instruct models: lightly random, with a mild repetition penalty.
    public static var defaultParameters: GenerationParameters {
        var parameters = GenerationParameters()
        parameters.temperature = 0.7
        parameters.topK = 40
        parameters.topP = 0.95
        parameters.minP = 0.05
        parameters.repetitionPenalty = 1.1
        parameters.maxNewTokens = 1024
        return parameters
    }

    /// Every image in the conversation and the pending ones, oldest first.
    public var allImages: [AttachedImage] {
        transcript.flatMap(\.images) + pendingImages
    }

    /// The image the pane shows, if any.
    public var previewedImage: AttachedImage? {
        let images = allImages
        guard !images.isEmpty else { return nil }
        guard let previewIndex, images.indices.contains(previewIndex) else { return images.last }
        return images[previewIndex]
    }

    /// The conversation as a chat template takes it.
    public var conversation: [ChatMessage] {
        var messages: [ChatMessage] = []
        if let systemPrompt { messages.append(.system(systemPrompt)) }
        for entry in transcript where entry.isConversation {
            switch entry.kind {
            case .user: messages.append(.user(entry.text))
            case .assistant:
                // A failed or empty reply is not something the model said.
                if case .failed = entry.completion { continue }
                if entry.text.isEmpty { continue }
                messages.append(.assistant(entry.text))
            default: break
            }
        }
        return messages
    }

    /// The paths of the images of each user message of `conversation`, in the same order.
    public var conversationImages: [[String]] {
        transcript.filter { $0.isConversation && $0.kind == .user }.map { $0.images.map(\.path) }
    }

    // MARK: - Notices

    mutating func post(_ text: String, _ severity: StatusNotice.Severity = .info) {
        notice = StatusNotice(text: text, severity: severity, expiresAt: environment.now() + Self.noticeSeconds)
    }

    mutating func say(_ text: String, kind: TranscriptEntry.Kind = .notice) {
        transcript.append(TranscriptEntry(kind: kind, text: text))
        scrollFromBottom = 0
    }

    mutating func requestQuit() -> [ChatEffect] {
        shouldQuit = true
        return activity.isBusy ? [.cancelGeneration, .quit] : [.quit]
    }
}

/// A screen the chat hands over to as it closes.
public enum ChatHandoff: Sendable, Equatable {
    case compose(title: String?)
    case openArticle(String)
    case drafts
}

extension ChatState {
    /// The key bindings in force, for the help screen.
    public var keyBindings: KeyBindings { bindings }
}
