import Composer

/// What the compose screen is doing with the keyboard.
public enum ComposeMode: Sendable, Equatable {
    /// Moving between blocks; letters are commands.
    case browsing
    /// Typing into a block: a paragraph (applied as you type), the title or a slot's caption
    /// (applied on Enter).
    case editing(ComposeBlock)
    /// Typing a `/command`.
    case command
    /// Typing the title of a new article.
    case askingTitle
    /// Choosing a draft to open.
    case choosingDraft([DraftListing], selected: Int)
}

/// The model job in progress, one at a time.
public struct ComposeJob: Sendable, Equatable {
    /// What was asked ("composing", "rewriting paragraph 3").
    public var name: String
    /// The step it is on now.
    public var step: String
    public var startedAt: Double
    /// How far along it is, when that is known.
    public var fraction: Double?

    public init(name: String, step: String, startedAt: Double, fraction: Double? = nil) {
        self.name = name
        self.step = step
        self.startedAt = startedAt
        self.fraction = fraction
    }
}

/// Everything the compose screen shows, changed only by `apply(_:)`: the article being written,
/// where the cursor is, what the model is doing, and when the draft was last saved.
///
/// Like `ChatState`, a value without I/O: the terminal layer feeds it keys and pipeline events
/// and carries out the effects it returns, so every behaviour is testable without a terminal.
public struct ComposeState: Sendable {
    public internal(set) var article: Article
    public internal(set) var focus: ComposeBlock = .title
    /// The view follows the end of the article as the model writes, until the cursor moves.
    public internal(set) var followsOutput = true
    public internal(set) var mode: ComposeMode = .browsing
    public internal(set) var editor = LineEditor()
    /// The highlighted candidate of each slot's strip (what Enter would choose).
    public internal(set) var candidateCursor: [SlotID: Int] = [:]
    public internal(set) var job: ComposeJob?
    /// The line the model is writing right now, not yet a paragraph.
    public internal(set) var liveText = ""
    public internal(set) var modelName: String?
    public internal(set) var modelFailure: String?
    public internal(set) var notice: StatusNotice?
    public internal(set) var showHelp = false
    public internal(set) var screen: (columns: Int, rows: Int) = (80, 24)
    public internal(set) var shouldQuit = false
    /// How many paragraphs to ask for, and how many images (nil: the model decides).
    public var paragraphCount = 5
    public var imageCount: Int?
    /// The Markdown file this article was opened from (`xcomposer edit`), where Ctrl-S saves.
    public internal(set) var sourcePath: String?

    // Autosave bookkeeping.
    var draftToken = 0
    public internal(set) var draftID: Int64?
    var lastSavedContent: ArticleContent?
    var lastSavedAt = -Double.infinity
    var interruptArmedAt: Double?
    let environment: ChatEnvironment

    /// Autosave waits at most this long after a change (typing is saved in batches this size).
    public static let autosaveSeconds = 0.5
    public static let noticeSeconds = 6.0
    public static let quitWindow = 2.0

    public init(environment: ChatEnvironment, article: Article = Article()) {
        self.environment = environment
        self.article = article
    }

    /// A new composition: asks for a title unless one is given, which starts the pipeline.
    public static func composing(title: String?, environment: ChatEnvironment) -> ComposeState {
        var state = ComposeState(environment: environment)
        if title == nil { state.mode = .askingTitle }
        return state
    }

    public var content: ArticleContent { article.content }
    public var isBusy: Bool { job != nil }

    /// The block the cursor is on, or the nearest one if that block is gone.
    var blocks: [ComposeBlock] { article.content.blocks }

    mutating func post(_ text: String, _ severity: StatusNotice.Severity = .info) {
        notice = StatusNotice(text: text, severity: severity, expiresAt: environment.now() + Self.noticeSeconds)
    }

    /// Keeps the cursor on a block that exists (after undo, deletes, a new document).
    mutating func repairFocus(preferring fallback: Int? = nil) {
        let blocks = self.blocks
        if blocks.contains(focus) { return }
        let index = min(max(0, fallback ?? 0), blocks.count - 1)
        focus = blocks[index]
    }

    /// The highlighted candidate of a slot, within its candidates.
    public func highlightedCandidate(_ slot: ImageSlot) -> Int {
        let count = slot.candidates.count
        guard count > 0 else { return 0 }
        return min(max(0, candidateCursor[slot.id] ?? slot.chosenIndex ?? 0), count - 1)
    }

    /// The next free pipeline numbers, so a new job's ids never collide with existing ones.
    var nextPipelineParagraph: Int {
        (content.paragraphs.filter { $0.id.origin == .pipeline }.map(\.id.number).max() ?? -1) + 1
    }

    var nextPipelineSlot: Int {
        (content.slots.filter { $0.id.origin == .pipeline }.map(\.id.number).max() ?? -1) + 1
    }
}
