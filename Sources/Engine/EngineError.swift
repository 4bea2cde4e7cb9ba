/// Everything that can go wrong in the Engine module, each case one clear line for the user.
///
/// Parameter problems are found by `GenerationParameters.validate()` before any model work, so a
/// bad request fails at once instead of after a long prefill.
public enum EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A generation parameter is outside its allowed range; `reason` says which range.
    case invalidParameter(name: String, value: String, reason: String)
    /// The prompt does not fit the model's context under `ContextPolicy.error`.
    case promptTooLong(promptTokens: Int, contextLength: Int)
    /// `ContextPolicy.truncateStart(keep:)` cannot make the prompt fit because the kept head is too long.
    case cannotTruncate(promptTokens: Int, keep: Int, target: Int)
    /// The request has no prompt tokens, so the model has nothing to continue from.
    case emptyPrompt
    /// A prompt token is not in the model's vocabulary.
    case tokenOutOfVocabulary(token: Int32, index: Int, vocabularySize: Int)
    /// Beam search needs one KV-cache sequence slot per beam.
    case notEnoughSequenceSlots(needed: Int, available: Int)
    /// The model scores more ids than the tokenizer can decode.
    case vocabularyMismatch(model: Int, tokenizer: Int)
    /// The model factory failed on the worker thread.
    case modelUnavailable(String)
    /// The model threw while running.
    case model(String)
    /// The engine was shut down before the request could run.
    case engineShutDown

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, reason):
            return "generation parameter \(name) = \(value) is invalid: \(reason)"
        case let .promptTooLong(promptTokens, contextLength):
            return "the prompt has \(promptTokens) tokens but the context holds \(contextLength) "
                + "(at least one position must stay free for the reply)"
        case let .cannotTruncate(promptTokens, keep, target):
            return "cannot shorten the \(promptTokens)-token prompt to \(target) tokens while keeping "
                + "its first \(keep) tokens"
        case .emptyPrompt:
            return "the request has no prompt tokens"
        case let .tokenOutOfVocabulary(token, index, vocabularySize):
            return "prompt token \(index) has id \(token), outside the vocabulary of \(vocabularySize) ids"
        case let .notEnoughSequenceSlots(needed, available):
            return "beam search with \(needed) beams needs \(needed) sequence slots, the model has \(available)"
        case let .vocabularyMismatch(model, tokenizer):
            return "the model scores \(model) ids but the tokenizer decodes only \(tokenizer)"
        case let .modelUnavailable(message):
            return "the model could not be loaded: \(message)"
        case let .model(message):
            return "the model failed: \(message)"
        case .engineShutDown:
            return "the engine was shut down before the request ran"
        }
    }
}
