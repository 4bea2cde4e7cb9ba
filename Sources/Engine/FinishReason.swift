/// Why a request stopped producing tokens.
public enum FinishReason: Sendable, Equatable, CustomStringConvertible {
    /// The model produced a stop token (end of sequence, end of turn, or one from the request).
    case stopToken
    /// The decoded text reached one of the request's stop strings.
    case stopString
    /// `maxNewTokens` tokens were generated.
    case maxTokens
    /// The KV cache has no position left for another token.
    case contextFull
    /// `Engine.cancel()`, the stream's termination or the caller's cancel check stopped it.
    case cancelled
    /// The request failed; the message is one line for the user.
    case error(String)

    public var description: String {
        switch self {
        case .stopToken: return "stop token"
        case .stopString: return "stop string"
        case .maxTokens: return "token limit"
        case .contextFull: return "context full"
        case .cancelled: return "cancelled"
        case let .error(message): return "error: \(message)"
        }
    }
}
