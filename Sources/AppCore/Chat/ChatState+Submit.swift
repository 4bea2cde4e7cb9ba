import Engine

extension ChatState {
    /// Enter: a slash command, or a turn for the model.
    mutating func submit() -> [ChatEffect] {
        let raw = editor.text
        let trimmed = raw.trimmingWhitespace()
        if trimmed.isEmpty && pendingImages.isEmpty { return [] }
        if trimmed.hasPrefix("/") && !trimmed.hasPrefix("//") && !Self.looksLikeAbsolutePathTurn(trimmed) {
            history.add(trimmed)
            editor.clear()
            guard let command = SlashCommand.parse(trimmed) else {
                post("Unknown command \(trimmed.split(separator: " ").first ?? ""): /help lists them", .warning)
                return []
            }
            return run(command)
        }
        if activity.isBusy {
            post("Still answering: Esc stops the reply", .warning)
            return []
        }
        guard model != nil else {
            post(Self.noModelMessage(activity), .warning)
            return []
        }
        // Paths typed or dropped into the prompt become attachments.
        let extracted = PathParsing.extractImagePaths(from: raw, home: environment.home,
                                                      fileExists: environment.fileExists)
        var text = extracted.text.trimmingWhitespace()
        for path in extracted.paths where Self.looksLikeImage(path) {
            if !attach(path: path) { return [] }
        }
        if text.isEmpty && pendingImages.isEmpty { return [] }
        history.add(raw.trimmingWhitespace())
        editor.clear()
        let images = pendingImages
        pendingImages = []
        if text.isEmpty { text = "" }
        transcript.append(TranscriptEntry(kind: .user, text: text, images: images))
        scrollFromBottom = 0
        if !images.isEmpty && model?.seesImages != true {
            say(Self.cannotSeeImagesMessage(modelName: model?.name ?? "this model", count: images.count))
            return []
        }
        if text.isEmpty { return [] }
        return startReply()
    }

    /// A turn that starts with an absolute path to an existing file is a question about that file,
    /// not a command (`/home/me/cat.png what is this?`).
    static func looksLikeAbsolutePathTurn(_ text: String) -> Bool {
        let first = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? text
        return first.dropFirst().contains("/")
    }

    mutating func startReply() -> [ChatEffect] {
        let messages = conversation
        // An old "attached" or "set" message would hide the reply's progress.
        if notice?.severity == .info { notice = nil }
        transcript.append(TranscriptEntry(kind: .assistant, text: "", completion: .streaming))
        activity = .readingPrompt(done: 0, total: 0)
        scrollFromBottom = 0
        return [.generate(messages: messages, parameters: parameters, images: conversationImages)]
    }

    mutating func regenerate() -> [ChatEffect] {
        guard !activity.isBusy else {
            post("Still answering: Esc stops the reply first", .warning)
            return []
        }
        guard let last = transcript.lastIndex(where: \.isConversation) else {
            post("Nothing to regenerate yet")
            return []
        }
        if transcript[last].kind == .assistant {
            transcript.removeSubrange(last...)
        }
        guard transcript.last(where: \.isConversation)?.kind == .user else {
            post("Nothing to regenerate yet")
            return []
        }
        guard model != nil else {
            post(Self.noModelMessage(activity), .warning)
            return []
        }
        return startReply()
    }

    mutating func newSession() -> [ChatEffect] {
        var effects: [ChatEffect] = []
        if activity.isBusy { effects.append(.cancelGeneration) }
        transcript = []
        pendingImages = []
        previewIndex = nil
        scrollFromBottom = 0
        lastStatistics = nil
        // The old conversation stays saved; the next save starts a new one.
        sessionID = nil
        unsavedChanges = false
        post("New conversation")
        return effects
    }

    static func noModelMessage(_ activity: EngineActivity) -> String {
        switch activity {
        case let .unavailable(why): return "No model is loaded (\(why)); /model PATH loads one"
        case .loading: return "The model is still loading"
        default: return "No model is loaded: /model PATH loads one"
        }
    }

    static func cannotSeeImagesMessage(modelName: String, count: Int) -> String {
        let what = count == 1 ? "the attached image" : "the \(count) attached images"
        return "\(modelName) reads text only, so it cannot see \(what) and will not guess what "
            + "\(count == 1 ? "it shows" : "they show"). Load an InternLM-XComposer model (/model PATH) to ask "
            + "about pictures; the image stays in the conversation."
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
