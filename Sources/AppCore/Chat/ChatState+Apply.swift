import Engine

extension ChatState {
    /// Changes the state for one event and returns what the outside world must do, including the
    /// autosave when the conversation or the draft changed.
    public mutating func apply(_ event: ChatEvent) -> [ChatEffect] {
        let before = saveFingerprint
        var effects = reduce(event)
        // An opened session is what is on disk already; only later changes are saved.
        if case .sessionOpened = event { return effects }
        if let save = autosave(after: before) { effects.append(save) }
        return effects
    }

    private mutating func reduce(_ event: ChatEvent) -> [ChatEffect] {
        switch event {
        case let .key(input):
            return handle(input)
        case let .engine(engineEvent):
            handle(engineEvent)
            return []
        case let .modelLoading(fraction, detail):
            activity = .loading(fraction: max(0, min(1, fraction)), detail: detail)
            return []
        case let .modelReady(summary):
            model = summary
            if !activity.isBusy { activity = .idle }
            return []
        case let .modelFailed(message):
            if let model {
                activity = .idle
                say(message + " (still using \(model.name))", kind: .error)
            } else {
                activity = .unavailable(message)
                say(message, kind: .error)
            }
            post(message, .error)
            return []
        case let .imageProgress(done, total):
            // Only while this reply is still waiting for its prompt (not after Esc).
            if case .readingImages = activity { activity = .readingImages(done: done, total: total) }
            if case .readingPrompt(0, 0) = activity { activity = .readingImages(done: done, total: total) }
            return []
        case let .resized(columns, rows):
            screen = (max(columns, 0), max(rows, 0))
            return []
        case let .tick(residentBytes):
            if let residentBytes { self.residentBytes = residentBytes }
            if let notice, notice.expiresAt <= environment.now() { self.notice = nil }
            return []
        case .interrupt:
            return interrupt()
        case let .sessionSaved(id):
            if sessionID == nil { sessionID = id }
            return []
        case let .sessionsListed(sessions):
            say(Self.describe(sessions))
            return []
        case let .sessionOpened(content):
            return open(content)
        case let .exported(paths):
            say("Exported to " + paths.joined(separator: " and "))
            return []
        case let .storageFailed(message):
            post(message, .error)
            return []
        }
    }

    // MARK: - Keys

    private mutating func handle(_ input: KeyInput) -> [ChatEffect] {
        switch input {
        case let .text(text):
            if showHelp { showHelp = false; return [] }
            if text == "?" && editor.isEmpty {
                showHelp = true
                return []
            }
            completions = []
            editor.insert(text)
            return []
        case let .paste(text):
            completions = []
            if let path = PathParsing.parsePastedPath(text, home: environment.home),
               Self.looksLikeImage(path) {
                attach(path: path)
                return []
            }
            editor.insert(text)
            return []
        case let .wheel(up):
            scroll(by: up ? 3 : -3)
            return []
        case let .chord(chord):
            if chord == Self.ctrlC { return interrupt() }
            guard let action = bindings.action(for: chord) else { return [] }
            if showHelp && action != .quit {
                showHelp = false
                if action == .help || action == .cancel { return [] }
            }
            return perform(action)
        }
    }

    static let ctrlC = KeyChord(.character("c"), ctrl: true)

    private mutating func interrupt() -> [ChatEffect] {
        let now = environment.now()
        if let armed = interruptArmedAt, now - armed <= Self.quitWindow {
            return requestQuit()
        }
        interruptArmedAt = now
        post("Press Ctrl-C again to quit", .warning)
        return activity.isBusy ? [.cancelGeneration] : []
    }

    private mutating func perform(_ action: EditorAction) -> [ChatEffect] {
        if action != .complete { completions = [] }
        switch action {
        case .submit: return submit()
        case .newline: editor.insert("\n")
        case .cancel:
            if activity.isBusy { return [.cancelGeneration] }
            if !completions.isEmpty { completions = [] }
        case .quit: return requestQuit()
        case .help: showHelp.toggle()
        case .scrollUp: scroll(by: 1)
        case .scrollDown: scroll(by: -1)
        case .pageUp: scroll(by: max(1, screen.rows - 6))
        case .pageDown: scroll(by: -max(1, screen.rows - 6))
        case .scrollTop: scrollFromBottom = Int.max / 2
        case .scrollBottom: scrollFromBottom = 0
        case .complete: complete()
        case .historyOlder:
            if !editor.moveUp(), let older = history.older(current: editor.text) {
                editor = LineEditor(text: older)
            }
        case .historyNewer:
            if !editor.moveDown(), let newer = history.newer() {
                editor = LineEditor(text: newer)
            }
        case .undo: editor.undo()
        case .redo: editor.redo()
        case .clearInput:
            editor.clear()
            pendingImages = []
        case .regenerate: return regenerate()
        case .newSession: return newSession()
        case .nextImage: stepPreview(by: 1)
        case .previousImage: stepPreview(by: -1)
        case .toggleImagePane: imagePaneVisible.toggle()
        case .killToLineEnd: editor.killToLineEnd()
        case .killToLineStart: editor.killToLineStart()
        case .deleteWordBackward: editor.deleteWordBackward()
        case .wordLeft: editor.wordLeft()
        case .wordRight: editor.wordRight()
        case .lineStart: editor.lineStart()
        case .lineEnd: editor.lineEnd()
        case .deleteBackward: editor.deleteBackward()
        case .deleteForward: editor.deleteForward()
        case .moveLeft: editor.moveLeft()
        case .moveRight: editor.moveRight()
        }
        return []
    }

    mutating func scroll(by lines: Int) {
        scrollFromBottom = max(0, scrollFromBottom &+ lines)
    }

    private mutating func stepPreview(by step: Int) {
        let count = allImages.count
        guard count > 0 else {
            post("No images yet: attach one with /image PATH or paste its path")
            return
        }
        let current = previewIndex.flatMap { allImages.indices.contains($0) ? $0 : nil } ?? count - 1
        previewIndex = ((current + step) % count + count) % count
        imagePaneVisible = true
    }

    private mutating func complete() {
        guard let result = PathCompletion.complete(editor.text, cursor: editor.cursor,
                                                   home: environment.home,
                                                   list: environment.listDirectory) else {
            return
        }
        editor = LineEditor(text: result.text)
        editor.cursor = result.cursor
        completions = result.candidates.count > 1 ? result.candidates : []
    }

    // MARK: - Images

    static func looksLikeImage(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".png") || lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")
    }

    /// Attaches an image for the next turn after checking its header; a bad file gets a notice.
    @discardableResult
    mutating func attach(path: String) -> Bool {
        switch environment.probeImage(path) {
        case let .success(image):
            pendingImages.append(image)
            previewIndex = nil
            imagePaneVisible = true
            post("Attached [\(pendingImages.count)] \(image.fileName) (\(image.width)x\(image.height))")
            return true
        case let .failure(failure):
            post(failure.message, .error)
            return false
        }
    }

    // MARK: - Engine events

    private mutating func handle(_ event: EngineEvent) {
        if case .finished = event { activity = .idle }
        // Events of a reply the user already cleared away change nothing else.
        guard let index = transcript.lastIndex(where: { $0.kind == .assistant }),
              transcript[index].completion == .streaming else { return }
        switch event {
        case let .progress(done, total):
            activity = .readingPrompt(done: done, total: total)
        case let .text(piece):
            if case let .generating(tokens, startedAt) = activity {
                activity = .generating(tokens: tokens + 1, startedAt: startedAt)
            } else {
                activity = .generating(tokens: 1, startedAt: environment.now())
            }
            transcript[index].text += piece
        case let .stats(statistics):
            lastStatistics = statistics
        case .error:
            // `.finished(.error(message))` follows with the same message.
            break
        case let .finished(reason):
            switch reason {
            case .cancelled:
                transcript[index].completion = .stopped
            case let .error(message):
                transcript[index].completion = .failed(message)
            case .contextFull:
                transcript[index].completion = .finished
                post("The conversation fills the model's context: /new starts a fresh one", .warning)
            default:
                transcript[index].completion = .finished
            }
            // Trailing whitespace of a reply is noise on screen and in the next prompt.
            while transcript[index].text.last?.isWhitespace == true { transcript[index].text.removeLast() }
            activity = .idle
        }
    }
}
