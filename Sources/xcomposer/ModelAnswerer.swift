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
        var text = ""
        var failure: String?
        for await event in engine.submit(GenerationRequest(promptTokens: prompt, parameters: parameters)) {
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
