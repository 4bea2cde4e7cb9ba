/// Which prompt style a composition model understands.
public enum PromptFamily: Sendable, Equatable {
    /// InternLM-XComposer v1: the original Chinese prompts of the web demo, images as embeddings.
    case xcomposer
    /// Small instruction-tuned chat models (SmolLM2 class): English chat messages, text only;
    /// the caller applies the model's chat template.
    case instruct
}
