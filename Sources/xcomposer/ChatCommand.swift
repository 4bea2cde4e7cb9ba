import AppCore
import ArgumentParser
import CursesUI
import Glibc
import LanguageModels
import SessionStore
import TerminalGraphics
import Tokenizers

/// `xcomposer` / `xcomposer chat`: the terminal app.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a model in the terminal, with image previews (the default command)."
    )

    @OptionGroup var options: ModelOptions

    @OptionGroup var screen: ScreenOptions

    @Option(help: "Image previews: auto, sixel, symbols, ascii or none.")
    var images: String = "auto"

    @Option(help: "System prompt (default: the model's own).")
    var system: String?

    @Option(help: "Chat template: chatml, internlm-xcomposer, llama2, llama3 (default: from the model file).")
    var template: String?

    @Option(name: .customLong("resume"), help: "Carry on with a saved conversation: its id (see /sessions), or 'last'.")
    var resume: String?

    @Option(help: ArgumentHelp("Write token-to-screen and key-to-screen latency figures here at exit.", visibility: .hidden))
    var latencyLog: String?

    func run() throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw fail("the terminal app needs a terminal; for scripts use `xcomposer generate`")
        }
        guard let imageMode = ImageMode(parsing: images) else {
            throw fail("--images: unknown mode '\(images)' (auto, sixel, symbols, ascii or none)")
        }
        var templateOverride: ChatTemplate?
        if let template {
            guard let named = ChatTemplate(name: template) else {
                throw fail("--template: unknown template '\(template)' (known: \(ChatTemplate.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            templateOverride = named
        }
        let loadedTheme = try screen.loadTheme()
        let bindings: KeyBindings
        do {
            bindings = try ConfigFiles.keyBindings()
        } catch let error as ConfigError {
            throw fail(error.message)
        }
        let engine = EngineChatBackend(settings: .init(threads: options.threads, context: options.requestedContext,
                                                       numerics: options.numerics, templateOverride: templateOverride))
        let sessions = SessionPersistence(path: SessionStore.defaultPath())
        var state = ChatState(environment: .live, bindings: bindings)
        if let resume {
            let id: Int64?
            if resume == "last" {
                id = nil
            } else if let number = Int64(resume) {
                id = number
            } else {
                throw fail("--resume: give a session id (see /sessions) or 'last', not '\(resume)'")
            }
            do {
                guard let content = try sessions.load(id: id) else { throw fail("--resume: no saved conversations yet") }
                _ = state.apply(.sessionOpened(content))
            } catch let error as ConfigError {
                throw fail("--resume: \(error.message)")
            }
        }
        if let system { state.systemPrompt = system }
        if let problem = sessions.problem { _ = state.apply(.storageFailed(problem)) }
        let backend = AppBackend(engine: engine, sessions: sessions)
        let app = ChatApp(state: state, backend: backend,
                          options: ChatAppOptions(theme: loadedTheme, imageMode: imageMode, mouse: !screen.noMouse,
                                                  latencyLogPath: latencyLog))
        engine.perform(.loadModel(path: options.modelPath), inbox: app.inbox)
        let status = app.run()
        if status != 0 { throw ExitCode(status) }
        if let handoff = app.handoff {
            let editor = ComposeScreen(model: options, screen: screen, libraryFolder: nil, db: nil,
                                       previews: images)
            switch handoff {
            case let .compose(title):
                let start: ComposeScreen.Start = title.map { .compose(title: $0, paragraphs: 5, images: nil) } ?? .askTitle
                try editor.run(start: start)
            case let .openArticle(path):
                try editor.run(start: .markdown(path))
            case .drafts:
                try editor.run(start: .draftList)
            }
        }
    }
}
