import Composer

extension ComposeState {
    mutating func handle(_ input: KeyInput) -> [ComposeEffect] {
        if showHelp {
            showHelp = false
            return []
        }
        switch mode {
        case .browsing:
            return browse(input)
        case .editing, .command, .askingTitle:
            return type(input)
        case let .choosingDraft(drafts, selected):
            return chooseDraft(input, drafts: drafts, selected: selected)
        }
    }

    // MARK: - Browsing

    private mutating func browse(_ input: KeyInput) -> [ComposeEffect] {
        switch input {
        case let .text(text):
            // Keys typed fast arrive together: each is a command until one opens a text
            // field (/, e, n, …), which then gets the rest.
            var effects: [ComposeEffect] = []
            var rest = Substring(text)
            while let key = rest.popFirst() {
                effects += command(key)
                if mode != .browsing {
                    if !rest.isEmpty { effects += type(.text(String(rest))) }
                    break
                }
            }
            return effects
        case .paste:
            post("paste into a paragraph or caption: Enter on it starts editing", .warning)
        case let .wheel(up):
            moveFocus(by: up ? -1 : 1)
        case let .chord(chord):
            return chordInBrowsing(chord)
        }
        return []
    }

    private mutating func chordInBrowsing(_ chord: KeyChord) -> [ComposeEffect] {
        switch (chord.key, chord.ctrl, chord.alt) {
        case (.up, false, true): moveSlot(by: -1)
        case (.down, false, true): moveSlot(by: 1)
        case (.up, _, _): moveFocus(by: -1)
        case (.down, _, _): moveFocus(by: 1)
        case (.pageUp, _, _): moveFocus(by: -5)
        case (.pageDown, _, _): moveFocus(by: 5)
        case (.home, _, _):
            focus = .title
            followsOutput = false
        case (.end, _, _):
            focus = blocks.last ?? .title
            followsOutput = true
        case (.left, _, _): moveCandidate(by: -1)
        case (.right, _, _): moveCandidate(by: 1)
        case (.enter, _, _), (.space, _, _): return activate()
        case (.delete, _, _): deleteFocused()
        case (.escape, _, _):
            if isBusy { return [.cancel] }
        case (.character("z"), true, _): undo()
        case (.character("y"), true, _): redo()
        case (.character("s"), true, _): return saveToFile()
        case (.character("e"), true, _): return exportArticle(to: nil)
        case (.character("q"), true, _): return requestQuit()
        case (.character("c"), true, _): return interrupt()
        case (.function(1), _, _): showHelp = true
        default: break
        }
        return []
    }

    /// One-letter commands while browsing (shown in the help and the hint line).
    private mutating func command(_ key: Character) -> [ComposeEffect] {
        switch key {
        case "j": moveFocus(by: 1)
        case "k": moveFocus(by: -1)
        case "h": moveCandidate(by: -1)
        case "l": moveCandidate(by: 1)
        case "J": moveSlot(by: 1)
        case "K": moveSlot(by: -1)
        case "1", "2", "3", "4":
            return pickCandidate(Int(String(key))! - 1)
        case "e", "i": beginEditing()
        case "r": return rewriteFocused()
        case "c": beginCaptionEdit()
        case "s": return searchFocused()
        case "C": return recaptionFocused()
        case "a": addSlotAfterFocus()
        case "o": addParagraphAfterFocus()
        case "x", "d": deleteFocused()
        case "u": undo()
        case "U": redo()
        case "+": return continueArticle()
        case "n":
            mode = .askingTitle
            editor.clear()
        case "/", ":":
            mode = .command
            editor.setText("/")
        case "?": showHelp = true
        case "q": return requestQuit()
        default: break
        }
        return []
    }

    mutating func moveFocus(by step: Int) {
        followsOutput = false
        let blocks = self.blocks
        let index = blocks.firstIndex(of: focus) ?? 0
        focus = blocks[min(max(0, index + step), blocks.count - 1)]
    }

    private mutating func moveCandidate(by step: Int) {
        guard case let .slot(id) = focus, let slot = article.slot(id), !slot.candidates.isEmpty else {
            moveFocus(by: step)
            return
        }
        candidateCursor[id] = min(max(0, highlightedCandidate(slot) + step), slot.candidates.count - 1)
    }

    /// Enter: edit a paragraph or the title; on a slot, choose the highlighted candidate.
    private mutating func activate() -> [ComposeEffect] {
        if case let .slot(id) = focus, let slot = article.slot(id) {
            if slot.candidates.isEmpty {
                beginCaptionEdit()
                return []
            }
            return pickCandidate(highlightedCandidate(slot))
        }
        beginEditing()
        return []
    }

    private mutating func pickCandidate(_ index: Int) -> [ComposeEffect] {
        guard case let .slot(id) = focus, let slot = article.slot(id) else {
            post("move to an image slot first (↓), then pick 1–4", .warning)
            return []
        }
        guard slot.candidates.indices.contains(index) else {
            post("\(describe(id)) has \(slot.candidates.count) candidates", .warning)
            return []
        }
        do {
            try article.chooseCandidate(id, index: index)
            candidateCursor[id] = index
            let name = slot.candidates[index].path.split(separator: "/").last.map(String.init) ?? ""
            post("\(describe(id)): chose \(index + 1) \(name)")
        } catch {
            post("\(error)", .error)
        }
        return []
    }

    private mutating func moveSlot(by step: Int) {
        guard case let .slot(id) = focus, let slot = article.slot(id),
              let index = content.sectionIndex(of: slot.afterParagraph) else {
            post("move to an image slot first to move it", .warning)
            return
        }
        let target = index + step
        guard content.paragraphs.indices.contains(target) else { return }
        try? article.moveSlot(id, after: content.paragraphs[target].id)
        post("\(describe(id)) now follows paragraph \(target + 1)")
    }

    private mutating func deleteFocused() {
        let position = blocks.firstIndex(of: focus) ?? 0
        switch focus {
        case .title:
            post("the title cannot be deleted; e edits it", .warning)
            return
        case let .paragraph(id):
            try? article.deleteParagraph(id)
            post("deleted a paragraph · u undoes it")
        case let .slot(id):
            try? article.deleteSlot(id)
            post("deleted an image slot · u undoes it")
        }
        repairFocus(preferring: position - 1)
    }

    private mutating func undo() {
        let position = blocks.firstIndex(of: focus)
        if article.undo() { repairFocus(preferring: position) } else { post("nothing to undo") }
    }

    private mutating func redo() {
        let position = blocks.firstIndex(of: focus)
        if article.redo() { repairFocus(preferring: position) } else { post("nothing to redo") }
    }

    private mutating func addSlotAfterFocus() {
        guard let paragraph = focusedParagraph else {
            post("move to a paragraph to add an image after it", .warning)
            return
        }
        guard let id = try? article.addSlot(after: paragraph) else { return }
        focus = .slot(id)
        beginCaptionEdit()
    }

    private mutating func addParagraphAfterFocus() {
        let position: Int
        if let paragraph = focusedParagraph, let index = content.sectionIndex(of: paragraph) {
            position = index + 1
        } else {
            position = 0
        }
        guard let id = try? article.insertParagraph("", at: position) else { return }
        focus = .paragraph(id)
        beginEditing()
    }

    /// The paragraph the cursor is on, or the one a focused slot follows.
    var focusedParagraph: ParagraphID? {
        switch focus {
        case .title: return nil
        case let .paragraph(id): return id
        case let .slot(id): return article.slot(id)?.afterParagraph
        }
    }

    // MARK: - Typing

    mutating func beginEditing() {
        switch focus {
        case .title:
            editor.setText(content.title)
        case let .paragraph(id):
            editor.setText(article.paragraph(id)?.text ?? "")
            article.endEditBurst()
        case .slot:
            beginCaptionEdit()
            return
        }
        mode = .editing(focus)
    }

    mutating func beginCaptionEdit() {
        guard case let .slot(id) = focus, let slot = article.slot(id) else { return }
        editor.setText(slot.caption)
        mode = .editing(.slot(id))
    }

    private mutating func type(_ input: KeyInput) -> [ComposeEffect] {
        switch input {
        case let .text(text):
            editor.insert(text)
        case let .paste(text):
            // One-line blocks: line breaks in a paste become spaces.
            editor.insert(text.split(whereSeparator: \.isNewline).joined(separator: " "))
        case .wheel:
            return []
        case let .chord(chord):
            switch (chord.key, chord.ctrl, chord.alt) {
            case (.enter, _, _): return finishTyping()
            case (.escape, _, _): return cancelTyping()
            case (.backspace, false, true), (.character("w"), true, _): editor.deleteWordBackward()
            case (.backspace, _, _): editor.deleteBackward()
            case (.delete, _, _): editor.deleteForward()
            case (.left, true, _), (.left, _, true): editor.wordLeft()
            case (.right, true, _), (.right, _, true): editor.wordRight()
            case (.left, _, _): editor.moveLeft()
            case (.right, _, _): editor.moveRight()
            case (.home, _, _), (.character("a"), true, _): editor.lineStart()
            case (.end, _, _), (.character("e"), true, _): editor.lineEnd()
            case (.character("k"), true, _): editor.killToLineEnd()
            case (.character("u"), true, _): editor.killToLineStart()
            case (.character("z"), true, _): editor.undo()
            case (.character("y"), true, _): editor.redo()
            case (.character("c"), true, _): return interrupt()
            case (.character("q"), true, _): return requestQuit()
            case (.function(1), _, _): showHelp = true
            default: return []
            }
        }
        syncLiveEdit()
        return []
    }

    /// A paragraph being edited changes as you type, so the autosave has every keystroke.
    private mutating func syncLiveEdit() {
        guard case let .editing(.paragraph(id)) = mode, article.paragraph(id)?.text != editor.text else { return }
        do {
            try article.editParagraph(id, text: editor.text)
        } catch {
            mode = .browsing
            post("the paragraph being edited was removed", .warning)
        }
    }

    private mutating func finishTyping() -> [ComposeEffect] {
        let text = editor.text.strippingBlanks()
        let finished = mode
        mode = .browsing
        editor.clear()
        switch finished {
        case .editing(.title):
            if text != content.title { try? article.setTitle(text) }
        case let .editing(.paragraph(id)):
            article.endEditBurst()
            if text.isEmpty, article.paragraph(id)?.text.isEmpty == true {
                try? article.deleteParagraph(id)
                repairFocus()
            }
        case let .editing(.slot(id)):
            guard !text.isEmpty else {
                post("empty caption: the slot keeps its old one", .warning)
                return []
            }
            try? article.setCaption(id, text)
            return searchSlot(id)
        case .command:
            return runCommand(text)
        case .askingTitle:
            guard !text.isEmpty else {
                post("type a title or instruction, then Enter (Esc goes back)", .warning)
                mode = .askingTitle
                return []
            }
            return startComposing(title: text)
        case .browsing, .choosingDraft:
            break
        }
        return []
    }

    private mutating func cancelTyping() -> [ComposeEffect] {
        switch mode {
        case .editing(.paragraph):
            // Typing was applied as it happened; Esc just stops editing.
            article.endEditBurst()
        default:
            break
        }
        mode = .browsing
        editor.clear()
        return []
    }

    // MARK: - Drafts list

    private mutating func chooseDraft(_ input: KeyInput, drafts: [DraftListing], selected: Int) -> [ComposeEffect] {
        var key: KeyChord.Key?
        switch input {
        case let .chord(chord): key = chord.key
        case .text("k"): key = .up
        case .text("j"): key = .down
        case .text("q"): key = .escape
        default: break
        }
        switch key {
        case .up: mode = .choosingDraft(drafts, selected: max(selected - 1, 0))
        case .down: mode = .choosingDraft(drafts, selected: min(selected + 1, drafts.count - 1))
        case .enter:
            mode = .browsing
            return [.openDraft(drafts[selected].id)]
        case .escape: mode = .browsing
        default: break
        }
        return []
    }
}

extension String {
    /// Without the spaces and tabs at either end.
    func strippingBlanks() -> String {
        let set: Set<Character> = [" ", "\t"]
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
