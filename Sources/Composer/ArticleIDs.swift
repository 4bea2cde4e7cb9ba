/// Who made an id: the pipeline (which numbers its paragraphs and slots itself, in its events)
/// or an edit operation of `Article` (numbered by the article). The two never collide.
public enum IDOrigin: String, Sendable, Hashable, Codable {
    case pipeline
    case edit
}

/// A paragraph's identity; stays the same while its text and position change.
public struct ParagraphID: Sendable, Hashable, Codable, CustomStringConvertible {
    public var origin: IDOrigin
    public var number: Int

    public init(_ number: Int, origin: IDOrigin = .pipeline) {
        self.origin = origin
        self.number = number
    }

    public var description: String { origin == .pipeline ? "paragraph \(number)" : "paragraph e\(number)" }
}

/// An image slot's identity.
public struct SlotID: Sendable, Hashable, Codable, CustomStringConvertible {
    public var origin: IDOrigin
    public var number: Int

    public init(_ number: Int, origin: IDOrigin = .pipeline) {
        self.origin = origin
        self.number = number
    }

    public var description: String { origin == .pipeline ? "image slot \(number)" : "image slot e\(number)" }
}
