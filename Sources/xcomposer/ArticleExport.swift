import Composer
import LocalStorage

/// Writes a composed article: Markdown with its pictures copied into an assets folder beside it,
/// and one self-contained HTML file with the pictures embedded, each file atomically
/// (`AtomicFiles`), so a reader never sees half a file.
enum ArticleExport {
    struct Written {
        var markdown: String
        var html: String
        var assets: [String]
    }

    static func write(_ content: ArticleContent, markdownPath: String) throws(FolderPaths.Failure) -> Written {
        let base = markdownPath.hasSuffix(".md") ? String(markdownPath.dropLast(3)) : markdownPath
        let assetsFolder = base + "-assets"
        let assetsName = assetsFolder.split(separator: "/").last.map(String.init) ?? assetsFolder
        var exported = content
        var assets: [String] = []
        var images: [String: [UInt8]] = [:]
        for index in exported.slots.indices {
            guard let chosen = exported.slots[index].chosen, let chosenIndex = exported.slots[index].chosenIndex else { continue }
            let bytes = try AtomicFiles.readAll(chosen.path)
            let fileName = chosen.path.split(separator: "/").last.map(String.init) ?? "image"
            // Saving an article back where it came from: its pictures are in place already.
            let inPlace = chosen.path.hasPrefix(assetsFolder + "/") && !fileName.isEmpty
            let name = inPlace ? fileName : "\(assets.count + 1)-" + fileName
            if assets.isEmpty { try FolderPaths.makeDirectories(assetsFolder) }
            if !inPlace { try AtomicFiles.writeBytes(bytes, to: assetsFolder + "/" + name) }
            assets.append(assetsFolder + "/" + name)
            let relative = assetsName + "/" + name
            images[relative] = bytes
            exported.slots[index].candidates[chosenIndex].path = relative
        }
        let markdown = ArticleMarkdown.render(exported, style: .html)
        try AtomicFiles.writeText(markdown, to: markdownPath)
        let htmlPath = base + ".html"
        try AtomicFiles.writeText(html(exported, images: images), to: htmlPath)
        return Written(markdown: markdownPath, html: htmlPath, assets: assets)
    }

    /// A standalone page in the original's layout: each picture centred after its paragraph, the
    /// caption beneath. Well-formed XHTML, so any XML parser can check it.
    static func html(_ content: ArticleContent, images: [String: [UInt8]]) -> String {
        var body = ""
        if !content.title.isEmpty { body += "<h1>\(escape(content.title))</h1>\n" }
        for paragraph in content.paragraphs {
            body += "<p>\(escape(paragraph.text))</p>\n"
            for slot in content.slots(after: paragraph.id) {
                guard let chosen = slot.chosen else { continue }
                let source = images[chosen.path].map { "data:\(mimeType(chosen.path));base64," + Base64.encode($0) } ?? escape(chosen.path)
                body += "<figure><img src=\"\(source)\" width=\"500\" alt=\"\(escape(slot.caption))\"/>"
                if !slot.caption.isEmpty { body += "<figcaption>\(escape(slot.caption))</figcaption>" }
                body += "</figure>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <title>\(escape(content.title))</title>
        <style>body{max-width:42em;margin:2em auto;font-family:Georgia,serif;line-height:1.5;padding:0 1em}figure{text-align:center;margin:1.5em 0}figure img{max-width:100%;height:auto}figcaption{font-style:italic;color:#555}</style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML has no place for most control characters.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func mimeType(_ path: String) -> String {
        let lower = path.lowercased()
        return lower.hasSuffix(".png") ? "image/png" : "image/jpeg"
    }
}

/// Standard Base64 (RFC 4648) with padding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
            out += rest == 2 ? [alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")] : [UInt8(ascii: "="), UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
