import Composer
import Engine
import ModelFiles
import Tokenizers

/// Answers one chat prompt with a loaded model through its chat template, streaming the text:
/// what every composition step asks of the model.
struct ModelAnswerer: Sendable {
    let engine: Engine
    let tokenizer: VocabularyTokenizer
    let template: ChatTemplate
    let metadata: GGUFMetadata
    let contextLength: Int

    func answer(_ messages: ChatMessages, parameters: GenerationParameters,
                onText: @Sendable (String) -> Void) async throws -> String {
        var chat: [ChatMessage] = []
        if let system = messages.system { chat.append(.system(system)) }
        chat.append(.user(messages.user))
        var parameters = parameters
        parameters.stopStrings += template.stopStrings
        let prompt = ChatPrompt.encode(chat, template: template, tokenizer: tokenizer, metadata: metadata)
        guard prompt.count < contextLength - 1 else {
            throw PipelineFailure("the prompt has \(prompt.count) tokens, more than the \(contextLength)-token context allows")
        }
        parameters.maxNewTokens = max(1, min(parameters.maxNewTokens, contextLength - prompt.count - 1))
        return try await engine.collectAnswer(GenerationRequest(promptTokens: prompt, parameters: parameters),
                                              onText: onText)
    }
}

extension Engine {
    /// Runs a request to its end and returns its whole text, passing each piece on as it comes;
    /// a cancelled request throws "stopped", a failed one the model's message.
    func collectAnswer(_ request: GenerationRequest, onText: (String) -> Void) async throws -> String {
        var text = ""
        var failure: String?
        for await event in submit(request) {
            switch event {
            case let .text(piece):
                text += piece
                onText(piece)
            case let .error(message): failure = message
            case let .finished(reason): if reason == .cancelled { failure = "stopped" }
            default: break
            }
        }
        if let failure { throw PipelineFailure(failure == "stopped" ? "stopped" : "the model failed: \(failure)") }
        return text
    }
}

/// The instruct family's step runner: text only, so the retrieval score chooses the pictures.
extension ModelAnswerer: StepRunner {
    var family: PromptFamily { .instruct }
    var seesImages: Bool { false }

    func answer(_ prompt: StepPrompt, images: [String],
                onText: @escaping @Sendable (String) -> Void) async throws -> String {
        guard case let .instruct(instruct) = prompt else {
            throw PipelineFailure("internal: an XComposer prompt reached the instruct model")
        }
        guard images.isEmpty else { throw PipelineFailure("internal: the instruct model cannot see images") }
        return try await answer(instruct.messages, parameters: instruct.parameters, onText: onText)
    }
}
