import ArgumentParser
import Engine
import LanguageModels
import ModelFiles
import Tensors
import Tokenizers

/// `xcomposer generate`: streams a model's continuation of a prompt (or its chat reply) to stdout.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Stream a continuation of a prompt, or a chat reply with --chat, to stdout."
    )

    @OptionGroup var options: ModelOptions

    @Option(name: [.short, .customLong("prompt")], help: "The prompt text.")
    var prompt: String?

    @Option(name: .customLong("prompt-file"), help: "Read the prompt from a file ('-' for standard input).")
    var promptFile: String?

    @Flag(help: "Wrap the prompt in the model's chat template.")
    var chat = false

    @Option(help: "System prompt for --chat (default: the template's own).")
    var system: String?

    @Option(help: "Chat template: chatml, internlm-xcomposer, llama2, llama3 (default: from the model file).")
    var template: String?

    @OptionGroup var sampling: SamplingOptions

    @Flag(help: "Print token counts and speeds to stderr at the end.")
    var stats = false

    @Option(help: "A photo (JPEG or PNG) to ask about: the prompt becomes XComposer's first turn with the image before the question (needs a model with a vision tower).")
    var image: String?

    func run() async throws {
        let promptText = try readPrompt()
        let opened: OpenedModel
        do { opened = try OpenedModel.open(path: options.modelPath) } catch { throw fail(error.message) }
        if let image {
            try await runWithImage(path: image, question: promptText, opened: opened)
            return
        }
        let (file, tokenizer) = (opened.file, opened.tokenizer)
        let promptTokens = try encodePrompt(promptText, tokenizer: tokenizer, metadata: file.metadata)

        var parameters = try sampling.parameters()
        if chat, let chatTemplate = try resolveTemplate(metadata: file.metadata) {
            parameters.stopStrings += chatTemplate.stopStrings
        }
        let engine: Engine
        do {
            engine = try opened.startEngine(contextLength: options.requestedContext, sequenceSlots: max(1, parameters.numBeams),
                                            pool: ComputePool(threadCount: options.threads), numerics: options.numerics).engine
        } catch {
            throw fail(error.message)
        }
        try await stream(GenerationRequest(promptTokens: promptTokens, parameters: parameters), on: engine)
    }

    /// Streams the request's text to stdout, then its statistics (with --stats) to stderr.
    func stream(_ request: GenerationRequest, on engine: Engine) async throws {
        let cancelOnInterrupt = InterruptHandler { engine.cancel() }
        defer { cancelOnInterrupt.remove() }

        var failure: String?
        var finalStats: GenerationStatistics?
        var wroteText = false
        for await event in engine.submit(request) {
            switch event {
            case let .text(piece):
                writeOut(piece)
                wroteText = true
            case .progress: break
            case let .stats(statistics): finalStats = statistics
            case let .error(message): failure = message
            case .finished:
                if wroteText { writeOut("\n") }
            }
        }
        engine.shutdown()
        if stats, let finalStats {
            writeErr("prompt \(finalStats.promptTokens) tokens in \(format(finalStats.prefillSeconds, 3)) s "
                     + "(\(format(finalStats.prefillTokensPerSecond, 1)) tokens/s); generated \(finalStats.generatedTokens) "
                     + "tokens in \(format(finalStats.decodeSeconds, 3)) s (\(format(finalStats.decodeTokensPerSecond, 1)) tokens/s)")
        }
        if let failure { throw fail(failure) }
    }

    // MARK: - Prompt

    private func readPrompt() throws -> String {
        if let invalid = RawArguments.firstInvalidUTF8() {
            throw fail("argument \(invalid.index) is not valid UTF-8 text (byte 0x\(String(invalid.byte, radix: 16, uppercase: true)) at offset \(invalid.offset))")
        }
        switch (prompt, promptFile) {
        case (nil, nil): throw fail("give a prompt with -p TEXT or --prompt-file PATH")
        case (.some, .some): throw fail("give either -p or --prompt-file, not both")
        case let (text?, nil): return text
        case let (nil, path?):
            do { return try TextFile.readUTF8(path: path) } catch { throw fail("\(error)") }
        }
    }

    private func resolveTemplate(metadata: GGUFMetadata) throws -> ChatTemplate? {
        if let template {
            guard let named = ChatTemplate(name: template) else {
                throw fail("--template: unknown template '\(template)' (known: \(ChatTemplate.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return named
        }
        return ChatTemplate.detect(fromJinja: metadata.string("tokenizer.chat_template"))
    }

    private func encodePrompt(_ text: String, tokenizer: VocabularyTokenizer,
                              metadata: GGUFMetadata) throws -> [Int32] {
        guard chat else {
            let tokens = tokenizer.encode(text, addSpecial: true, parseSpecial: false)
            guard !tokens.isEmpty else { throw fail("the prompt is empty") }
            return tokens
        }
        guard let chatTemplate = try resolveTemplate(metadata: metadata) else {
            throw fail("\(ModelLoader.displayName(options.modelPath)): the model's chat template is not one this program knows; choose one with --template")
        }
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(text))
        return ChatPrompt.encode(messages, template: chatTemplate, tokenizer: tokenizer, metadata: metadata)
    }
}
