import Composer
import Engine
import LanguageModels
import ModelFiles
import Tokenizers
import VisionModels

/// The XComposer family's step runner: the web demo's prompts as token and image parts, no
/// chat template, decoded with the original parameters (spec §5).
///
/// The prompt builders name eoh/eoa by the real vocabulary's ids (103027, 103028); a converted
/// checkpoint records its own (`xcomposer.eoh_token_id`, …), which replace them, so reduced
/// checkpoints stop where the real one would. EOS ends every reply too, as in the reference.
struct XComposerStepRunner: StepRunner {
    let engine: Engine
    /// Hugging Face slow-tokenizer behaviour (`' </s>'` is EOS alone), which the reference used.
    let tokenizer: VocabularyTokenizer
    let pictures: PictureEncoder
    let contextLength: Int
    /// The model's eoh and eoa ids.
    let stopTokens: Set<Int32>
    /// Most beams a step may use (the engine's sequence slots).
    let maxBeams: Int

    var family: PromptFamily { .xcomposer }
    var seesImages: Bool { true }

    init(engine: Engine, tokenizer: VocabularyTokenizer, pictures: PictureEncoder, metadata: GGUFMetadata,
         contextLength: Int, maxBeams: Int = ComposeModel.xcomposerBeams) {
        self.engine = engine
        self.maxBeams = max(1, maxBeams)
        self.tokenizer = tokenizer
        self.pictures = pictures
        self.contextLength = contextLength
        var stops = Set<Int32>()
        for key in [XComposerGGUFNames.endOfHumanTokenID, XComposerGGUFNames.endOfAnswerTokenID] {
            if let id = metadata.integer(key) { stops.insert(Int32(id)) }
        }
        stopTokens = stops.isEmpty ? ComposePrompts.xcomposerStopTokens : stops
    }

    /// The embedding sequence a step's prompt becomes, with the pictures encoded (cached).
    func parts(_ prompt: ComposerPrompt, images: [String]) throws -> [LanguageModels.PromptPart] {
        let embeddings = try images.map { try pictures.embedding(for: $0) }
        do {
            return try XComposerStepParts.parts(prompt, images: embeddings, tokenizer: tokenizer)
        } catch {
            throw PipelineFailure(error.description)
        }
    }

    /// Decoding settings for this model: its own stop ids, the room the context leaves.
    func fitted(_ parameters: GenerationParameters, promptLength: Int) throws -> GenerationParameters {
        guard promptLength < contextLength - 1 else {
            throw PipelineFailure("the prompt has \(promptLength) positions, more than the \(contextLength)-position context allows")
        }
        var parameters = parameters
        parameters.stopTokens = parameters.stopTokens.subtracting(ComposePrompts.xcomposerStopTokens).union(stopTokens)
        if let eos = tokenizer.eosToken { parameters.stopTokens.insert(eos) }
        parameters.includeTokenizerStopTokens = false
        parameters.numBeams = min(parameters.numBeams, maxBeams)
        parameters.maxNewTokens = max(1, min(parameters.maxNewTokens, contextLength - promptLength - 1))
        return parameters
    }

    /// The web demo's steps run as the original builds them. Editor steps the demo has no
    /// prompt for (rewrite a paragraph, write the next one) arrive as chat messages and go
    /// through XComposer's own chat format (spec §4.2: BOS, meta or the system message,
    /// `' <|User|>:'`, the text, `'\n<TOKENS_UNUSED_0> <|Bot|>:'`, each tokenised on its own).
    func answer(_ prompt: StepPrompt, images: [String],
                onText: @escaping @Sendable (String) -> Void) async throws -> String {
        switch prompt {
        case let .xcomposer(composer):
            let parts = try parts(composer, images: images)
            return try await answer(parts: parts, parameters: composer.parameters, onText: onText)
        case let .instruct(instruct):
            guard images.isEmpty else { throw PipelineFailure("internal: a chat step was given images") }
            var chat: [ChatMessage] = []
            if let system = instruct.messages.system { chat.append(.system(system)) }
            chat.append(.user(instruct.messages.user))
            let parts = XComposerImagePrompt.conversation(chat, images: [], tokenizer: tokenizer)
            return try await answer(parts: parts, parameters: instruct.parameters, onText: onText)
        }
    }

    /// Runs an embedding-sequence prompt with this model's stop ids, streaming the reply.
    func answer(parts: [LanguageModels.PromptPart], parameters: GenerationParameters,
                onText: @escaping @Sendable (String) -> Void) async throws -> String {
        let length = parts.reduce(0) { $0 + $1.count }
        let request = GenerationRequest(promptParts: parts, parameters: try fitted(parameters, promptLength: length))
        let text = try await engine.collectAnswer(request, onText: onText)
        // `decode(…).split('<TOKENS_UNUSED_1>')[0]`, with Hugging Face's space clean-up.
        let reply = text.split(separator: ComposePrompts.endOfAssistant, maxSplits: 1, omittingEmptySubsequences: false)
            .first.map(String.init) ?? text
        return HuggingFaceCleanup.cleanUpTokenizationSpaces(reply)
    }
}
