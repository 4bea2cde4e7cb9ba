import Composer
import Engine

/// Runs one step of the composition pipeline on the loaded model, in the shape its family
/// needs, so `ComposePipeline` is the same code whichever model is loaded: an instruct model
/// gets chat messages through its chat template (`ModelAnswerer`), XComposer gets the original
/// prompt parts with the pictures' embeddings spliced in (`XComposerStepRunner`).
protocol StepRunner: Sendable {
    /// The prompts and parsers this runner's model understands.
    var family: PromptFamily { get }
    /// Whether the model can look at pictures: then it chooses among the candidates
    /// (spec §5 step 5) instead of the retrieval score deciding.
    var seesImages: Bool { get }

    /// Runs `prompt`, passing each piece of the reply as it is decoded, and returns the whole
    /// reply. `images` are the files the prompt's `.image(k)` parts stand for, by index.
    func answer(_ prompt: StepPrompt, images: [String],
                onText: @escaping @Sendable (String) -> Void) async throws -> String
}

extension StepRunner {
    func answer(_ prompt: StepPrompt, onText: @escaping @Sendable (String) -> Void = { _ in }) async throws -> String {
        try await answer(prompt, images: [], onText: onText)
    }
}

/// Stands in for a model that is not there (it failed to load): retrieval ranks and the best
/// score is chosen, and any step that needs a model says so.
struct RetrievalOnly: StepRunner {
    var family: PromptFamily { .instruct }
    var seesImages: Bool { false }

    func answer(_ prompt: StepPrompt, images: [String],
                onText: @escaping @Sendable (String) -> Void) async throws -> String {
        throw PipelineFailure("no model is loaded")
    }
}
