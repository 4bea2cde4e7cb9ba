/// Applies a `ContextPolicy`: decides whether a prompt may run and which of its tokens to keep.
enum PromptFitting {
    struct Fitted: Equatable {
        var tokens: [Int32]
        var dropped: Int
    }

    /// The prompt to prefill for a context of `contextLength` positions.
    ///
    /// `.error` accepts any prompt that leaves at least one position free. `.truncateStart(keep:)`
    /// keeps the first `keep` and the latest tokens so that `min(maxNewTokens, contextLength / 2)`
    /// positions stay free for the reply.
    static func fit(_ prompt: [Int32], contextLength: Int, maxNewTokens: Int,
                    policy: GenerationParameters.ContextPolicy) throws(EngineError) -> Fitted {
        switch policy {
        case .error:
            guard prompt.count < contextLength else {
                throw .promptTooLong(promptTokens: prompt.count, contextLength: contextLength)
            }
            return Fitted(tokens: prompt, dropped: 0)
        case let .truncateStart(keep):
            let reserve = min(maxNewTokens, contextLength / 2)
            let target = min(contextLength - reserve, contextLength - 1)
            guard prompt.count > target else { return Fitted(tokens: prompt, dropped: 0) }
            guard keep < target else {
                throw .cannotTruncate(promptTokens: prompt.count, keep: keep, target: max(target, 0))
            }
            let tail = target - keep
            var tokens = Array(prompt[..<keep])
            tokens.append(contentsOf: prompt[(prompt.count - tail)...])
            return Fitted(tokens: tokens, dropped: prompt.count - target)
        }
    }
}
