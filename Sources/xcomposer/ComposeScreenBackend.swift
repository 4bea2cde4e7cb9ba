import AppCore
import Composer
import CursesUI
import Dispatch
import Engine
import Glibc
import ImageLibrary
import LanguageModels
import LocalStorage
import SessionStore
import Synchronization
import Tensors
import Tokenizers

/// The compose screen's world: loads the model off the UI thread, runs pipeline jobs one at a
/// time and streams their events, and keeps drafts and exports on a serial queue of their own
/// so a slow disk never stalls typing.
final class ComposeScreenBackend: ComposeBackend, Sendable {
    struct Settings: Sendable {
        var modelPath: String
        var threads: Int
        var context: Int
        var numerics: Numerics
    }

    private let settings: Settings
    /// The pictures to illustrate with; `/library DIR` adds to them.
    private let library: Mutex<[LibraryImage]>
    private let db: String?
    private let store: SessionStore?
    private let answerer = Mutex<ModelAnswerer?>(nil)
    private let embedder = Mutex<CaptionEmbedder?>(nil)
    /// Why the model could not be loaded, once that is known.
    private let loadFailure = Mutex<String?>(nil)
    private let job = Mutex<Task<Void, Never>?>(nil)
    /// Draft rows by document token, so a document saved before its id came back is not saved twice.
    private let draftRows = Mutex<[Int: Int64]>([:])
    private let queue = DispatchQueue(label: "xcomposer.drafts")

    init(settings: Settings, library: [LibraryImage], store: SessionStore?, db: String?) {
        self.settings = settings
        self.library = Mutex(library)
        self.db = db
        self.store = store
    }

    func perform(_ effect: ComposeEffect, inbox: ComposeInbox) {
        switch effect {
        case let .compose(title, paragraphs, images, firstParagraph, firstSlot):
            let options = ComposePipeline.Options(title: title, paragraphs: paragraphs, images: images, seed: nil,
                                                  firstParagraph: firstParagraph, firstSlot: firstSlot)
            run(inbox) { pipeline in _ = try await pipeline.run(options) }
        case let .rewrite(id, title, sections, index):
            run(inbox) { pipeline in
                let text = try await pipeline.rewrite(title: title, sections: sections, index: index)
                inbox.post(.paragraphRewritten(id, text))
            }
        case let .continueArticle(title, sections, newParagraph):
            run(inbox) { pipeline in
                let text = try await pipeline.nextParagraph(title: title, sections: sections)
                inbox.post(.article(.paragraphAppended(ParagraphID(newParagraph), text)))
            }
        case let .recaption(slot, sections, spot, excluding):
            run(inbox) { pipeline in
                _ = try await pipeline.illustrate(slot, sections: sections, spot: spot, label: "", excluding: Set(excluding)) {
                    inbox.post(.article($0))
                }
            }
        case let .search(slot, caption, paragraph, excluding):
            // Retrieval needs no model: it runs at once, beside any job.
            let pipeline = makePipeline(inbox)
            queue.async {
                _ = try? pipeline.search(slot, caption: caption, paragraph: paragraph, label: "",
                                         excluding: Set(excluding)) { inbox.post(.article($0)) }
            }
        case .cancel:
            answerer.withLock { $0?.engine.cancelAll() }
            job.withLock { $0?.cancel() }
        case let .saveDraft(snapshot):
            queue.async { self.save(snapshot, inbox: inbox) }
        case .listDrafts:
            queue.async { self.listDrafts(inbox: inbox) }
        case let .openDraft(id):
            queue.async { self.openDraft(id: id, inbox: inbox) }
        case let .openMarkdown(path):
            queue.async { Self.openMarkdown(path: path, inbox: inbox) }
        case let .export(content, path):
            queue.async { Self.export(content, to: path, inbox: inbox) }
        case let .indexLibrary(folder):
            DispatchQueue.global(qos: .userInitiated).async { self.index(folder, inbox: inbox) }
        case .quit:
            break
        }
    }

    /// Adds a folder's pictures to the library, reporting progress as job steps.
    private func index(_ folder: String, inbox: ComposeInbox) {
        let skipped = Mutex<[String]>([])
        let loader = LibraryLoader(db: db, log: { line in
            if line.hasPrefix("skipped ") { skipped.withLock { $0.append(String(line.dropFirst(8))) } }
        }, progress: { progress in
            inbox.post(.progress(fraction: Double(progress.current) / Double(max(1, progress.total)),
                                 detail: "indexing \(progress.current)/\(progress.total) \(FolderPaths.lastComponent(of: progress.path))"))
        })
        do {
            let added = try loader.images(in: folder)
            let total = library.withLock { current -> Int in
                let known = Set(current.map(\.path))
                current += added.filter { !known.contains($0.path) }
                return current.count
            }
            inbox.post(.libraryIndexed(folder: folder, total: total, skipped: skipped.withLock { $0 }))
        } catch {
            inbox.post(.jobEnded(failure: (error as? LoadFailure)?.message ?? "\(error)"))
        }
    }

    func shutdown() {
        answerer.withLock { $0?.engine.cancelAll() }
        queue.sync {}
        answerer.withLock { $0?.engine.shutdown() }
    }

    // MARK: - The model

    /// Loads the model in the background and says when it is ready.
    func loadModel(inbox: ComposeInbox) {
        let settings = self.settings
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do {
                let opened = try OpenedModel.open(path: settings.modelPath)
                let name = ModelLoader.displayName(settings.modelPath)
                guard let template = ChatTemplate.detect(fromJinja: opened.file.metadata.string("tokenizer.chat_template")) else {
                    throw LoadFailure("\(name): its chat template is not one this program knows")
                }
                let (engine, context) = try opened.startEngine(contextLength: settings.context, sequenceSlots: 1,
                                                               pool: ComputePool(threadCount: settings.threads),
                                                               numerics: settings.numerics)
                let captions = try? CaptionEmbedder(file: opened.file, tokenizer: opened.tokenizer)
                embedder.withLock { $0 = captions }
                answerer.withLock {
                    $0 = ModelAnswerer(engine: engine, tokenizer: opened.tokenizer, template: template,
                                       metadata: opened.file.metadata, contextLength: context)
                }
                inbox.post(.modelReady(name.hasSuffix(".gguf") ? String(name.dropLast(5)) : name))
            } catch {
                let message = (error as? LoadFailure)?.message ?? "\(error)"
                loadFailure.withLock { $0 = message }
                inbox.post(.modelFailed(message))
            }
        }
    }

    /// The model, once loaded: a job started while it loads waits for it.
    private func waitForModel() async throws -> ModelAnswerer {
        while true {
            if let model = answerer.withLock({ $0 }) { return model }
            if let message = loadFailure.withLock({ $0 }) { throw PipelineFailure("no model: \(message)") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    private func makePipeline(_ inbox: ComposeInbox) -> ComposePipeline {
        ComposePipeline(library: library.withLock { $0 }, embedder: embedder.withLock { $0 }, generate: { [self] messages, parameters, onText in
            let model = try await waitForModel()
            return try await model.answer(messages, parameters: parameters, onText: onText)
        }, report: { report in
            switch report {
            case let .step(step): inbox.post(.step(step))
            case let .live(text): inbox.post(.liveText(text))
            case let .event(event): inbox.post(.article(event))
            case let .fallback(step, why): inbox.post(.step("\(step): \(why)"))
            case .rawOutput: break
            }
        })
    }

    /// Runs a model job; its end (or failure) is always reported.
    private func run(_ inbox: ComposeInbox, _ body: @escaping @Sendable (ComposePipeline) async throws -> Void) {
        let pipeline = makePipeline(inbox)
        let task = Task.detached {
            do {
                try await body(pipeline)
                inbox.post(.jobEnded(failure: nil))
            } catch {
                inbox.post(.jobEnded(failure: Task.isCancelled ? "stopped" : "\(error)"))
            }
        }
        job.withLock { $0 = task }
    }

    // MARK: - Drafts and files

    private func save(_ snapshot: DraftSnapshot, inbox: ComposeInbox) {
        guard let store else { return }
        let known = draftRows.withLock { $0[snapshot.token] } ?? snapshot.draftID
        do {
            let id = try store.saveDraft(id: known, content: snapshot.content, sourcePath: snapshot.sourcePath,
                                         at: Self.wallClock())
            draftRows.withLock { $0[snapshot.token] = id }
            if known != id { inbox.post(.draftSaved(token: snapshot.token, id: id)) }
        } catch {
            inbox.post(.storageFailed("\(error) — the draft was not saved"))
        }
    }

    private func listDrafts(inbox: ComposeInbox) {
        guard let store else { return inbox.post(.storageFailed("drafts are not available: no database")) }
        do { inbox.post(.draftsListed(try store.listDrafts())) } catch { inbox.post(.storageFailed("\(error)")) }
    }

    private func openDraft(id: Int64, inbox: ComposeInbox) {
        guard let store else { return inbox.post(.storageFailed("drafts are not available: no database")) }
        do {
            guard let draft = try store.loadDraft(id: id) else { return }
            inbox.post(.draftOpened(id: draft.id, content: draft.content, sourcePath: draft.sourcePath))
        } catch {
            inbox.post(.storageFailed("\(error)"))
        }
    }

    /// The newest draft, or the one with `id`, for `--resume`.
    func loadDraft(id: Int64?) throws -> StoredDraft? {
        guard let store else { throw LoadFailure("drafts are not available: no database") }
        do { return try store.loadDraft(id: id) } catch { throw LoadFailure("\(error)") }
    }

    static func openMarkdown(path: String, inbox: ComposeInbox) {
        do {
            inbox.post(.markdownOpened(path: path, content: try readMarkdown(path: path)))
        } catch {
            inbox.post(.storageFailed("\(error)"))
        }
    }

    /// Reads a Markdown article; image paths relative to the file are made absolute, so the
    /// pictures preview wherever the app was started.
    static func readMarkdown(path: String) throws -> ArticleContent {
        var content = ArticleMarkdown.parse(try TextFile.readUTF8(path: path))
        let folder = FolderPaths.parentFolder(of: path)
        for slot in content.slots.indices {
            for candidate in content.slots[slot].candidates.indices {
                let image = content.slots[slot].candidates[candidate].path
                if !image.hasPrefix("/"), !image.contains("://") {
                    content.slots[slot].candidates[candidate].path = folder == "." ? image : folder + "/" + image
                }
            }
        }
        return content
    }

    private static func export(_ content: ArticleContent, to path: String, inbox: ComposeInbox) {
        do {
            let written = try ArticleExport.write(content, markdownPath: path)
            inbox.post(.exported([written.markdown, written.html] + (written.assets.isEmpty ? [] : ["\(written.assets.count) pictures"])))
        } catch {
            inbox.post(.storageFailed("\(error.path): \(error.reason)"))
        }
    }

    static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
