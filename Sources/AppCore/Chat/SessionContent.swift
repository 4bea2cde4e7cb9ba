/// What is saved of a conversation: enough to show it again and carry on, draft included.
public struct SessionContent: Sendable, Equatable {
    /// The saved session's id; nil until the first save.
    public var id: Int64?
    public var title: String
    public var modelName: String?
    public var systemPrompt: String?
    public var entries: [TranscriptEntry]
    /// The unsent text in the input box.
    public var draft: String

    public init(id: Int64?, title: String, modelName: String?, systemPrompt: String?,
                entries: [TranscriptEntry], draft: String) {
        self.id = id
        self.title = title
        self.modelName = modelName
        self.systemPrompt = systemPrompt
        self.entries = entries
        self.draft = draft
    }
}

/// One line of `/sessions`.
public struct SessionListing: Sendable, Equatable {
    public var id: Int64
    public var title: String
    /// When it was last changed, as the user reads it ("2026-12-02 14:03").
    public var updated: String
    public var turns: Int

    public init(id: Int64, title: String, updated: String, turns: Int) {
        self.id = id
        self.title = title
        self.updated = updated
        self.turns = turns
    }
}
