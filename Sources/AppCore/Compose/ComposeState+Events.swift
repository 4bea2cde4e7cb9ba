import Composer

extension ComposeState {
    /// Applies one event and returns the effects to carry out.
    public mutating func apply(_ event: ComposeEvent) -> [ComposeEffect] {
        let before = article.content
        let wasTyping = isTypingParagraph
        var effects = reduce(event)
        // A discrete edit (a choice, a delete, a move, an undo) is saved at once; typing in a
        // paragraph is saved in batches at most `autosaveSeconds` apart.
        let discreteEdit = article.content != before && !(wasTyping && isTypingParagraph)
        effects += autosave(urgent: Self.isMilestone(event) || discreteEdit)
        return effects
    }

    private var isTypingParagraph: Bool {
        if case .editing(.paragraph) = mode { return true }
        return false
    }

    private mutating func reduce(_ event: ComposeEvent) -> [ComposeEffect] {
        switch event {
        case let .key(input):
            return handle(input)
        case let .resized(columns, rows):
            screen = (columns, rows)
        case .tick:
            if let notice, notice.expiresAt <= environment.now() { self.notice = nil }
        case .interrupt:
            return interrupt()
        case let .modelReady(name):
            modelName = name
            modelFailure = nil
        case let .modelFailed(message):
            modelFailure = message
            post(message, .error)
        case let .step(step):
            job?.step = step
            job?.fraction = nil
        case let .progress(fraction, detail):
            job?.step = detail
            job?.fraction = min(1, max(0, fraction))
        case let .liveText(text):
            liveText = text
        case let .article(articleEvent):
            applyPipeline(articleEvent)
        case let .paragraphRewritten(id, text):
            do {
                article.endEditBurst()
                try article.editParagraph(id, text: text)
                article.endEditBurst()
                post("rewrote \(describe(id)) · u undoes it")
            } catch {
                post("the rewritten paragraph was deleted meanwhile; its new text is dropped", .warning)
            }
        case let .jobEnded(failure):
            let seconds = job.map { environment.now() - $0.startedAt } ?? 0
            let name = job?.name ?? "the job"
            job = nil
            liveText = ""
            if let failure {
                post("\(name): \(failure)", failure == "stopped" ? .warning : .error)
            } else {
                post("\(name): done in \(Self.format(seconds)) s")
            }
        case let .draftSaved(token, id):
            if token == draftToken { draftID = id }
        case let .draftsListed(drafts):
            if drafts.isEmpty {
                post("no saved drafts yet")
            } else {
                mode = .choosingDraft(drafts, selected: 0)
            }
        case let .draftOpened(id, content, sourcePath):
            replaceDocument(content, draftID: id, sourcePath: sourcePath)
            post("opened draft \(id): \(content.title.isEmpty ? "untitled" : content.title)")
        case let .markdownOpened(path, content):
            replaceDocument(content, draftID: nil, sourcePath: path)
            post("opened \(path) · Ctrl-S saves it back")
        case let .exported(paths):
            post("wrote " + paths.joined(separator: ", "))
        case let .libraryIndexed(folder, total, skipped):
            job = nil
            let note = skipped.isEmpty ? "" : " · skipped \(skipped.count): \(skipped[0])"
            post("indexed \(folder): the library has \(total) images\(note)", skipped.isEmpty ? .info : .warning)
        case let .storageFailed(message):
            post(message, .error)
        }
        return []
    }

    /// Events after which the draft is saved at once rather than within `autosaveSeconds`.
    static func isMilestone(_ event: ComposeEvent) -> Bool {
        switch event {
        case .article(.paragraphAppended), .article(.imageChosen), .article(.captionSet),
             .article(.candidatesFound), .article(.slotSpotted), .paragraphRewritten, .jobEnded:
            return true
        default:
            return false
        }
    }

    private mutating func applyPipeline(_ event: ArticleEvent) {
        do {
            try article.apply(event)
        } catch {
            // The user deleted what the pipeline refers to; its step is skipped, said out loud.
            post("skipped a pipeline step: \(error)", .warning)
            return
        }
        switch event {
        case .paragraphAppended:
            liveText = ""
        case let .candidatesFound(slot, _):
            candidateCursor[slot] = 0
        default:
            break
        }
    }

    /// Puts another document in place of this one (its own draft from now on).
    mutating func replaceDocument(_ content: ArticleContent, draftID: Int64?, sourcePath: String?) {
        article = Article(content)
        draftToken += 1
        self.draftID = draftID
        self.sourcePath = sourcePath
        lastSavedContent = draftID == nil ? nil : content
        focus = .title
        mode = .browsing
        candidateCursor = [:]
        editor.clear()
    }

    /// Saves when the document changed: at once after a milestone, otherwise at most
    /// `autosaveSeconds` after the change. An untouched empty document is never saved.
    mutating func autosave(urgent: Bool) -> [ComposeEffect] {
        let content = article.content
        guard content != lastSavedContent else { return [] }
        if lastSavedContent == nil, content.title.isEmpty, content.paragraphs.isEmpty { return [] }
        let now = environment.now()
        guard urgent || now - lastSavedAt >= Self.autosaveSeconds else { return [] }
        lastSavedContent = content
        lastSavedAt = now
        return [.saveDraft(DraftSnapshot(token: draftToken, draftID: draftID, content: content, sourcePath: sourcePath))]
    }

    /// The final save as the app exits, if anything is unsaved.
    public mutating func finalSave() -> ComposeEffect? {
        autosave(urgent: true).first
    }

    mutating func interrupt() -> [ComposeEffect] {
        let now = environment.now()
        if let armed = interruptArmedAt, now - armed <= Self.quitWindow {
            return requestQuit()
        }
        interruptArmedAt = now
        if isBusy {
            post("stopping… (Ctrl-C again quits)", .warning)
            return [.cancel]
        }
        post("press Ctrl-C again to quit (the draft is saved)", .warning)
        return []
    }

    mutating func requestQuit() -> [ComposeEffect] {
        shouldQuit = true
        return isBusy ? [.cancel, .quit] : [.quit]
    }

    func describe(_ id: ParagraphID) -> String {
        guard let index = content.sectionIndex(of: id) else { return "a paragraph" }
        return "paragraph \(index + 1)"
    }

    func describe(_ id: SlotID) -> String {
        guard let index = content.slots.firstIndex(where: { $0.id == id }) else { return "an image" }
        return "image \(index + 1)"
    }

    static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
