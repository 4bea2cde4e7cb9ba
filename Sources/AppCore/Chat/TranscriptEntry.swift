/// An image attached to a turn: where it came from and what the user sees of it.
public struct AttachedImage: Sendable, Equatable, Hashable {
    /// The file, as the user gave it (after paste decoding and `~` expansion).
    public var path: String
    /// Pixel size, from the decoder.
    public var width: Int
    public var height: Int

    public init(path: String, width: Int, height: Int) {
        self.path = path
        self.width = width
        self.height = height
    }

    /// The file name shown on chips.
    public var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }
}

/// One block of the transcript.
public struct TranscriptEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// What the user sent.
        case user
        /// The model's reply.
        case assistant
        /// A message from the program itself (help, refusals, command results): never sent to the model.
        case notice
        /// A failure the user should read.
        case error
    }

    /// How a reply ended, shown under it.
    public enum Completion: Sendable, Equatable {
        case streaming
        case finished
        /// Stopped by the user; the text so far is kept.
        case stopped
        case failed(String)
    }

    public var kind: Kind
    public var text: String
    public var images: [AttachedImage]
    public var completion: Completion

    public init(kind: Kind, text: String, images: [AttachedImage] = [], completion: Completion = .finished) {
        self.kind = kind
        self.text = text
        self.images = images
        self.completion = completion
    }

    /// Whether this entry is part of the conversation the model sees.
    public var isConversation: Bool { kind == .user || kind == .assistant }
}
