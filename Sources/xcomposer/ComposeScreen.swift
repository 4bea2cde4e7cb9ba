import AppCore
import ImageLibrary
import ArgumentParser
import CursesUI
import Glibc
import SessionStore
import TerminalGraphics

/// Opens the article editor in the terminal: `xcomposer compose` without `--out`, and
/// `xcomposer edit FILE.md`.
struct ComposeScreen {
    /// What the editor opens with.
    enum Start {
        case askTitle
        case compose(title: String, paragraphs: Int, images: Int?)
        /// A saved draft: its id, or nil for the newest.
        case draft(Int64?)
        case markdown(String)
        /// The list of saved drafts, to pick one.
        case draftList
    }

    let model: ModelOptions
    let screen: ScreenOptions
    let libraryFolder: String?
    let db: String?
    var previews: String = "auto"

    func run(start: Start) throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw fail("the article editor needs a terminal; for scripts use `xcomposer compose --out FILE.md`")
        }
        guard let imageMode = ImageMode(parsing: previews) else {
            throw fail("--previews: unknown mode '\(previews)' (auto, sixel, symbols, ascii or none)")
        }
        let theme = try screen.loadTheme()
        let loader = LibraryLoader(db: db, log: { writeErr("xcomposer: " + $0) })
        let library: [LibraryImage]
        do {
            library = try libraryFolder.map { try loader.images(in: $0) } ?? loader.allImages()
        } catch let failure as LoadFailure {
            throw fail(failure.message)
        }
        let store: SessionStore?
        var storeProblem: String?
        do {
            store = try SessionStore.open(path: SessionStore.defaultPath())
        } catch {
            store = nil
            storeProblem = "\(error) — drafts will not be saved"
        }
        let backend = ComposeScreenBackend(
            settings: .init(modelPath: model.modelPath, threads: model.threads, context: model.requestedContext,
                            numerics: model.numerics),
            library: library, store: store, db: db)
        var state = ComposeState.composing(title: nil, environment: .live)
        var first: [ComposeEffect] = []
        switch start {
        case .askTitle:
            break
        case .draftList:
            first = [.listDrafts]
        case let .compose(title, paragraphs, images):
            state = ComposeState.composing(title: title, environment: .live)
            state.paragraphCount = paragraphs
            state.imageCount = images
            first = state.begin(title: title)
        case let .draft(id):
            guard let draft = try backend.loadDraft(id: id) else { throw fail("--resume: no saved drafts yet") }
            _ = state.apply(.draftOpened(id: draft.id, content: draft.content, sourcePath: draft.sourcePath))
        case let .markdown(path):
            do {
                _ = state.apply(.markdownOpened(path: path, content: try ComposeScreenBackend.readMarkdown(path: path)))
            } catch {
                throw fail("\(error)")
            }
        }
        if let storeProblem { _ = state.apply(.storageFailed(storeProblem)) }
        if library.isEmpty {
            _ = state.apply(.storageFailed("the image library is empty: add pictures with `xcomposer library add DIR`"))
        }
        let app = ComposeApp(state: state, backend: backend,
                             options: ChatAppOptions(theme: theme, imageMode: imageMode, mouse: !screen.noMouse,
                                                     latencyLogPath: nil))
        backend.loadModel(inbox: app.inbox)
        app.start(with: first)
        let status = app.run()
        if status != 0 { throw ExitCode(status) }
    }
}
