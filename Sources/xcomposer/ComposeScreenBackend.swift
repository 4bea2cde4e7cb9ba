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
    typealias Settings = ComposeModel.Settings

    private let settings: Settings
    /// The pictures to illustrate with; `/library DIR` adds to them.
    private let library: Mutex<[LibraryImage]>
    private let db: String?
    private let store: SessionStore?
    /// The model, once loaded and (if it sees) done captioning the library.
    private let model = Mutex<ComposeModel?>(nil)
    /// Its engine as soon as it exists, so Ctrl-C and quitting reach the captioning too.
    private let engine = Mutex<Engine?>(nil)
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
            // The editor knows only the slot's paragraph here, so that is the selection's context.
            let context = SelectionContext(sections: [paragraph], spot: 0)
            if let runner = model.withLock({ $0?.runner }), runner.seesImages {
                // The model looks at the candidates: a job like any other.
                run(inbox) { pipeline in
                    _ = try await pipeline.search(slot, caption: caption, context: context, label: "",
                                                  excluding: Set(excluding)) { inbox.post(.article($0)) }
                }
            } else {
                // Retrieval by score needs no model: it runs at once, beside any job (also while
                // a seeing model is still loading).
                let pipeline = makePipeline(inbox, runner: model.withLock { $0?.runner } ?? RetrievalOnly())
                Task.detached {
                    _ = try? await pipeline.search(slot, caption: caption, context: context, label: "",
                                                   excluding: Set(excluding)) { inbox.post(.article($0)) }
                }
            }
        case .cancel:
            engine.withLock { $0?.cancelAll() }
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
            // Pictures that came without a caption get one from a model that sees.
            if let captioner = model.withLock({ $0?.captioner }) {
                Task.detached { [self] in
                    do { try await captionLibrary(with: captioner, inbox: inbox) } catch {
                        inbox.post(.step("the library was not captioned: \(error)"))
                    }
                }
            }
        } catch {
            inbox.post(.jobEnded(failure: (error as? LoadFailure)?.message ?? "\(error)"))
        }
    }

    func shutdown() {
        engine.withLock { $0?.cancelAll() }
        queue.sync {}
        engine.withLock { $0?.shutdown() }
    }

    // MARK: - The model

    /// Loads the model in the background and says when it is ready. A model that sees first
    /// captions the library's pictures that have no caption of their own (jobs wait for it).
    func loadModel(inbox: ComposeInbox) {
        let settings = self.settings
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let loaded: ComposeModel
            do throws(LoadFailure) {
                loaded = try ComposeModel.load(settings)
            } catch {
                return failed(error.message, inbox: inbox)
            }
            engine.withLock { $0 = loaded.engine }
            Task.detached { [self] in
                do {
                    if let captioner = loaded.captioner { try await captionLibrary(with: captioner, inbox: inbox) }
                } catch {
                    inbox.post(.step("the library was not captioned: \(error)"))
                }
                model.withLock { $0 = loaded }
                inbox.post(.modelReady(loaded.name))
            }
        }
    }

    private func failed(_ message: String, inbox: ComposeInbox) {
        loadFailure.withLock { $0 = message }
        inbox.post(.modelFailed(message))
    }

    /// Captions the pictures without one, storing them as the model's, with progress.
    private func captionLibrary(with captioner: LibraryCaptioner, inbox: ComposeInbox) async throws {
        let pictures = library.withLock { $0 }
        guard !LibraryCaptioner.needingCaptions(pictures).isEmpty else { return }
        let index = try LibraryLoader(db: db, log: { _ in }).openIndex()
        let updated = try await captioner.captionMissing(pictures, in: index) { event in
            switch event {
            case let .started(current, total, path):
                inbox.post(.progress(fraction: Double(current - 1) / Double(max(1, total)),
                                     detail: "captioning \(current)/\(total) \(FolderPaths.lastComponent(of: path))"))
            case let .skipped(path, why):
                inbox.post(.step("no caption for \(FolderPaths.lastComponent(of: path)): \(why)"))
            case .captioned:
                break
            }
        }
        let captions = Dictionary(updated.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        library.withLock { current in
            for row in current.indices {
                if let new = captions[current[row].path], current[row].captionSource == .none { current[row] = new }
            }
        }
    }

    /// The model, once loaded: a job started while it loads waits for it.
    private func waitForModel() async throws -> ComposeModel {
        while true {
            if let loaded = model.withLock({ $0 }) { return loaded }
            if let message = loadFailure.withLock({ $0 }) { throw PipelineFailure("no model: \(message)") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    private func makePipeline(_ inbox: ComposeInbox, runner: any StepRunner, embedder: CaptionEmbedder? = nil) -> ComposePipeline {
        ComposePipeline(library: library.withLock { $0 }, embedder: embedder ?? model.withLock { $0?.embedder },
                        runner: runner, report: { report in
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
        let task = Task.detached { [self] in
            do {
                // The pipeline is made once the model is there: its family decides the prompts.
                let loaded = try await waitForModel()
                try await body(makePipeline(inbox, runner: loaded.runner, embedder: loaded.embedder))
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
