/// Turns the article step's answer into sections (one line = one paragraph = one section).
public enum ArticleTextParser {
    /// The web demo's post-processing: `re.sub(r'(\n[ \t]*)+', '\n', text)`, drop a trailing
    /// newline, keep the first 60 lines, split on newlines. Empty sections (only possible as the
    /// first line, or for an empty answer) are dropped so every section has text.
    public static func xcomposer(_ text: String, maxSections: Int = ComposePrompts.maxSections) -> ParsedAnswer<[String]> {
        var collapsed = String.UnicodeScalarView()
        var inBreak = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                inBreak = true
            } else if inBreak && (scalar == " " || scalar == "\t") {
                continue
            } else {
                if inBreak { collapsed.append("\n"); inBreak = false }
                collapsed.append(scalar)
            }
        }
        // A final run of breaks became one "\n", which the demo then drops.
        let lines = String(collapsed).pieces(separatedBy: "\n")
        let kept = Array(lines.prefix(max(0, maxSections)))
        let sections = kept.filter { !$0.trimmed().isEmpty }
        return ParsedAnswer(value: sections, fallback: note(sections: sections, lineCount: lines.count, maxSections: maxSections))
    }

    /// Instruct models: also drops headings, empty lines and list markers or "Paragraph 1:" prefixes.
    public static func instruct(_ text: String, maxSections: Int = ComposePrompts.maxSections) -> ParsedAnswer<[String]> {
        let lines = text.replacingAll("\r\n", with: "\n").replacingAll("\r", with: "\n").pieces(separatedBy: "\n")
        var sections: [String] = []
        for raw in lines {
            let line = raw.trimmed()
            if line.isEmpty || isHeading(line) { continue }
            let body = stripParagraphPrefix(line)
            if !body.isEmpty { sections += splitLongParagraph(body) }
        }
        let kept = Array(sections.prefix(max(0, maxSections)))
        return ParsedAnswer(value: kept, fallback: note(sections: kept, lineCount: sections.count, maxSections: maxSections))
    }

    private static func note(sections: [String], lineCount: Int, maxSections: Int) -> String? {
        if sections.isEmpty { return "the answer had no paragraphs: the article is empty" }
        if lineCount > maxSections { return "the answer had \(lineCount) lines: kept the first \(maxSections)" }
        return nil
    }

    /// Small models often write the whole article as one line. A line of more than
    /// `1.5 × targetWords` words is cut at sentence ends into paragraphs of at least
    /// `targetWords` words; a short tail joins the paragraph before it.
    public static func splitLongParagraph(_ text: String, targetWords: Int = 60) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count > targetWords * 3 / 2 else { return [text] }
        var pieces: [String] = []
        var current: [Substring] = []
        for (index, word) in words.enumerated() {
            current.append(word)
            let next = index + 1 < words.count ? words[index + 1] : nil
            if current.count >= targetWords, endsSentence(word), let next, startsSentence(next) {
                pieces.append(current.joined(separator: " "))
                current = []
            }
        }
        if !current.isEmpty {
            if current.count < targetWords / 2, let last = pieces.popLast() {
                pieces.append(last + " " + current.joined(separator: " "))
            } else {
                pieces.append(current.joined(separator: " "))
            }
        }
        return pieces
    }

    private static func endsSentence(_ word: Substring) -> Bool {
        var trimmed = word
        while let last = trimmed.last, "\"'”’)".contains(last) { trimmed.removeLast() }
        guard let last = trimmed.last, ".!?。！？".contains(last) else { return false }
        guard last == "." else { return true }
        // "Dr. Smith", "J. Smith", "U.S. coins": a full stop that ends an abbreviation.
        let stem = trimmed.dropLast()
        if abbreviations.contains(stem.lowercased()) { return false }
        if stem.count == 1, stem.first?.isLetter == true { return false }
        if stem.contains(".") { return false }
        return true
    }

    private static let abbreviations: Set<String> = [
        "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no", "fig", "mt", "ft", "approx",
    ]

    private static func startsSentence(_ word: Substring) -> Bool {
        guard let first = word.first(where: { !"\"'“‘(".contains($0) }) else { return false }
        return first.isUppercase || first.isNumber
    }

    /// Markdown headings, whole-line bold text and "Title: …" lines.
    static func isHeading(_ line: String) -> Bool {
        if line.hasPrefix("#") { return true }
        if line.count > 4, line.hasPrefix("**"), line.hasSuffix("**"),
           !line.dropFirst(2).dropLast(2).contains("**") { return true }
        if line.lowercased().hasPrefix("title:") { return true }
        return false
    }

    /// Removes `1.`, `1)`, `-`, `*`, `•` markers and `Paragraph 1:` style prefixes.
    static func stripParagraphPrefix(_ line: String) -> String {
        var scalars = Substring(line).unicodeScalars[...]
        func dropSpaces() { while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() } }
        // Bold wrapper around a prefix, e.g. "**Paragraph 1:** text".
        var rest = String(scalars)
        if rest.hasPrefix("**") {
            let inner = String(rest.dropFirst(2))
            if let close = inner.firstRange(of: "**"), inner[..<close.lowerBound].count <= 16,
               strippedPrefix(String(inner[..<close.lowerBound])) != nil {
                rest = String(inner[close.upperBound...])
                return rest.trimmed()
            }
        }
        if let stripped = strippedPrefix(rest) { return stripped }
        if let first = scalars.first, ["-", "*", "•", "–"].contains(first) {
            scalars.removeFirst()
            if scalars.first?.properties.isWhitespace == true { dropSpaces(); return String(scalars) }
            return line
        }
        return line
    }

    /// "Paragraph 3: …", "Paragraph 3 - …", "3. …", "3) …" without their prefix; nil if none.
    private static func strippedPrefix(_ text: String) -> String? {
        var scalars = Substring(text).unicodeScalars[...]
        let lower = text.lowercased()
        var hadWord = false
        for word in ["paragraph", "para", "section"] where lower.hasPrefix(word) {
            scalars.removeFirst(word.unicodeScalars.count)
            while scalars.first == " " { scalars.removeFirst() }
            hadWord = true
            break
        }
        var digits = 0
        while let first = scalars.first, first.isASCIIDigit { scalars.removeFirst(); digits += 1 }
        guard digits > 0, digits <= 3, let mark = scalars.first else {
            if hadWord, digits > 0, scalars.isEmpty { return "" }
            return nil
        }
        if mark == "." || mark == ")" || mark == ":" || (hadWord && mark == " ") || (hadWord && mark == "-") {
            scalars.removeFirst()
            var rest = String(scalars).trimmed()
            if hadWord, rest.hasPrefix("-") || rest.hasPrefix(":") { rest = String(rest.dropFirst()).trimmed() }
            // "3.5 percent" is a number, not a list marker.
            if mark == ".", let next = scalars.first, next.isASCIIDigit { return nil }
            return rest
        }
        return nil
    }
}
