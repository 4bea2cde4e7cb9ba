/// Shell-style quoting as terminals produce it when a file is dropped or pasted: `'…'` and `"…"`
/// segments (including GNOME's `'it'\''s'` concatenations) and backslash escapes (`my\ cat.png`).
///
/// Quotes only quote in a word that *starts* with a quote, so apostrophes in prose ("don't") and
/// in unquoted file names stay ordinary characters.
enum ShellWord {
    static func isQuote(_ c: Character) -> Bool { c == "'" || c == "\"" }

    static func isHorizontalSpace(_ c: Character) -> Bool { c.isWhitespace && !c.isNewline }

    /// Where the word starting at `start` (a non-whitespace character) ends: at the first
    /// whitespace that is neither escaped nor inside a quoted segment. Quotes that never close on
    /// the same line count as ordinary characters.
    static func wordEnd(in chars: [Character], from start: Int) -> Int {
        let quoting = start < chars.count && isQuote(chars[start])
        var i = start
        while i < chars.count, !chars[i].isWhitespace {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, !chars[i + 1].isNewline {
                i += 2
            } else if quoting, isQuote(c), let close = closingQuote(in: chars, openingAt: i) {
                i = close + 1
            } else {
                i += 1
            }
        }
        return i
    }

    /// The index of the quote closing the one at `open`, on the same line, or nil.
    static func closingQuote(in chars: [Character], openingAt open: Int) -> Int? {
        let quote = chars[open]
        var i = open + 1
        while i < chars.count, !chars[i].isNewline {
            if quote == "\"", chars[i] == "\\", i + 1 < chars.count {
                i += 2
                continue
            }
            if chars[i] == quote { return i }
            i += 1
        }
        return nil
    }

    /// The word's text with quoting and escapes removed, or nil if a quote is left open or a
    /// backslash ends the word. Unquoted whitespace inside is kept as it is.
    static func unquote(_ word: ArraySlice<Character>) -> String? {
        let chars = Array(word)
        guard let first = chars.first else { return "" }
        let quoting = isQuote(first)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { return nil }
                out.append(chars[i + 1])
                i += 2
            } else if quoting, isQuote(c) {
                guard let close = closingQuote(in: chars, openingAt: i) else { return nil }
                out += c == "'" ? String(chars[(i + 1)..<close]) : unescapeDoubleQuoted(chars[(i + 1)..<close])
                i = close + 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// Inside double quotes a backslash only escapes `"`, `\`, `$` and `` ` `` (as in sh).
    private static func unescapeDoubleQuoted(_ chars: ArraySlice<Character>) -> String {
        var out = ""
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            if c == "\\", i + 1 < chars.endIndex, "\"\\$`".contains(chars[i + 1]) {
                out.append(chars[i + 1])
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// `name` escaped with backslashes so that `unquote` gives it back and it stays one word.
    static func escape(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isWhitespace || c == "\\" || isQuote(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
