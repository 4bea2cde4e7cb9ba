import AppCore

/// A whole chat as saved: what the app needs to show it again and to continue it.
public struct SessionSnapshot: Sendable, Equatable {
    /// The row id once saved; `nil` for a chat never saved.
    public var id: Int64?
    public var title: String
    /// Unix seconds.
    public var createdAt: Double
    /// Unix seconds; the list of sessions is ordered by it, newest first.
    public var updatedAt: Double
    /// The model the chat was held with, as shown to the user (e.g. the GGUF file's name).
    public var modelName: String?
    public var systemPrompt: String?
    public var entries: [TranscriptEntry]
    /// The unsent text in the input box, so an autosave keeps what the user was still typing.
    public var draft: String

    public init(
        id: Int64? = nil,
        title: String,
        createdAt: Double,
        updatedAt: Double,
        modelName: String? = nil,
        systemPrompt: String? = nil,
        entries: [TranscriptEntry],
        draft: String = ""
    ) {
        self.id = id
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.modelName = modelName
        self.systemPrompt = systemPrompt
        self.entries = entries
        self.draft = draft
    }

    /// The title a chat gets before the user names it: the first line of the first user message
    /// that has any text, trimmed and shortened to about 60 characters (cut at a word boundary when
    /// one is near, with "…" added), else "Untitled chat".
    public static func defaultTitle(entries: [TranscriptEntry]) -> String {
        for entry in entries where entry.kind == .user {
            let lines = entry.text.split(whereSeparator: { $0.isNewline })
            guard let line = lines.lazy.map({ trimmed(Substring($0)) }).first(where: { !$0.isEmpty }) else {
                continue
            }
            return shortened(line, to: titleLength)
        }
        return "Untitled chat"
    }

    /// Titles longer than this many characters are shortened.
    static let titleLength = 60

    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// `text` if it fits in `limit` characters, else a prefix ending in "…" that does.
    static func shortened(_ text: Substring, to limit: Int) -> String {
        guard text.count > limit else { return String(text) }
        var cut = text.prefix(limit - 1)
        // Prefer ending on a whole word when that loses no more than a third of the title.
        let endsAtWord = text[cut.endIndex].isWhitespace
        if !endsAtWord, let space = cut.lastIndex(where: { $0.isWhitespace }),
           cut.distance(from: cut.startIndex, to: space) >= limit * 2 / 3 {
            cut = cut[..<space]
        }
        return String(trimmed(cut)) + "…"
    }
}

/// One line of the session list.
public struct SessionSummary: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var title: String
    /// Unix seconds.
    public var updatedAt: Double
    /// How many messages the user sent in the chat.
    public var turnCount: Int
    public var modelName: String?

    public init(id: Int64, title: String, updatedAt: Double, turnCount: Int, modelName: String?) {
        self.id = id
        self.title = title
        self.updatedAt = updatedAt
        self.turnCount = turnCount
        self.modelName = modelName
    }
}
