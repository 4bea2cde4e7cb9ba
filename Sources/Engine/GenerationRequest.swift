import LanguageModels

/// One unit of work for `Generator` or `Engine`: prompt ids and how to decode after them.
///
/// The prompt is already tokenised and templated (the caller renders chat templates), so the
/// engine never guesses about BOS or special tokens.
public struct GenerationRequest: Sendable, Equatable {
    /// Prompt token ids, fed to the model as they are.
    public var promptTokens: [Int32]
    /// Decoding settings.
    public var parameters: GenerationParameters
    /// A prompt with precomputed embedding rows (images), when set; `promptTokens` then holds
    /// one placeholder id per embedding row so positions and counts stay right. See
    /// `init(promptParts:parameters:)`.
    public var promptParts: [PromptPart]?

    public init(promptTokens: [Int32], parameters: GenerationParameters = GenerationParameters()) {
        self.promptTokens = promptTokens
        self.parameters = parameters
    }
}
