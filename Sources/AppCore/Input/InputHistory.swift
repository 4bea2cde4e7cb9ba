/// Previously submitted prompts, browsed with Up/Down like a shell's history.
///
/// Stepping into the history keeps the unsent draft; stepping back down past the newest entry
/// returns it. Edits made to a recalled entry are not kept when moving on (the entries themselves
/// never change).
public struct InputHistory: Sendable, Equatable {
    /// The entries, oldest first.
    public private(set) var entries: [String]
    /// The most entries kept; adding more forgets the oldest.
    public let capacity: Int
    /// Which entry is shown, or nil while the draft is.
    public private(set) var position: Int?
    private var draft = ""

    /// A history holding the newest `capacity` of `entries` (oldest first), showing the draft.
    public init(entries: [String] = [], capacity: Int = 1000) {
        self.capacity = max(1, capacity)
        self.entries = Array(entries.suffix(self.capacity))
    }

    /// Whether a history entry (rather than the draft) is being shown.
    public var isBrowsing: Bool { position != nil }

    /// Records a submission and returns to the draft position. Blank submissions and repeats of
    /// the newest entry are not recorded.
    public mutating func add(_ entry: String) {
        resetNavigation()
        guard entry.contains(where: { !$0.isWhitespace }) else { return }
        guard entries.last != entry else { return }
        entries.append(entry)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// The entry before the one shown, or nil if there is none (then nothing changes).
    /// `current` is the editor's text, kept as the draft when leaving it.
    public mutating func older(current: String) -> String? {
        switch position {
        case nil:
            guard !entries.isEmpty else { return nil }
            draft = current
            position = entries.count - 1
        case let p? where p > 0:
            position = p - 1
        default:
            return nil
        }
        return position.map { entries[$0] }
    }

    /// The entry after the one shown, the draft after the newest entry, or nil when the draft is
    /// already shown.
    public mutating func newer() -> String? {
        guard let p = position else { return nil }
        if p + 1 < entries.count {
            position = p + 1
            return entries[p + 1]
        }
        position = nil
        return draft
    }

    /// Forgets the browsing position and the saved draft (after a submission or a cleared prompt).
    public mutating func resetNavigation() {
        position = nil
        draft = ""
    }
}
