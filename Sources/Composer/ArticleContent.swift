/// One paragraph (one line of the model's article = one section).
public struct Paragraph: Sendable, Equatable, Codable {
    public var id: ParagraphID
    public var text: String

    public init(id: ParagraphID, text: String) {
        self.id = id
        self.text = text
    }
}

/// An image found for a caption.
public struct Candidate: Sendable, Equatable, Codable {
    /// Where the image file is.
    public var path: String
    /// The retrieval score (higher is closer); 0 when unknown, e.g. read back from Markdown.
    public var score: Float
    /// The image library's caption of the image (what instruct models choose by).
    public var captionText: String

    public init(path: String, score: Float = 0, captionText: String = "") {
        self.path = path
        self.score = score
        self.captionText = captionText
    }
}

/// Where an image slot is in the pipeline.
public enum SlotStatus: Sendable, Equatable, Codable {
    /// Placed, no caption yet.
    case spotted
    /// Has a caption, no candidates yet.
    case captioned
    /// Candidates are being looked up.
    case retrieving
    /// Has candidates (and, if any, a chosen one).
    case ready
    /// A step failed; the message is one line for the user.
    case failed(String)
}

/// A place for an image after a paragraph.
public struct ImageSlot: Sendable, Equatable, Codable {
    public var id: SlotID
    /// The paragraph the image follows.
    public var afterParagraph: ParagraphID
    public var caption: String
    public var candidates: [Candidate]
    /// Index into `candidates` of the image shown; nil for none.
    public var chosenIndex: Int?
    public var status: SlotStatus

    public init(id: SlotID, afterParagraph: ParagraphID, caption: String = "", candidates: [Candidate] = [],
                chosenIndex: Int? = nil, status: SlotStatus = .spotted) {
        self.id = id
        self.afterParagraph = afterParagraph
        self.caption = caption
        self.candidates = candidates
        self.chosenIndex = chosenIndex
        self.status = status
    }

    /// The chosen candidate, if the index is valid.
    public var chosen: Candidate? {
        guard let chosenIndex, candidates.indices.contains(chosenIndex) else { return nil }
        return candidates[chosenIndex]
    }
}

/// The document itself, without edit history: what is rendered, saved and compared.
public struct ArticleContent: Sendable, Equatable, Codable {
    public var title: String
    public var paragraphs: [Paragraph]
    /// Slots in display order (slots after the same paragraph show in this order).
    public var slots: [ImageSlot]

    public init(title: String = "", paragraphs: [Paragraph] = [], slots: [ImageSlot] = []) {
        self.title = title
        self.paragraphs = paragraphs
        self.slots = slots
    }

    /// The paragraph texts: the sections the prompts number (`<Seg i>` is `sections[i]`).
    public var sections: [String] { paragraphs.map(\.text) }

    /// The id of the paragraph at section index `index` (what a spot refers to), if there is one.
    public func paragraphID(atSection index: Int) -> ParagraphID? {
        paragraphs.indices.contains(index) ? paragraphs[index].id : nil
    }

    /// The slots after paragraph `id`, in display order.
    public func slots(after id: ParagraphID) -> [ImageSlot] { slots.filter { $0.afterParagraph == id } }

    /// Paths of the chosen images in article order, each once: what retrieval must not offer again.
    public var usedImagePaths: [String] {
        var seen = Set<String>()
        var paths: [String] = []
        for paragraph in paragraphs {
            for slot in slots(after: paragraph.id) {
                if let path = slot.chosen?.path, seen.insert(path).inserted { paths.append(path) }
            }
        }
        return paths
    }
}
