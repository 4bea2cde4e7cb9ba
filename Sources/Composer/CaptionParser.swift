/// Turns the caption step's answer into a caption.
public enum CaptionParser {
    /// Most characters an instruct caption keeps.
    public static let maxInstructLength = 120
    /// Characters of the section used when the answer gives no caption (the manual-insert path).
    public static let fallbackLength = 50

    /// The web demo: `out.split('"')[0].strip()`; empty → the last 50 characters of `section`.
    public static func xcomposer(_ answer: String, section: String) -> ParsedAnswer<String> {
        let caption = (answer.pieces(separatedBy: "\"").first ?? "").trimmed()
        return caption.isEmpty ? fallback(section) : ParsedAnswer(value: caption)
    }

    /// Instruct models: the first non-empty line, without `Caption:`-style prefixes, quotes or
    /// bold markers, at most 120 characters (cut at a space when there is one); empty → the
    /// last 50 characters of `section`.
    public static func instruct(_ answer: String, section: String) -> ParsedAnswer<String> {
        let lines = answer.replacingAll("\r", with: "\n").pieces(separatedBy: "\n").map { $0.trimmed() }
        var line = lines.first(where: { !$0.isEmpty }) ?? ""
        for _ in 0..<3 {
            let before = line
            line = line.replacingAll("**", with: "").trimmed()
            let lower = line.lowercased()
            // Small models often describe the caption instead of giving it ("The image shows …").
            for prefix in ["image caption:", "caption:", "image:", "answer:",
                           "the image that follows is a description of", "the image that follows shows",
                           "the image is a description of", "the image shows", "the image is", "this image shows",
                           "an image of", "a picture of"] where lower.hasPrefix(prefix) {
                line = String(line.unicodeScalars.dropFirst(prefix.unicodeScalars.count)).trimmed()
                break
            }
            line = stripQuotes(line)
            if line == before { break }
        }
        if line.count > maxInstructLength {
            var cut = String(line.prefix(maxInstructLength))
            if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > maxInstructLength / 2 {
                cut = String(cut[..<space])
            }
            line = cut.trimmed()
        }
        return line.isEmpty ? fallback(section) : ParsedAnswer(value: line)
    }

    private static func fallback(_ section: String) -> ParsedAnswer<String> {
        ParsedAnswer(value: section.trimmed().lastCharacters(fallbackLength),
                     fallback: "the answer had no caption: used the last \(fallbackLength) characters of the paragraph")
    }

    private static let quotes: Set<Character> = ["\"", "'", "“", "”", "‘", "’", "«", "»", "「", "」"]

    /// Removes leading and trailing quote marks (an unterminated quote loses its opening mark).
    static func stripQuotes(_ text: String) -> String {
        var result = Substring(text)
        while let first = result.first, quotes.contains(first) { result = result.dropFirst() }
        while let last = result.last, quotes.contains(last) { result = result.dropLast() }
        return String(result).trimmed()
    }
}
