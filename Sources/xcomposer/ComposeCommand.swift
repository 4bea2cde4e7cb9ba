import ArgumentParser
import Composer
import Engine
import Glibc
import LocalStorage
import ImageLibrary
import LanguageModels
import ModelFiles
import Tensors
import Synchronization
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
        Progress goes to stderr; --verbose also prints every step's raw model output. \
        An XComposer model (from `xcomposer convert`) gets the original prompts and parameters, \
        captions the library's photos that have no caption, and looks at the 4 candidates to choose; \
        a text model gets English chat prompts and the best retrieval score chooses.
        """
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "The article's title or instruction (the app asks for one when it is left out).")
    var title: String?

    @Option(help: "The folder of JPEG and PNG images to illustrate with (indexed first, incrementally). The app defaults to every indexed image, or the sample library.")
    var library: String?

    @Option(help: "Write the article here without opening the app: Markdown, its pictures in NAME-assets/, and NAME.html holding everything in one file.")
    var out: String?

    @Option(name: .customLong("resume"), help: "Open a saved draft in the app: its id (see /drafts), or 'last'.")
    var resume: String?

    @OptionGroup var screen: ScreenOptions

    @Option(help: "Picture previews in the app: auto, sixel, symbols, ascii or none.")
    var previews: String = "auto"

    @Option(help: "How many images (default: the model decides).")
    var images: Int?

    @Option(help: "How many paragraphs to ask for.")
    var paragraphs: Int = 5

    @Option(help: "Seed for the article's sampling (same seed, same article).")
    var seed: UInt64?

    @Option(help: "The library index file (default: the app's own).")
    var db: String?

    @Option(help: "XComposer models: most beams per step (default: the original's 5; 1 is greedy, faster and smaller).")
    var beams: Int?

    @Flag(help: "Print every step's raw model output to stderr.")
    var verbose = false

    func validate() throws {
        if let beams, !(1...5).contains(beams) { throw ValidationError("--beams must be between 1 and 5, got \(beams)") }
        if let images, !(1...30).contains(images) { throw ValidationError("--images must be between 1 and 30, got \(images)") }
        guard (1...60).contains(paragraphs) else { throw ValidationError("--paragraphs must be between 1 and 60, got \(paragraphs)") }
        if let title, title.trimmingWhitespaceForCompose().isEmpty { throw ValidationError("--title is empty") }
        if out != nil {
            if title == nil { throw ValidationError("--out writes without the app, so it needs --title") }
            if library == nil { throw ValidationError("--out writes without the app, so it needs --library") }
            if resume != nil { throw ValidationError("--resume opens a draft in the app; leave out --out") }
        }
    }

    func run() async throws {
        guard let out, let title, let library else {
            try ComposeScreen(model: options, screen: screen, libraryFolder: library, db: db, previews: previews)
                .run(start: try startingPoint())
            return
        }
        let started = ProcessStats.now
        var pictures: [LibraryImage]
        let loader = LibraryLoader(db: db, log: { writeErr("compose: " + $0) })
        do {
            pictures = try loader.images(in: library)
        } catch let failure as LoadFailure {
            throw fail(failure.message)
        }
        let model: ComposeModel
        do throws(LoadFailure) {
            model = try ComposeModel.load(.init(modelPath: options.modelPath, threads: options.threads,
                                                context: options.requestedContext, numerics: options.numerics, beams: beams))
        } catch {
            throw fail(error.message)
        }
        let engine = model.engine
        defer { engine.shutdown() }
        let cancelOnInterrupt = InterruptHandler { engine.cancelAll() }
        defer { cancelOnInterrupt.remove() }

        let verbose = self.verbose
        // A model that sees captions the pictures that came without words, before retrieval needs them.
        if let captioner = model.captioner, !LibraryCaptioner.needingCaptions(pictures).isEmpty {
            do {
                pictures = try await captioner.captionMissing(pictures, in: try loader.openIndex()) { event in
                    switch event {
                    case let .started(current, total, path):
                        writeErr("compose: captioning picture \(current)/\(total) \(FolderPaths.lastComponent(of: path))")
                    case let .captioned(path, caption, raw):
                        if verbose { writeErr("compose: raw library caption output for \(path):\n\(raw)\n---\ncaption: \(caption)") }
                    case let .skipped(path, why):
                        writeErr("compose: no caption for \(path): \(why)")
                    }
                }
            } catch {
                throw fail("\(error)")
            }
        }

        let stepStarted = Mutex(ProcessStats.now)
        let pipeline = ComposePipeline(library: pictures, embedder: model.embedder, runner: model.runner, report: { report in
            switch report {
            case let .step(what):
                let now = ProcessStats.now
                writeErr("compose: \(what) (\(format(now - started, 1)) s)")
                stepStarted.withLock { $0 = now }
            case let .rawOutput(step, text):
                let seconds = ProcessStats.now - stepStarted.withLock { $0 }
                if verbose { writeErr("compose: raw \(step) output (\(format(seconds, 2)) s):\n\(text)\n---") }
            case let .fallback(step, why):
                writeErr("compose: \(step): \(why)")
            case let .event(event):
                if case let .imageChosen(slot, index) = event {
                    writeErr("compose: \(slot) chosen: candidate \(index + 1)")
                }
            case .live:
                break
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
}

extension ComposeCommand {
    /// What the app opens with: a draft (`--resume`), a title to compose, or the title prompt.
    private func startingPoint() throws -> ComposeScreen.Start {
        if let resume {
            guard resume == "last" || Int64(resume) != nil else {
                throw fail("--resume: give a draft id (see /drafts) or 'last', not '\(resume)'")
            }
            return .draft(resume == "last" ? nil : Int64(resume))
        }
        if let title { return .compose(title: title, paragraphs: paragraphs, images: images) }
        return .askTitle
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
