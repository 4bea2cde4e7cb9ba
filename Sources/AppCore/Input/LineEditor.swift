/// The prompt's editable text: a multi-line buffer with a cursor, readline-style motions and kills,
/// and undo/redo.
///
/// The cursor is an offset in `Character`s (grapheme clusters) from the start of `text`, always in
/// `0...characterCount`. Every operation clamps, so no sequence of calls can crash, whatever the
/// cursor was set to. Lines are *logical* lines (separated by "\n"); wrapping to the screen width is
/// the renderer's business.
public struct LineEditor: Sendable, Equatable {
    /// The text as grapheme clusters, kept segmented exactly as `String(storage)` would be, so that
    /// offsets into it are offsets into `text`.
    private var storage: [Character]
    private var cursorStorage: Int
    /// The column `moveUp`/`moveDown` aim for, kept across consecutive vertical moves so that
    /// passing through a short line does not lose the column.
    private var goalColumn: Int?
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    /// Whether the last edit was a single-character insert that the next one may join (one undo
    /// step for a typed word or sentence rather than one per key).
    private var coalescing = false

    /// How many undo steps are kept; older ones are forgotten.
    public static let undoLimit = 200

    private struct Snapshot: Sendable, Equatable {
        var storage: [Character]
        var cursor: Int
    }

    /// An editor holding `text` with the cursor at its end and no undo history.
    public init(text: String = "") {
        storage = Array(LineEditor.sanitize(text))
        cursorStorage = storage.count
    }

    /// The whole buffer.
    public var text: String { String(storage) }

    /// The number of `Character`s in `text`.
    public var count: Int { storage.count }

    /// Whether the buffer is empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// The cursor as an offset in `Character`s; setting it clamps to `0...count`.
    public var cursor: Int {
        get { cursorStorage }
        set {
            cursorStorage = LineEditor.clamp(newValue, 0, storage.count)
            endMotionSequence()
        }
    }

    /// Whether `undo()` has something to undo.
    public var canUndo: Bool { !undoStack.isEmpty }
    /// Whether `redo()` has something to redo.
    public var canRedo: Bool { !redoStack.isEmpty }

    /// The cursor's logical line (0-based) and column in `Character`s within it.
    public var cursorLineAndColumn: (line: Int, column: Int) {
        let c = safeCursor
        var line = 0
        var start = 0
        for i in 0..<c where storage[i] == "\n" {
            line += 1
            start = i + 1
        }
        return (line, c - start)
    }

    /// Replaces the buffer (e.g. with a history entry), cursor at the end, forgetting undo history.
    public mutating func setText(_ newText: String) {
        storage = Array(LineEditor.sanitize(newText))
        cursorStorage = storage.count
        undoStack.removeAll()
        redoStack.removeAll()
        coalescing = false
        goalColumn = nil
    }

    // MARK: - Editing

    /// Inserts typed or pasted text at the cursor. Control characters other than "\n" and "\t" are
    /// dropped; "\r\n" and a lone "\r" (what terminals paste for line breaks) become "\n".
    public mutating func insert(_ string: String) {
        let clean = LineEditor.sanitize(string)
        guard !clean.isEmpty else { return }
        let single = clean.count == 1 && clean != "\n"
        let c = safeCursor
        replace(c..<c, with: clean, joinsPreviousInsert: single)
    }

    /// Deletes the character before the cursor (Backspace). Returns false if there was none.
    @discardableResult
    public mutating func deleteBackward() -> Bool {
        let c = safeCursor
        guard c > 0 else { return false }
        replace((c - 1)..<c, with: "")
        return true
    }

    /// Deletes the character under the cursor (Delete). Returns false if there was none.
    @discardableResult
    public mutating func deleteForward() -> Bool {
        let c = safeCursor
        guard c < storage.count else { return false }
        replace(c..<(c + 1), with: "")
        return true
    }

    /// Deletes from the cursor to the end of the logical line (Ctrl-K); at the end of a line, deletes
    /// the line break instead, joining the next line (as Emacs does).
    @discardableResult
    public mutating func killToLineEnd() -> Bool {
        let c = safeCursor
        let end = lineEndIndex(from: c)
        if end > c {
            replace(c..<end, with: "")
            return true
        }
        guard end < storage.count else { return false }
        replace(end..<(end + 1), with: "")
        return true
    }

    /// Deletes from the start of the logical line to the cursor (Ctrl-U); at the start of a line,
    /// deletes the line break before it instead, joining the previous line.
    @discardableResult
    public mutating func killToLineStart() -> Bool {
        let c = safeCursor
        let start = lineStartIndex(from: c)
        if start < c {
            replace(start..<c, with: "")
            return true
        }
        guard start > 0 else { return false }
        replace((start - 1)..<start, with: "")
        return true
    }

    /// Deletes the whitespace-delimited word before the cursor (Ctrl-W, like readline's
    /// unix-word-rubout): first any whitespace, then the non-whitespace run before it.
    @discardableResult
    public mutating func deleteWordBackward() -> Bool {
        let c = safeCursor
        var i = c
        while i > 0, storage[i - 1].isWhitespace { i -= 1 }
        while i > 0, !storage[i - 1].isWhitespace { i -= 1 }
        guard i < c else { return false }
        replace(i..<c, with: "")
        return true
    }

    /// Empties the buffer (undoable).
    public mutating func clear() {
        guard !storage.isEmpty else { return }
        replace(0..<storage.count, with: "")
    }

    // MARK: - Motion

    /// Moves one character left. Returns false at the start.
    @discardableResult
    public mutating func moveLeft() -> Bool {
        let c = safeCursor
        guard c > 0 else { return false }
        cursor = c - 1
        return true
    }

    /// Moves one character right. Returns false at the end.
    @discardableResult
    public mutating func moveRight() -> Bool {
        let c = safeCursor
        guard c < storage.count else { return false }
        cursor = c + 1
        return true
    }

    /// Moves to the start of the previous word (words are runs of letters, digits and "_").
    public mutating func wordLeft() {
        var i = safeCursor
        while i > 0, !LineEditor.isWordCharacter(storage[i - 1]) { i -= 1 }
        while i > 0, LineEditor.isWordCharacter(storage[i - 1]) { i -= 1 }
        cursor = i
    }

    /// Moves to the end of the next word (words are runs of letters, digits and "_").
    public mutating func wordRight() {
        var i = safeCursor
        while i < storage.count, !LineEditor.isWordCharacter(storage[i]) { i += 1 }
        while i < storage.count, LineEditor.isWordCharacter(storage[i]) { i += 1 }
        cursor = i
    }

    /// Moves to the start of the logical line.
    public mutating func lineStart() {
        cursor = lineStartIndex(from: safeCursor)
    }

    /// Moves to the end of the logical line.
    public mutating func lineEnd() {
        cursor = lineEndIndex(from: safeCursor)
    }

    /// Moves to the same column of the previous logical line (or its end if it is shorter).
    /// Returns false, without moving, on the first line, so the caller can step through history.
    @discardableResult
    public mutating func moveUp() -> Bool {
        let c = safeCursor
        let start = lineStartIndex(from: c)
        guard start > 0 else { return false }
        let column = goalColumn ?? (c - start)
        let previousStart = lineStartIndex(from: start - 1)
        let target = min(previousStart + column, start - 1)
        cursorStorage = target
        goalColumn = column
        coalescing = false
        return true
    }

    /// Moves to the same column of the next logical line (or its end if it is shorter).
    /// Returns false, without moving, on the last line, so the caller can step through history.
    @discardableResult
    public mutating func moveDown() -> Bool {
        let c = safeCursor
        let end = lineEndIndex(from: c)
        guard end < storage.count else { return false }
        let column = goalColumn ?? (c - lineStartIndex(from: c))
        let nextStart = end + 1
        let target = min(nextStart + column, lineEndIndex(from: nextStart))
        cursorStorage = target
        goalColumn = column
        coalescing = false
        return true
    }

    // MARK: - Undo

    /// Restores the text and cursor as they were before the last edit (a run of typed characters
    /// counts as one edit). Returns false if there is nothing to undo.
    @discardableResult
    public mutating func undo() -> Bool {
        guard let snapshot = undoStack.popLast() else { return false }
        redoStack.append(Snapshot(storage: storage, cursor: safeCursor))
        restore(snapshot)
        return true
    }

    /// Re-applies the last undone edit. Returns false if there is nothing to redo.
    @discardableResult
    public mutating func redo() -> Bool {
        guard let snapshot = redoStack.popLast() else { return false }
        undoStack.append(Snapshot(storage: storage, cursor: safeCursor))
        restore(snapshot)
        return true
    }

    // MARK: - Internals

    private var safeCursor: Int { LineEditor.clamp(cursorStorage, 0, storage.count) }

    private mutating func restore(_ snapshot: Snapshot) {
        storage = snapshot.storage
        cursorStorage = LineEditor.clamp(snapshot.cursor, 0, storage.count)
        coalescing = false
        goalColumn = nil
    }

    private mutating func endMotionSequence() {
        coalescing = false
        goalColumn = nil
    }

    /// The one mutation every edit goes through: records undo, splices, re-segments around the
    /// seam and puts the cursor after the new text.
    private mutating func replace(_ range: Range<Int>, with newText: String, joinsPreviousInsert: Bool = false) {
        let lower = LineEditor.clamp(range.lowerBound, 0, storage.count)
        let upper = LineEditor.clamp(range.upperBound, lower, storage.count)
        if !(joinsPreviousInsert && coalescing) {
            undoStack.append(Snapshot(storage: storage, cursor: safeCursor))
            if undoStack.count > LineEditor.undoLimit { undoStack.removeFirst(undoStack.count - LineEditor.undoLimit) }
        }
        redoStack.removeAll()
        let inserted = Array(newText)
        storage.replaceSubrange(lower..<upper, with: inserted)
        cursorStorage = resegment(around: lower, insertedCount: inserted.count)
        coalescing = joinsPreviousInsert
        goalColumn = nil
    }

    /// Makes `storage` segmented as `String(storage)` would be after a splice at `position` of
    /// `insertedCount` characters, and returns where the cursor belongs (after the inserted text).
    ///
    /// Grapheme breaks depend on neighbours (a combining mark joins the character before it, and
    /// regional indicators pair up along a whole run), so the window re-segmented is one character
    /// either side of the splice, widened rightwards over a run of regional indicators.
    private mutating func resegment(around position: Int, insertedCount: Int) -> Int {
        let lo = max(0, position - 1)
        let seamEnd = min(storage.count, position + insertedCount)
        var hi = min(storage.count, seamEnd + 1)
        while hi < storage.count, hi > lo,
              LineEditor.startsWithRegionalIndicator(storage[hi - 1]),
              LineEditor.startsWithRegionalIndicator(storage[hi]) {
            hi += 1
        }
        let segmented = Array(String(storage[lo..<hi]))
        // The cursor goes after the character holding the last inserted scalar.
        let prefixCount = Array(String(storage[lo..<seamEnd])).count
        storage.replaceSubrange(lo..<hi, with: segmented)
        return LineEditor.clamp(lo + min(prefixCount, segmented.count), 0, storage.count)
    }

    private func lineStartIndex(from position: Int) -> Int {
        var i = LineEditor.clamp(position, 0, storage.count)
        while i > 0, storage[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEndIndex(from position: Int) -> Int {
        var i = LineEditor.clamp(position, 0, storage.count)
        while i < storage.count, storage[i] != "\n" { i += 1 }
        return i
    }

    private static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
        min(max(value, low), max(low, high))
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_"
    }

    private static func startsWithRegionalIndicator(_ c: Character) -> Bool {
        guard let first = c.unicodeScalars.first else { return false }
        return (0x1F1E6...0x1F1FF).contains(first.value)
    }

    /// Drops control characters except "\n" and "\t", turning "\r\n" and "\r" into "\n".
    static func sanitize(_ string: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in string.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\r":
                scalars.append("\n")
            case "\n":
                if !previousWasCR { scalars.append(scalar) }
            case "\t":
                scalars.append(scalar)
            default:
                if scalar.properties.generalCategory != .control { scalars.append(scalar) }
            }
        }
        return String(scalars)
    }
}
