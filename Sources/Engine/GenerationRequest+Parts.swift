import LanguageModels

extension GenerationRequest {
    /// The id that stands for each embedding row in `promptTokens`. It only keeps counts and
    /// positions right: embedding rows never go through the token table, and the reference
    /// applies its repetition penalty to generated ids only.
    public static let embeddingPlaceholder: Int32 = 0

    /// A request whose prompt mixes token ids and precomputed embedding rows (XComposer's image
    /// vectors). The model must be an `EmbeddingPromptModel`, and the prompt must fit the
    /// context whole (no truncation, which could cut an image apart).
    public init(promptParts: [PromptPart], parameters: GenerationParameters = GenerationParameters()) {
        self.init(promptTokens: PromptPart.flattened(promptParts, placeholder: Self.embeddingPlaceholder),
                  parameters: parameters)
        self.promptParts = promptParts
    }
}
