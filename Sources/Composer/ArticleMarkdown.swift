/// Markdown for an article, in the web demo's `io.MD` layout, and back.
///
/// Layout: `# title` (when there is one), then the paragraphs separated by blank lines; after a
/// paragraph, each slot with a chosen image as
/// `<div align="center"> <img src="PATH" width = 500/> </div>` with the caption beneath as
/// `<div align="center">CAPTION</div>` (or, in the plain style, `![CAPTION](PATH)`). Slots without
/// a chosen image are not written. Newlines inside a paragraph become spaces; a paragraph that
/// would read as a title, an image or an escape starts with a backslash.
public enum ArticleMarkdown {
    /// How images are written.
    public enum Style: Sendable, Equatable {
        /// The original's centred HTML block with the caption beneath.
        case html
        /// `![caption](path)`.
        case plain
    }

    public static func render(_ content: ArticleContent, style: Style = .html, captions: Bool = true) -> String {
        var blocks: [String] = []
        if !content.title.isEmpty { blocks.append("# " + oneLine(content.title)) }
        for paragraph in content.paragraphs {
            var block = oneLine(paragraph.text)
            if needsEscape(block) { block = "\\" + block }
            for slot in content.slots(after: paragraph.id) {
                guard let chosen = slot.chosen else { continue }
                let caption = captions ? oneLine(slot.caption) : ""
                switch style {
                case .html:
                    block += "\n<div align=\"center\"> <img src=\"\(escapeHTML(chosen.path))\" width = 500/> </div>"
                    if !caption.isEmpty { block += "\n<div align=\"center\">\(escapeHTML(caption))</div>" }
                case .plain:
                    block += "\n![\(escapeMarkdown(caption))](\(escapeMarkdown(chosen.path)))"
                }
            }
            blocks.append(block)
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// Reads Markdown in either style (and the original's variant with the caption inside the
    /// image's div). Lines of one block that are not images join into one paragraph; images
    /// before any paragraph get an empty paragraph to follow. Ids are edit ids numbered from 0.
    public static func parse(_ markdown: String) -> ArticleContent {
        var content = ArticleContent()
        var paragraphNumber = 0
        var slotNumber = 0
        var blockStarted = false
        var lastSlot: Int?  // index in content.slots of the slot a caption line would belong to
        let lines = markdown.replacingAll("\r\n", with: "\n").pieces(separatedBy: "\n")
        func newParagraph(_ text: String) {
            content.paragraphs.append(Paragraph(id: ParagraphID(paragraphNumber, origin: .edit), text: text))
            paragraphNumber += 1
        }
        func addImage(path: String, caption: String) {
            if content.paragraphs.isEmpty { newParagraph("") }
            guard let after = content.paragraphs.last?.id else { return }
            content.slots.append(ImageSlot(id: SlotID(slotNumber, origin: .edit), afterParagraph: after,
                                           caption: caption, candidates: [Candidate(path: path)],
                                           chosenIndex: 0, status: .ready))
            slotNumber += 1
            lastSlot = content.slots.count - 1
        }
        for raw in lines {
            let line = raw.trimmed()
            if line.isEmpty { blockStarted = false; lastSlot = nil; continue }
            if let (path, caption) = htmlImage(line) {
                addImage(path: path, caption: caption)
                blockStarted = true
                continue
            }
            if let (path, caption) = plainImage(line) {
                addImage(path: path, caption: caption)
                blockStarted = true
                lastSlot = nil
                continue
            }
            if let index = lastSlot, let caption = htmlCaption(line), content.slots[index].caption.isEmpty {
                content.slots[index].caption = caption
                lastSlot = nil
                continue
            }
            lastSlot = nil
            if !blockStarted, content.paragraphs.isEmpty, content.title.isEmpty, line.hasPrefix("# ") {
                content.title = String(line.dropFirst(2)).trimmed()
                continue
            }
            let text = line.hasPrefix("\\") ? String(line.dropFirst()) : line
            if blockStarted, let last = content.paragraphs.indices.last,
               content.slots.last?.afterParagraph != content.paragraphs[last].id {
                content.paragraphs[last].text += " " + text
            } else {
                newParagraph(text)
            }
            blockStarted = true
        }
        return content
    }

    // MARK: Helpers

    private static func oneLine(_ text: String) -> String {
        text.replacingAll("\r\n", with: " ").replacingAll("\n", with: " ").replacingAll("\r", with: " ").trimmed()
    }

    private static func needsEscape(_ line: String) -> Bool {
        line.hasPrefix("#") || line.hasPrefix("\\") || line.hasPrefix("<div") || line.hasPrefix("![")
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
            .replacingAll("\"", with: "&quot;")
    }

    static func unescapeHTML(_ text: String) -> String {
        text.replacingAll("&quot;", with: "\"").replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">")
            .replacingAll("&amp;", with: "&")
    }

    static func escapeMarkdown(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\[]()".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// `<div …> <img src="PATH" …/> [CAPTION] </div>` → (path, caption).
    private static func htmlImage(_ line: String) -> (String, String)? {
        guard line.hasPrefix("<div"), let img = line.firstRange(of: "<img"),
              let src = line[img.upperBound...].firstRange(of: "src=\"") else { return nil }
        let afterSrc = line[src.upperBound...]
        guard let quote = afterSrc.firstIndex(of: "\"") else { return nil }
        let path = unescapeHTML(String(afterSrc[..<quote]))
        var caption = ""
        if let close = afterSrc[quote...].firstRange(of: ">") {
            var rest = String(afterSrc[close.upperBound...])
            if let end = rest.firstRange(of: "</div>") { rest = String(rest[..<end.lowerBound]) }
            caption = unescapeHTML(rest.trimmed())
        }
        return (path, caption)
    }

    /// `<div align="center">CAPTION</div>` → caption.
    private static func htmlCaption(_ line: String) -> String? {
        guard line.hasPrefix("<div"), line.hasSuffix("</div>"), let open = line.firstIndex(of: ">") else { return nil }
        let inner = line[line.index(after: open)...].dropLast("</div>".count)
        return unescapeHTML(String(inner).trimmed())
    }

    /// `![CAPTION](PATH)` with backslash escapes → (path, caption).
    private static func plainImage(_ line: String) -> (String, String)? {
        guard line.hasPrefix("!["), line.hasSuffix(")") else { return nil }
        var caption = ""
        var path = ""
        var stage = 0  // 0: caption, 1: expecting "(", 2: path
        var escaped = false
        for character in line.dropFirst(2).dropLast() {
            switch stage {
            case 0:
                if escaped { caption.append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == "]" { stage = 1 }
                else { caption.append(character) }
            case 1:
                guard character == "(" else { return nil }
                stage = 2
            default:
                if escaped { path.append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else { path.append(character) }
            }
        }
        return stage == 2 ? (path, caption) : nil
    }
}
