/// An article being composed: the content, edit operations and undo/redo.
///
/// Every operation and every applied event is one undo step, except that consecutive text edits
/// of the same paragraph (typing, or streamed text) coalesce into one step until another
/// operation, an undo, or `endEditBurst()`. A failed operation changes nothing.
public struct Article: Sendable {
    /// The document.
    public private(set) var content: ArticleContent
    private var undoStack: [ArticleContent] = []
    private var redoStack: [ArticleContent] = []
    /// The paragraph of the text-edit burst in progress, if any.
    private var burst: ParagraphID?
    private var nextParagraphNumber = 0
    private var nextSlotNumber = 0
    /// Most undo steps kept (the oldest are forgotten).
    public static let undoLimit = 1000

    public init(_ content: ArticleContent = ArticleContent()) {
        self.content = content
        nextParagraphNumber = (content.paragraphs.filter { $0.id.origin == .edit }.map(\.id.number).max() ?? -1) + 1
        nextSlotNumber = (content.slots.filter { $0.id.origin == .edit }.map(\.id.number).max() ?? -1) + 1
    }

    public init(title: String) { self.init(ArticleContent(title: title)) }

    public var title: String { content.title }
    public var paragraphs: [Paragraph] { content.paragraphs }
    public var slots: [ImageSlot] { content.slots }
    /// Paths of the chosen images, in article order: the retrieval exclusion list.
    public var usedImagePaths: [String] { content.usedImagePaths }
    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }

    public func paragraph(_ id: ParagraphID) -> Paragraph? { content.paragraphs.first { $0.id == id } }
    public func slot(_ id: SlotID) -> ImageSlot? { content.slots.first { $0.id == id } }

    // MARK: History

    /// Runs `change` on a copy; commits it as one undo step (or into the running burst) if it succeeds.
    @discardableResult
    private mutating func perform<T>(burst newBurst: ParagraphID? = nil,
                                     _ change: (inout ArticleContent) throws(ArticleError) -> T) throws(ArticleError) -> T {
        var copy = content
        let result = try change(&copy)
        if newBurst == nil || newBurst != burst {
            undoStack.append(content)
            if undoStack.count > Self.undoLimit { undoStack.removeFirst(undoStack.count - Self.undoLimit) }
        }
        burst = newBurst
        redoStack.removeAll()
        content = copy
        return result
    }

    /// Ends the running text-edit burst: the next text edit starts a new undo step.
    public mutating func endEditBurst() { burst = nil }

    /// Goes back one step; false when there is nothing to undo.
    @discardableResult
    public mutating func undo() -> Bool {
        guard let previous = undoStack.popLast() else { return false }
        redoStack.append(content)
        content = previous
        burst = nil
        return true
    }

    /// Re-does the last undone step; false when there is nothing to redo.
    @discardableResult
    public mutating func redo() -> Bool {
        guard let next = redoStack.popLast() else { return false }
        undoStack.append(content)
        content = next
        burst = nil
        return true
    }

    // MARK: Lookups

    private static func paragraphIndex(_ id: ParagraphID, in content: ArticleContent) throws(ArticleError) -> Int {
        guard let index = content.paragraphs.firstIndex(where: { $0.id == id }) else { throw .unknownParagraph(id) }
        return index
    }

    private static func slotIndex(_ id: SlotID, in content: ArticleContent) throws(ArticleError) -> Int {
        guard let index = content.slots.firstIndex(where: { $0.id == id }) else { throw .unknownSlot(id) }
        return index
    }

    private mutating func newParagraphID() -> ParagraphID {
        defer { nextParagraphNumber += 1 }
        return ParagraphID(nextParagraphNumber, origin: .edit)
    }

    private mutating func newSlotID() -> SlotID {
        defer { nextSlotNumber += 1 }
        return SlotID(nextSlotNumber, origin: .edit)
    }

    // MARK: Edits

    public mutating func setTitle(_ title: String) throws(ArticleError) {
        try perform { $0.title = title }
    }

    /// Replaces a paragraph's text; consecutive edits of one paragraph are one undo step.
    public mutating func editParagraph(_ id: ParagraphID, text: String) throws(ArticleError) {
        try perform(burst: id) { (content: inout ArticleContent) throws(ArticleError) in
            content.paragraphs[try Self.paragraphIndex(id, in: content)].text = text
        }
    }

    /// Inserts a paragraph at `position` (0…count) and returns its id.
    @discardableResult
    public mutating func insertParagraph(_ text: String, at position: Int) throws(ArticleError) -> ParagraphID {
        let count = content.paragraphs.count
        guard position >= 0, position <= count else { throw .positionOutOfRange(position: position, count: count) }
        let id = newParagraphID()
        try perform { $0.paragraphs.insert(Paragraph(id: id, text: text), at: position) }
        return id
    }

    /// Deletes a paragraph and the image slots after it.
    public mutating func deleteParagraph(_ id: ParagraphID) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            content.paragraphs.remove(at: try Self.paragraphIndex(id, in: content))
            content.slots.removeAll { $0.afterParagraph == id }
        }
    }

    /// Splits a paragraph before character `offset` (0…length, clamped); the second half is a new
    /// paragraph, returned, and the slots after the paragraph move after it.
    @discardableResult
    public mutating func splitParagraph(_ id: ParagraphID, at offset: Int) throws(ArticleError) -> ParagraphID {
        let newID = newParagraphID()
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            let index = try Self.paragraphIndex(id, in: content)
            let text = content.paragraphs[index].text
            let cut = text.index(text.startIndex, offsetBy: max(0, min(offset, text.count)))
            content.paragraphs[index].text = String(text[..<cut])
            content.paragraphs.insert(Paragraph(id: newID, text: String(text[cut...])), at: index + 1)
            for slot in content.slots.indices where content.slots[slot].afterParagraph == id {
                content.slots[slot].afterParagraph = newID
            }
        }
        return newID
    }

    /// Merges the next paragraph into this one (joined by `separator`); the next paragraph's
    /// slots follow the merged paragraph, after this one's.
    public mutating func mergeWithNext(_ id: ParagraphID, separator: String = " ") throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            let index = try Self.paragraphIndex(id, in: content)
            guard index + 1 < content.paragraphs.count else { throw .noNextParagraph(id) }
            let next = content.paragraphs.remove(at: index + 1)
            let first = content.paragraphs[index].text
            content.paragraphs[index].text = first.isEmpty || next.text.isEmpty ? first + next.text
                : first + separator + next.text
            let mine = content.slots.filter { $0.afterParagraph == id }
            var theirs = content.slots.filter { $0.afterParagraph == next.id }
            for slot in theirs.indices { theirs[slot].afterParagraph = id }
            content.slots.removeAll { $0.afterParagraph == id || $0.afterParagraph == next.id }
            content.slots.append(contentsOf: mine + theirs)
        }
    }

    /// Adds an image slot after a paragraph (last among its slots) and returns its id.
    @discardableResult
    public mutating func addSlot(after paragraph: ParagraphID, caption: String = "") throws(ArticleError) -> SlotID {
        let id = newSlotID()
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            _ = try Self.paragraphIndex(paragraph, in: content)
            content.slots.append(ImageSlot(id: id, afterParagraph: paragraph, caption: caption,
                                           status: caption.isEmpty ? .spotted : .captioned))
        }
        return id
    }

    /// Moves a slot after another paragraph (last among its slots).
    public mutating func moveSlot(_ id: SlotID, after paragraph: ParagraphID) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            _ = try Self.paragraphIndex(paragraph, in: content)
            var slot = content.slots.remove(at: try Self.slotIndex(id, in: content))
            slot.afterParagraph = paragraph
            content.slots.append(slot)
        }
    }

    public mutating func deleteSlot(_ id: SlotID) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            content.slots.remove(at: try Self.slotIndex(id, in: content))
        }
    }

    /// Sets the caption; the slot becomes `.captioned` (its old candidates no longer match it, so
    /// they are cleared).
    public mutating func setCaption(_ id: SlotID, _ caption: String) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            let index = try Self.slotIndex(id, in: content)
            content.slots[index].caption = caption
            content.slots[index].candidates = []
            content.slots[index].chosenIndex = nil
            content.slots[index].status = .captioned
        }
    }

    /// Sets the candidates and chooses the first; no candidates marks the slot failed.
    public mutating func setCandidates(_ id: SlotID, _ candidates: [Candidate]) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            let index = try Self.slotIndex(id, in: content)
            content.slots[index].candidates = candidates
            content.slots[index].chosenIndex = candidates.isEmpty ? nil : 0
            content.slots[index].status = candidates.isEmpty ? .failed("no images found for the caption") : .ready
        }
    }

    /// Chooses candidate `index` (0-based) of a slot.
    public mutating func chooseCandidate(_ id: SlotID, index: Int) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            let slot = try Self.slotIndex(id, in: content)
            let count = content.slots[slot].candidates.count
            guard index >= 0, index < count else { throw .candidateOutOfRange(slot: id, index: index, count: count) }
            content.slots[slot].chosenIndex = index
            content.slots[slot].status = .ready
        }
    }

    /// Sets a slot's status (e.g. `.retrieving`, `.failed`).
    public mutating func setStatus(_ id: SlotID, _ status: SlotStatus) throws(ArticleError) {
        try perform { (content: inout ArticleContent) throws(ArticleError) in
            content.slots[try Self.slotIndex(id, in: content)].status = status
        }
    }

    // MARK: Events

    /// Applies a pipeline event as one undo step (streamed text coalesces per paragraph).
    public mutating func apply(_ event: ArticleEvent) throws(ArticleError) {
        switch event {
        case .titleSet(let title):
            try setTitle(title)
        case .paragraphAppended(let id, let text):
            try perform { (content: inout ArticleContent) throws(ArticleError) in
                guard !content.paragraphs.contains(where: { $0.id == id }) else { throw .duplicateParagraph(id) }
                content.paragraphs.append(Paragraph(id: id, text: text))
            }
        case .paragraphExtended(let id, let more):
            try perform(burst: id) { (content: inout ArticleContent) throws(ArticleError) in
                if let index = content.paragraphs.firstIndex(where: { $0.id == id }) {
                    content.paragraphs[index].text += more
                } else {
                    content.paragraphs.append(Paragraph(id: id, text: more))
                }
            }
        case .slotSpotted(let id, let paragraph):
            try perform { (content: inout ArticleContent) throws(ArticleError) in
                _ = try Self.paragraphIndex(paragraph, in: content)
                guard !content.slots.contains(where: { $0.id == id }) else { throw .duplicateSlot(id) }
                content.slots.append(ImageSlot(id: id, afterParagraph: paragraph))
            }
        case .captionSet(let id, let caption):
            try setCaption(id, caption)
        case .retrievalStarted(let id):
            try setStatus(id, .retrieving)
        case .candidatesFound(let id, let candidates):
            try setCandidates(id, candidates)
        case .imageChosen(let id, let index):
            try chooseCandidate(id, index: index)
        case .slotFailed(let id, let message):
            try setStatus(id, .failed(message))
        }
    }
}
