/// One message of a conversation, as chat templates take them.
public struct ChatMessage: Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Sendable, Equatable {
        /// Instructions that frame the conversation (a system prompt).
        case system
        /// The person.
        case user
        /// The model.
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What is said, as plain text.
    public var content: String

    /// A message.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}

/// A piece of a rendered prompt that is tokenized on its own.
///
/// Most templates render to a single segment, tokenized whole as llama.cpp does. InternLM-
/// XComposer's reference code tokenizes each part of a turn separately (so BPE never merges
/// across them), puts BOS at the start of some parts, and places the image right before the
/// user's text; its segments carry exactly that.
public struct PromptSegment: Sendable, Equatable {
    /// What the segment holds, so a caller can put an image before the last user text.
    public enum Role: Sendable, Equatable {
        /// Template text (role markers, separators, a whole rendered prompt).
        case template
        /// A system prompt.
        case system
        /// The user's words.
        case user
        /// The model's words.
        case assistant
    }

    /// The text.
    public var text: String
    /// Whether to encode with `addSpecial: true` (BOS first, when the model's settings add it).
    public var addSpecial: Bool
    /// What the text is.
    public var role: Role

    /// A segment.
    public init(text: String, addSpecial: Bool, role: Role) {
        self.text = text
        self.addSpecial = addSpecial
        self.role = role
    }
}
