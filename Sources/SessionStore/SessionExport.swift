import AppCore
import LocalStorage

/// A session as text to keep or share: a readable Markdown transcript and a JSON document.
/// Pure string building; `SessionExporter` writes the files.
public enum SessionExport {
    /// The images a session refers to, each with the file name it gets in the export's images
    /// folder: distinct source paths numbered in order of first use ("1-cat.png", "2-dog.png",
    /// "3-cat.png"), so names never clash; a path attached twice is exported once.
    public static func exportedImages(_ snapshot: SessionSnapshot) -> [(source: String, exportedName: String)] {
        var seen: Set<String> = []
        var images: [(source: String, exportedName: String)] = []
        for entry in snapshot.entries {
            for image in entry.images where seen.insert(image.path).inserted {
                images.append((image.path, "\(images.count + 1)-\(safeFileName(image.fileName))"))
            }
        }
        return images
    }

    /// The transcript as Markdown: `# title`, a line with the date and model, an optional system
    /// prompt, then each user turn under `## You` and each reply under `## <model name>` with its
    /// text as is (it is Markdown already), images as `![name](imagesFolder/exportedName)` under the
    /// turn that attached them, notices and errors as blockquotes, and stopped or failed replies
    /// marked (replies only). Images whose source path is in `missingImages` are noted "(image missing: path)".
    /// Returns the text and the images to copy (all of them, missing ones included).
    public static func markdown(
        _ snapshot: SessionSnapshot,
        imagesFolder: String,
        missingImages: Set<String> = []
    ) -> (markdown: String, images: [(source: String, exportedName: String)]) {
        let images = exportedImages(snapshot)
        var names: [String: String] = [:]
        for image in images { names[image.source] = image.exportedName }

        var blocks: [String] = []
        blocks.append("# " + heading(snapshot.title, fallback: "Untitled chat"))
        var dateLine = ISODate.readable(fromUnixSeconds: snapshot.createdAt)
        if let model = snapshot.modelName { dateLine += " · " + heading(model, fallback: "unknown model") }
        blocks.append(dateLine)
        if let prompt = snapshot.systemPrompt, !trimmedTrailing(prompt).isEmpty {
            blocks.append(blockquote("**System prompt:** " + trimmedTrailing(prompt)))
        }
        let modelHeading = "## " + heading(snapshot.modelName ?? "", fallback: "Model")
        for entry in snapshot.entries {
            let text = trimmedTrailing(entry.text)
            switch entry.kind {
            case .user, .assistant:
                blocks.append(entry.kind == .user ? "## You" : modelHeading)
                if !text.isEmpty { blocks.append(text) }
            case .notice:
                blocks.append(blockquote(text))
            case .error:
                blocks.append(blockquote("**Error:** " + text))
            }
            for image in entry.images {
                if missingImages.contains(image.path) {
                    blocks.append("(image missing: \(image.path))")
                } else if let name = names[image.path] {
                    let target = imagesFolder.isEmpty ? name : imagesFolder + "/" + name
                    blocks.append("![\(escapedAltText(image.fileName))](\(linkDestination(target)))")
                }
            }
            guard entry.kind == .assistant else { continue }
            switch EntryCoding.persisted(entry.completion) {
            case .stopped: blocks.append("*(stopped)*")
            case .failed(let message):
                let reason = singleLine(message)
                blocks.append(reason.allSatisfy(\.isWhitespace) ? "*(failed)*" : "*(failed: \(reason))*")
            case .finished, .streaming: break
            }
        }
        return (blocks.joined(separator: "\n\n") + "\n", images)
    }

    /// The session as a JSON document with a fixed key order: title, dates as ISO 8601 UTC, model,
    /// system prompt, and the entries (kind, text, completion, failure message, images with path
    /// and size). Entries still streaming are written as stopped, as the store saves them.
    public static func json(_ snapshot: SessionSnapshot) -> String {
        let entries: [JSONValue] = snapshot.entries.map { entry in
            let completion = EntryCoding.name(of: EntryCoding.persisted(entry.completion))
            return .object([
                ("kind", .string(EntryCoding.name(of: entry.kind))),
                ("text", .string(entry.text)),
                ("completion", .string(completion.name)),
                ("failureMessage", .optional(completion.failure)),
                ("images", .array(entry.images.map { image in
                    .object([("path", .string(image.path)), ("width", .int(image.width)), ("height", .int(image.height))])
                })),
            ])
        }
        let document: JSONValue = .object([
            ("format", .string("xcomposer-session")),
            ("version", .int(1)),
            ("title", .string(snapshot.title)),
            ("createdAt", .string(ISODate.string(fromUnixSeconds: snapshot.createdAt))),
            ("updatedAt", .string(ISODate.string(fromUnixSeconds: snapshot.updatedAt))),
            ("model", .optional(snapshot.modelName)),
            ("systemPrompt", .optional(snapshot.systemPrompt)),
            ("entries", .array(entries)),
        ])
        return document.rendered()
    }

    /// A file name for an export of this session, without extension: "chat-2024-05-01-what-is-this"
    /// (the creation date and up to 40 characters of the title, ASCII letters and digits only).
    public static func suggestedBaseName(_ snapshot: SessionSnapshot) -> String {
        let date = ISODate.string(fromUnixSeconds: snapshot.createdAt).prefix(10)
        var slug = ""
        for character in snapshot.title.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
            if slug.count >= 40 { break }
        }
        while slug.last == "-" { slug.removeLast() }
        return slug.isEmpty ? "chat-\(date)" : "chat-\(date)-\(slug)"
    }

    // MARK: - Pieces

    /// A file name that is safe inside the images folder and in a Markdown link.
    static func safeFileName(_ name: String) -> String {
        let cleaned = String(name.map { character -> Character in
            character == "/" || character == "<" || character == ">" || character == "\\" || character.isNewline
                || character.unicodeScalars.contains { $0.value < 0x20 } ? "_" : character
        })
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "image" : cleaned
    }

    /// The link target, in angle brackets when it has characters that end a plain one.
    static func linkDestination(_ target: String) -> String {
        target.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) ? "<\(target)>" : target
    }

    static func escapedAltText(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "[" || character == "]" || character == "\\" { out.append("\\") }
            out.append(character.isNewline ? " " : character)
        }
        return out
    }

    /// Heading text: one line, not blank.
    static func heading(_ text: String, fallback: String) -> String {
        let line = singleLine(text)
        return line.allSatisfy(\.isWhitespace) ? fallback : line
    }

    static func trimmedTrailing(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }

    /// Every line prefixed with "> " (blank lines with ">"), so multi-line text stays in one quote.
    static func blockquote(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.isEmpty ? ">" : "> " + $0 }
            .joined(separator: "\n")
    }
}
