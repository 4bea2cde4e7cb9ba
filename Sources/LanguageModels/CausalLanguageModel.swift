/// What the generation loop needs from a language model: a KV cache with several sequence slots,
/// prompt prefill, and one decode step for several slots at once (beams, parallel samples).
///
/// Buffers returned are owned by the model and stay valid until its next call, so the decode loop
/// allocates nothing per token. A model is used from one thread at a time (the engine's worker).
public protocol CausalLanguageModel: AnyObject {
    /// Number of logits per position.
    var vocabularySize: Int { get }
    /// Positions one sequence can hold (the KV cache's length).
    var contextLength: Int { get }
    /// Number of independent sequence slots in the KV cache.
    var sequenceSlots: Int { get }

    /// Feeds `tokens` into slot `slot` at positions `position ..< position + tokens.count` and
    /// returns the logits after the last token.
    ///
    /// - Parameter shouldCancel: polled between layers of long prompts; when it returns true the
    ///   call throws `ModelError.cancelled` and the slot's cache past `position` is undefined.
    func prefill(tokens: [Int32], slot: Int, position: Int,
                 shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float>

    /// One step: `tokens[i]` goes into slot `slots[i]` at position `positions[i]`.
    /// Returns `tokens.count × vocabularySize` logits, row `i` for `tokens[i]`.
    func decode(tokens: [Int32], slots: [Int], positions: [Int]) throws -> UnsafeBufferPointer<Float>

    /// Copies the first `length` cached positions of slot `source` into slot `destination`
    /// (beam search reorders its beams this way).
    func copySequence(from source: Int, to destination: Int, length: Int)
}

/// Errors a model raises while running.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case cancelled
    case contextFull(needed: Int, available: Int)
    case invalidToken(Int32, vocabularySize: Int)
    case invalidSlot(Int)

    public var description: String {
        switch self {
        case .cancelled: return "cancelled"
        case let .contextFull(needed, available):
            return "the context is full: \(needed) positions needed, \(available) available"
        case let .invalidToken(token, vocabularySize):
            return "token id \(token) is outside the vocabulary (size \(vocabularySize))"
        case let .invalidSlot(slot): return "sequence slot \(slot) does not exist"
        }
    }
}
