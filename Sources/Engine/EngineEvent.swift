/// What a request reports while it runs, in this order: `.progress` during prefill, `.text` pieces
/// as they become final, then `.stats` and `.finished` (with `.error` just before `.finished` when
/// the request failed). Every request ends with exactly one `.finished`.
public enum EngineEvent: Sendable, Equatable {
    /// Reply text that is final: complete UTF-8 characters, never part of a stop string.
    case text(String)
    /// Prefill progress in prompt tokens.
    case progress(done: Int, total: Int)
    /// Counts and timings, sent once before `.finished` whenever the prompt was accepted.
    case stats(GenerationStatistics)
    /// The request is over; no event follows.
    case finished(FinishReason)
    /// The request failed; `.finished(.error(message))` follows.
    case error(String)
}
