/// What one source line of light Markdown is, decided from the line alone. Offsets index the
/// line's characters.
enum MarkdownLine: Equatable {
    case blank
    /// A code fence: `marker` ("`" or "~") repeated `length` (≥ 3) times after `indent` spaces;
    /// `language` is the first word of the info string.
    case fence(indent: Int, marker: Character, length: Int, language: String)
    /// `#`…`######`: the heading's text is `content` (closing `#`s removed).
    case heading(level: Int, content: Range<Int>)
    /// `---`, `***`, `___` (three or more, spaces allowed).
    case rule
    /// `-`, `*` or `+` after `indent` spaces; the item's text starts at `content`.
    case bullet(indent: Int, content: Int)
    /// `12.` or `12)` after `indent` spaces.
    case ordered(indent: Int, marker: String, content: Int)
    /// `>`: the quoted text starts at `content`.
    case quote(content: Int)
    /// Anything else; `indent` leading spaces.
    case text(indent: Int)

    static func classify(_ line: [Character]) -> MarkdownLine {
        var indent = 0
        while indent < line.count, line[indent] == " " { indent += 1 }
        if line[indent...].allSatisfy(isBlank) { return .blank }
        let first = line[indent]

        if first == "`" || first == "~" {
            var length = 0
            while indent + length < line.count, line[indent + length] == first { length += 1 }
            let info = line[(indent + length)...]
            if length >= 3, !(first == "`" && info.contains("`")) {
                let language = info.drop(while: { $0 == " " }).prefix(while: { !$0.isWhitespace })
                return .fence(indent: indent, marker: first, length: length, language: String(language))
            }
        }
        if indent <= 3 {
            if first == "#" { if let heading = heading(line, from: indent) { return heading } }
            if first == "-" || first == "*" || first == "_", isRule(line[indent...], marker: first) {
                return .rule
            }
            if first == ">" {
                let content = indent + 1 < line.count && line[indent + 1] == " " ? indent + 2 : indent + 1
                return .quote(content: content)
            }
        }
        if first == "-" || first == "*" || first == "+" {
            if indent + 1 == line.count || line[indent + 1] == " " {
                return .bullet(indent: indent, content: min(line.count, indent + 2))
            }
        }
        if first.isASCII, first.isNumber {
            var end = indent
            while end < line.count, end - indent < 9, line[end].isASCII, line[end].isNumber { end += 1 }
            if end < line.count, line[end] == "." || line[end] == ")",
               end + 1 == line.count || line[end + 1] == " " {
                return .ordered(indent: indent, marker: String(line[indent...end]),
                                content: min(line.count, end + 2))
            }
        }
        return .text(indent: indent)
    }

    /// Whether `line`, after its closing-fence indentation, closes a fence of `marker` × `length`.
    static func closesFence(_ line: [Character], marker: Character, length: Int) -> Bool {
        var i = 0
        while i < line.count, line[i] == " " { i += 1 }
        var run = 0
        while i + run < line.count, line[i + run] == marker { run += 1 }
        return run >= length && line[(i + run)...].allSatisfy(\.isWhitespace)
    }

    /// Whitespace on its own (a space with a combining mark on it is something to show).
    private static func isBlank(_ character: Character) -> Bool {
        character.isWhitespace && character.unicodeScalars.count == 1
    }

    private static func heading(_ line: [Character], from indent: Int) -> MarkdownLine? {
        var level = 0
        while indent + level < line.count, line[indent + level] == "#" { level += 1 }
        let after = indent + level
        guard level <= 6, after == line.count || line[after] == " " else { return nil }
        var start = after
        while start < line.count, line[start] == " " { start += 1 }
        var end = line.count
        while end > start, line[end - 1].isWhitespace { end -= 1 }
        // A closing run of #s counts only after a space (or as the whole text).
        var hashes = end
        while hashes > start, line[hashes - 1] == "#" { hashes -= 1 }
        if hashes < end, hashes == start || line[hashes - 1] == " " {
            end = hashes
            while end > start, line[end - 1] == " " { end -= 1 }
        }
        return .heading(level: level, content: start..<end)
    }

    private static func isRule(_ rest: ArraySlice<Character>, marker: Character) -> Bool {
        var count = 0
        for character in rest {
            if character == marker {
                count += 1
            } else if character != " " && character != "\t" {
                return false
            }
        }
        return count >= 3
    }
}
