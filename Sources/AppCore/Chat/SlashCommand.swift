/// A command typed in the input box, starting with "/".
public enum SlashCommand: Sendable, Equatable {
    case help
    case image(String)
    case new
    case clear
    case system(String?)
    case model(String)
    case regenerate
    case set(name: String, value: String)
    case showSettings
    case quit
    case sessions
    case resume(Int64)
    case export(String?)
    /// Leave the chat for the article editor: compose a title, open a Markdown file, or list drafts.
    case compose(String?)
    case openArticle(String)
    case drafts

    /// Every command with its one-line help, in the order the help screen lists them.
    public static let summaries: [(usage: String, help: String)] = [
        ("/image PATH", "attach a JPEG or PNG to the next question (or paste or drop its path)"),
        ("/new", "start a new conversation"),
        ("/clear", "clear the transcript"),
        ("/system TEXT", "set the system prompt (no text: back to the model's default)"),
        ("/model PATH", "load another GGUF model"),
        ("/regen", "answer the last question again"),
        ("/set NAME VALUE", "sampling: temperature, top_k, top_p, min_p, repeat_penalty, max_tokens, seed"),
        ("/set", "show the sampling settings"),
        ("/sessions", "list saved conversations (every chat is saved as you go)"),
        ("/resume ID", "carry on with a saved conversation"),
        ("/export [FOLDER]", "write the conversation as Markdown (with its images) and JSON"),
        ("/compose [TITLE]", "write an illustrated article in the article editor"),
        ("/open FILE.md", "open a Markdown article in the editor (/open ID resumes a conversation)"),
        ("/drafts", "the article editor's saved drafts"),
        ("/help", "keys and commands"),
        ("/quit", "leave (Ctrl-Q, or Ctrl-C twice)"),
    ]

    /// Parses "/name arguments"; nil for an unknown command or missing argument.
    public static func parse(_ line: String) -> SlashCommand? {
        guard line.hasPrefix("/") else { return nil }
        let body = line.dropFirst()
        let name = body.prefix { !$0.isWhitespace }.lowercased()
        let rest = String(body.dropFirst(name.count)).trimmingWhitespace()
        let argument: String? = rest.isEmpty ? nil : rest
        switch name {
        case "help", "h", "?": return .help
        case "image", "img": return argument.map { .image($0) }
        case "new": return .new
        case "clear": return .clear
        case "system": return .system(argument)
        case "model": return argument.map { .model($0) }
        case "regen", "regenerate": return .regenerate
        case "set":
            guard let argument else { return .showSettings }
            let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return .set(name: parts[0].lowercased(), value: parts[1].trimmingWhitespace())
        case "quit", "exit", "q": return .quit
        case "sessions": return .sessions
        case "resume": return argument.flatMap { Int64($0) }.map { .resume($0) }
        case "open":
            guard let argument else { return nil }
            return Int64(argument).map { .resume($0) } ?? .openArticle(argument)
        case "compose", "write": return .compose(argument)
        case "drafts": return .drafts
        case "export": return .export(argument)
        default: return nil
        }
    }
}

extension ChatState {
    mutating func run(_ command: SlashCommand) -> [ChatEffect] {
        switch command {
        case .help:
            showHelp = true
        case let .image(argument):
            let path = PathParsing.parsePastedPath(argument, home: environment.home) ?? argument
            attach(path: path)
        case .new:
            return newSession()
        case .clear:
            var effects: [ChatEffect] = []
            if activity.isBusy { effects.append(.cancelGeneration) }
            transcript = []
            scrollFromBottom = 0
            post("Transcript cleared")
            return effects
        case let .system(text):
            systemPrompt = text
            post(text == nil ? "System prompt: the model's default" : "System prompt set")
        case let .model(argument):
            let path = PathParsing.parsePastedPath(argument, home: environment.home) ?? argument
            guard environment.fileExists(path) else {
                post("\(path): no such file", .error)
                return []
            }
            var effects: [ChatEffect] = []
            if activity.isBusy { effects.append(.cancelGeneration) }
            activity = .loading(fraction: 0, detail: "opening \(path.split(separator: "/").last ?? "")")
            // The current model stays until the new one has loaded.
            effects.append(.loadModel(path: path))
            return effects
        case .regenerate:
            return regenerate()
        case let .set(name, value):
            do {
                try SamplingSetting.apply(name: name, value: value, to: &parameters)
                post("\(name) = \(value)")
            } catch {
                post(error.message, .error)
            }
        case .showSettings:
            say(SamplingSetting.describe(parameters))
        case .quit:
            return requestQuit()
        case .sessions:
            return [.listSessions]
        case let .resume(id):
            return [.openSession(id: id)]
        case let .export(directory):
            guard transcript.contains(where: \.isConversation) else {
                post("Nothing to export yet")
                return []
            }
            let folder = directory.map { PathParsing.parsePastedPath($0, home: environment.home) ?? $0 }
            return [.export(sessionContent, directory: folder)]
        case let .compose(title):
            handoff = .compose(title: title)
            return requestQuit()
        case let .openArticle(path):
            handoff = .openArticle(PathParsing.parsePastedPath(path, home: environment.home) ?? path)
            return requestQuit()
        case .drafts:
            handoff = .drafts
            return requestQuit()
        }
        return []
    }
}
