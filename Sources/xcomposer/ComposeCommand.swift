import ArgumentParser
import Composer
import Engine
import Glibc
import ImageLibrary
import LanguageModels
import ModelFiles
import Tensors
import Tokenizers

/// `xcomposer compose`: writes an illustrated article with pictures from the user's library,
/// without the terminal app, for scripts.
struct ComposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Write an illustrated article: text from the model, pictures from your image library.",
        discussion: """
        Steps, as InternLM-XComposer does them: write the article, choose where images go, caption \
        each place, find 4 candidates per caption in the library (never one already used), choose one. \
        Progress goes to stderr; --verbose also prints every step's raw model output.
        """
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "The article's title or instruction.")
    var title: String

    @Option(help: "The folder of JPEG and PNG images to illustrate with (indexed first, incrementally).")
    var library: String

    @Option(help: "Where to write the Markdown; the pictures go to NAME-assets/ beside it, and NAME.html holds everything in one file.")
    var out: String

    @Option(help: "How many images (default: the model decides).")
    var images: Int?

    @Option(help: "How many paragraphs to ask for.")
    var paragraphs: Int = 5

    @Option(help: "Seed for the article's sampling (same seed, same article).")
    var seed: UInt64?

    @Option(help: "The library index file (default: the app's own).")
    var db: String?

    @Flag(help: "Print every step's raw model output to stderr.")
    var verbose = false

    func validate() throws {
        if let images, !(1...30).contains(images) { throw ValidationError("--images must be between 1 and 30, got \(images)") }
        guard (1...60).contains(paragraphs) else { throw ValidationError("--paragraphs must be between 1 and 60, got \(paragraphs)") }
        if title.trimmingWhitespaceForCompose().isEmpty { throw ValidationError("--title is empty") }
    }

    func run() async throws {
        let started = ProcessStats.now
        let pictures = try indexLibrary()
        let opened: OpenedModel
        do { opened = try OpenedModel.open(path: options.modelPath) } catch { throw fail(error.message) }
        let (file, tokenizer) = (opened.file, opened.tokenizer)
        guard let template = ChatTemplate.detect(fromJinja: file.metadata.string("tokenizer.chat_template")) else {
            throw fail("\(ModelLoader.displayName(options.modelPath)): its chat template is not one this program knows")
        }
        let engine: Engine
        let contextLength: Int
        do {
            (engine, contextLength) = try opened.startEngine(contextLength: options.requestedContext, sequenceSlots: 1,
                                                             pool: ComputePool(threadCount: options.threads),
                                                             numerics: options.numerics)
        } catch {
            throw fail(error.message)
        }
        defer { engine.shutdown() }
        let cancelOnInterrupt = InterruptHandler { engine.cancelAll() }
        defer { cancelOnInterrupt.remove() }

        var stepStarted = ProcessStats.now
        let verbose = self.verbose
        let pipeline = ComposePipeline(library: pictures, generate: { messages, parameters in
            var chat: [ChatMessage] = []
            if let system = messages.system { chat.append(.system(system)) }
            chat.append(.user(messages.user))
            var parameters = parameters
            parameters.stopStrings += template.stopStrings
            let prompt = ChatPrompt.encode(chat, template: template, tokenizer: tokenizer, metadata: file.metadata)
            parameters.maxNewTokens = max(1, min(parameters.maxNewTokens, contextLength - prompt.count - 1))
            var text = ""
            var failure: String?
            for await event in engine.submit(GenerationRequest(promptTokens: prompt, parameters: parameters)) {
                switch event {
                case let .text(piece): text += piece
                case let .error(message): failure = message
                case let .finished(reason): if reason == .cancelled { failure = "stopped" }
                default: break
                }
            }
            if let failure { throw PipelineFailure("the model failed: \(failure)") }
            return text
        }, report: { report in
            switch report {
            case let .step(what):
                let now = ProcessStats.now
                writeErr("compose: \(what) (\(format(now - started, 1)) s)")
                stepStarted = now
            case let .rawOutput(step, text):
                if verbose { writeErr("compose: raw \(step) output (\(format(ProcessStats.now - stepStarted, 2)) s):\n\(text)\n---") }
            case let .fallback(step, why):
                writeErr("compose: \(step): \(why)")
            case let .event(event):
                if case let .imageChosen(slot, _) = event { writeErr("compose: \(slot) chosen") }
            }
        })
        let article: Article
        do {
            article = try await pipeline.run(.init(title: title, paragraphs: paragraphs, images: images, seed: seed))
        } catch {
            throw fail("\(error)")
        }
        let written: ArticleExport.Written
        do {
            written = try ArticleExport.write(article.content, markdownPath: out)
        } catch {
            throw fail("\(error.path): \(error.reason)")
        }
        let placed = article.slots.filter { $0.chosen != nil }.count
        writeErr("compose: wrote \(written.markdown) (\(article.paragraphs.count) paragraphs, \(placed) images), "
                 + "\(written.html) and \(written.assets.count) pictures in \(format(ProcessStats.now - started, 1)) s")
    }

    /// Indexes the library folder (incrementally) and returns its images.
    private func indexLibrary() throws -> [LibraryImage] {
        let index: LibraryIndex
        let pictures: [LibraryImage]
        do {
            index = try LibraryIndex.open(path: db ?? LibraryIndex.defaultPath())
            let report = try index.scan(folder: library) { progress in
                writeErr("compose: indexing \(progress.current)/\(progress.total) \(progress.path.split(separator: "/").last ?? "")")
            }
            for failure in report.failures.prefix(5) { writeErr("compose: skipped \(failure)") }
            var resolved = [CChar](repeating: 0, count: Int(PATH_MAX))
            let root = realpath(library, &resolved) != nil
                ? String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : library
            pictures = try index.all().filter { $0.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
        } catch {
            throw fail(error.description)
        }
        guard !pictures.isEmpty else { throw fail("\(library): no JPEG or PNG images in this folder") }
        return pictures
    }
}

extension String {
    fileprivate func trimmingWhitespaceForCompose() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
