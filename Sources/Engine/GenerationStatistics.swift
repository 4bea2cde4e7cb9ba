/// Counts and timings of one request, sent once before `.finished`.
public struct GenerationStatistics: Sendable, Equatable {
    /// Prompt tokens fed to the model (after any truncation).
    public var promptTokens: Int
    /// Prompt tokens dropped by `ContextPolicy.truncateStart`.
    public var droppedPromptTokens: Int
    /// Tokens generated, including a final stop token. For beam search, the steps run (tokens
    /// generated per beam), which is what the decode time paid for; the reply may be shorter.
    public var generatedTokens: Int
    /// Wall time of the prompt prefill.
    public var prefillSeconds: Double
    /// Wall time from the end of prefill to the end of generation.
    public var decodeSeconds: Double

    public init(promptTokens: Int, droppedPromptTokens: Int = 0, generatedTokens: Int,
                prefillSeconds: Double, decodeSeconds: Double) {
        self.promptTokens = promptTokens
        self.droppedPromptTokens = droppedPromptTokens
        self.generatedTokens = generatedTokens
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
    }

    /// Prompt tokens per second of prefill (0 when nothing was timed).
    public var prefillTokensPerSecond: Double {
        prefillSeconds > 0 ? Double(promptTokens) / prefillSeconds : 0
    }

    /// Generated tokens per second of decoding. The first token comes from the prefill's logits,
    /// so the rate counts the tokens after it, which are the ones the decode time paid for.
    public var decodeTokensPerSecond: Double {
        decodeSeconds > 0 ? Double(max(generatedTokens - 1, 0)) / decodeSeconds : 0
    }
}
