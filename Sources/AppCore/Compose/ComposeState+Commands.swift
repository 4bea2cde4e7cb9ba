import Composer

extension ComposeState {
    /// Composes an article for a title given on the command line.
    public mutating func begin(title: String) -> [ComposeEffect] {
        mode = .browsing
        return startComposing(title: title)
    }

    /// Starts the whole pipeline for a title, in this document if it is empty, else in a new one.
    mutating func startComposing(title: String) -> [ComposeEffect] {
        guard !isBusy else { return busy() }
        guard modelFailure == nil else {
            post("no model: \(modelFailure ?? "")", .error)
            return []
        }
        var effects: [ComposeEffect] = []
        if !content.paragraphs.isEmpty {
            effects += autosave(urgent: true)
            replaceDocument(ArticleContent(), draftID: nil, sourcePath: nil)
        }
        job = ComposeJob(name: "composing “\(title)”", step: "starting", startedAt: environment.now())
        effects.append(.compose(title: title, paragraphs: paragraphCount, images: imageCount,
                                firstParagraph: nextPipelineParagraph, firstSlot: nextPipelineSlot))
        return effects
    }

    mutating func rewriteFocused() -> [ComposeEffect] {
        guard case let .paragraph(id) = focus, let index = content.sectionIndex(of: id) else {
            post("move to a paragraph to rewrite it", .warning)
            return []
        }
        guard !isBusy else { return busy() }
        job = ComposeJob(name: "rewriting paragraph \(index + 1)", step: "writing", startedAt: environment.now())
        return [.rewrite(id, title: content.title, sections: content.sections, index: index)]
    }

    mutating func continueArticle() -> [ComposeEffect] {
        guard !isBusy else { return busy() }
        guard !content.title.isEmpty || !content.paragraphs.isEmpty else {
            post("give the article a title first (e on the title)", .warning)
            return []
        }
        job = ComposeJob(name: "writing paragraph \(content.paragraphs.count + 1)", step: "writing",
                         startedAt: environment.now())
        return [.continueArticle(title: content.title, sections: content.sections, newParagraph: nextPipelineParagraph)]
    }

    mutating func searchFocused() -> [ComposeEffect] {
        guard case let .slot(id) = focus else {
            post("move to an image slot to search again", .warning)
            return []
        }
        return searchSlot(id)
    }

    mutating func searchSlot(_ id: SlotID) -> [ComposeEffect] {
        guard let slot = article.slot(id) else { return [] }
        let paragraph = article.paragraph(slot.afterParagraph)?.text ?? ""
        let caption = slot.caption.isEmpty ? paragraph : slot.caption
        let excluding = content.usedImagePaths.filter { $0 != slot.chosen?.path }
        return [.search(id, caption: caption, paragraph: paragraph, excluding: excluding)]
    }

    mutating func recaptionFocused() -> [ComposeEffect] {
        guard case let .slot(id) = focus, let slot = article.slot(id),
              let spot = content.sectionIndex(of: slot.afterParagraph) else {
            post("move to an image slot to caption it again", .warning)
            return []
        }
        guard !isBusy else { return busy() }
        job = ComposeJob(name: "captioning \(describe(id))", step: "captioning", startedAt: environment.now())
        let excluding = content.usedImagePaths.filter { $0 != slot.chosen?.path }
        return [.recaption(id, sections: content.sections, spot: spot, excluding: excluding)]
    }

    /// Ctrl-S: writes the article back to the file it came from, or exports it beside here.
    mutating func saveToFile() -> [ComposeEffect] {
        exportArticle(to: sourcePath)
    }

    mutating func exportArticle(to path: String?) -> [ComposeEffect] {
        guard !content.paragraphs.isEmpty || !content.title.isEmpty else {
            post("nothing to export yet", .warning)
            return []
        }
        return [.export(content, markdownPath: path ?? Self.defaultFileName(for: content.title))]
    }

    /// `my-title.md` from the title (letters and digits, dashes between words).
    public static func defaultFileName(for title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
            if slug.count >= 60 { break }
        }
        while slug.last == "-" { slug.removeLast() }
        return (slug.isEmpty ? "article" : slug) + ".md"
    }

    private mutating func busy() -> [ComposeEffect] {
        post("the model is busy (\(job?.name ?? "")); Esc stops it", .warning)
        return []
    }

    /// Runs a `/command` line.
    mutating func runCommand(_ line: String) -> [ComposeEffect] {
        let trimmed = line.hasPrefix("/") ? String(line.dropFirst()) : line
        let name = trimmed.prefix { $0 != " " }.lowercased()
        let argument = String(trimmed.drop { $0 != " " }).strippingBlanks()
        switch name {
        case "compose", "new":
            guard !argument.isEmpty else {
                mode = .askingTitle
                return []
            }
            return startComposing(title: argument)
        case "export":
            return exportArticle(to: argument.isEmpty ? sourcePath : argument)
        case "save":
            return saveToFile()
        case "drafts":
            return [.listDrafts]
        case "open":
            guard !argument.isEmpty else {
                post("/open FILE.md opens a Markdown article; /drafts lists saved drafts", .warning)
                return []
            }
            if let id = Int64(argument) { return [.openDraft(id)] }
            return [.openMarkdown(argument)]
        case "images":
            if argument == "auto" || argument.isEmpty {
                imageCount = nil
                post("images: the model decides how many")
            } else if let count = Int(argument), (1...30).contains(count) {
                imageCount = count
                post("images: \(count) per article")
            } else {
                post("/images takes 1–30 or auto", .warning)
            }
        case "paragraphs":
            if let count = Int(argument), (1...60).contains(count) {
                paragraphCount = count
                post("paragraphs: \(count) per article")
            } else {
                post("/paragraphs takes 1–60", .warning)
            }
        case "library":
            guard !argument.isEmpty else {
                post("/library DIR adds a folder of pictures to the library", .warning)
                return []
            }
            guard !isBusy else { return busy() }
            job = ComposeJob(name: "indexing \(argument)", step: "scanning", startedAt: environment.now())
            return [.indexLibrary(argument)]
        case "quit", "q":
            return requestQuit()
        case "help":
            showHelp = true
        default:
            post("unknown command /\(name) (? lists them)", .warning)
        }
        return []
    }
}
