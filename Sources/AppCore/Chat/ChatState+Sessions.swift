import Engine

/// What the autosave compares to decide whether something worth saving changed.
struct SaveFingerprint: Equatable {
    var entries: Int
    var lastTextLength: Int
    var lastCompletion: TranscriptEntry.Completion?
    var draft: String
    var systemPrompt: String?
}

extension ChatState {
    /// Seconds between saves while text streams in or the user types.
    public static let autosaveInterval = 1.0

    var saveFingerprint: SaveFingerprint {
        SaveFingerprint(entries: transcript.count, lastTextLength: transcript.last?.text.utf8.count ?? 0,
                        lastCompletion: transcript.last?.completion, draft: editor.text, systemPrompt: systemPrompt)
    }

    /// The conversation as it is saved.
    public var sessionContent: SessionContent {
        SessionContent(id: sessionID, title: Self.title(of: transcript), modelName: model?.name,
                       systemPrompt: systemPrompt, entries: transcript, draft: editor.text)
    }

    /// A save effect when there is something new: at once for new turns, finished replies and
    /// commands; at most once a second for streaming text and typing (the tick flushes the rest).
    mutating func autosave(after before: SaveFingerprint) -> ChatEffect? {
        let now = saveFingerprint
        if now != before { unsavedChanges = true }
        guard unsavedChanges else { return nil }
        // Nothing to keep yet: an empty conversation with an empty draft is not a session.
        if transcript.isEmpty && editor.isEmpty && sessionID == nil { unsavedChanges = false; return nil }
        let structural = now.entries != before.entries || now.lastCompletion != before.lastCompletion
            || now.systemPrompt != before.systemPrompt
        let time = environment.now()
        guard structural || time - lastSavedAt >= Self.autosaveInterval else { return nil }
        lastSavedAt = time
        unsavedChanges = false
        return .save(sessionContent)
    }

    /// Replaces the conversation with a saved one.
    mutating func open(_ content: SessionContent) -> [ChatEffect] {
        var effects: [ChatEffect] = []
        if activity.isBusy { effects.append(.cancelGeneration) }
        transcript = content.entries.map { entry in
            var entry = entry
            if entry.completion == .streaming { entry.completion = .stopped }
            return entry
        }
        sessionID = content.id
        systemPrompt = content.systemPrompt
        editor = LineEditor(text: content.draft)
        pendingImages = []
        previewIndex = nil
        scrollFromBottom = 0
        lastStatistics = nil
        // Opening is not a change to save; the next edit is.
        unsavedChanges = false
        post("Resumed “\(content.title)”")
        return effects
    }

    static func title(of transcript: [TranscriptEntry]) -> String {
        guard let first = transcript.first(where: { $0.kind == .user && !$0.text.isEmpty }) else {
            if let image = transcript.first(where: { !$0.images.isEmpty })?.images.first { return image.fileName }
            return "Untitled chat"
        }
        let line = first.text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? first.text
        let trimmed = line.trimmingWhitespace()
        return trimmed.count > 60 ? String(trimmed.prefix(59)) + "…" : trimmed
    }

    static func describe(_ sessions: [SessionListing]) -> String {
        guard !sessions.isEmpty else { return "No saved conversations yet." }
        var lines = ["Saved conversations (/resume ID opens one):"]
        for session in sessions {
            lines.append("  \(session.id)  \(session.updated)  \(session.turns) turns  \(session.title)")
        }
        return lines.joined(separator: "\n")
    }
}

extension ChatState {
    /// The save still owed as the program ends (changes of the last second), if any.
    public mutating func finalSave() -> ChatEffect? {
        guard unsavedChanges else { return nil }
        unsavedChanges = false
        return .save(sessionContent)
    }
}
