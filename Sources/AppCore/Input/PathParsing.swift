/// Turning pasted and dropped file names into paths, and picking image paths out of a prompt.
///
/// Terminals paste a dropped file in several forms: plain (`/a/cat.png`), backslash-escaped
/// (`/a/my\ cat.png`), quoted (`'/a/my cat.png'`), as a URI (`file:///a/my%20cat.png`), and
/// some not escaped at all (`/a/my cat.png`).
public enum PathParsing {
    /// The extensions (lower case, without the dot) of files taken as images.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// How many whitespace-separated words an unescaped path with spaces may span.
    static let maxWordsPerPath = 16

    /// The path one pasted token names, or nil if it is not a usable path: empty, an unclosed
    /// quote, a trailing lone backslash, a `file:` URI for another host or with a malformed or
    /// non-UTF-8 %-escape, or containing NUL.
    ///
    /// Handles surrounding whitespace, `'…'`/`"…"` quoting, backslash escapes, `file:///…` and
    /// `file://localhost/…` URIs (%-decoded; `?` and `#` end the path), and a leading `~/`
    /// (replaced by `home`, when `home` is not empty). Relative paths are returned as they are.
    public static func parsePastedPath(_ s: String, home: String) -> String? {
        let chars = Array(s)
        var lo = 0
        var hi = chars.count
        while lo < hi, chars[lo].isWhitespace { lo += 1 }
        while hi > lo, chars[hi - 1].isWhitespace { hi -= 1 }
        guard lo < hi, let word = ShellWord.unquote(chars[lo..<hi]), !word.isEmpty else { return nil }
        if word.utf8.count >= 5, word.utf8.prefix(5).map({ $0 | 0x20 }) == Array("file:".utf8) {
            return fileURIPath(word.dropFirst(5))
        }
        guard !word.unicodeScalars.contains("\0") else { return nil }
        return expandTilde(word, home: home)
    }

    /// Finds the words of `text` that name existing image files (by `imageExtensions`, any case,
    /// and `fileExists`), removes them, and returns the rest of the text with the paths in order.
    ///
    /// Only words that look like paths are considered: absolute, `~/`, `./`, `../` or `file:` URIs,
    /// possibly quoted. Since some terminals drop files without escaping spaces, a word is grown
    /// across following words on the same line, and the longest candidate that exists wins.
    /// Trailing `,.;:!?)` after a path stay in the text. Where a path is removed, the spaces around
    /// it collapse to one (none at the start or end of a line, nor before punctuation that followed
    /// the path). Paths that do not exist, or are not images, are left untouched.
    public static func extractImagePaths(
        from text: String, home: String, fileExists: (String) -> Bool
    ) -> (text: String, paths: [String]) {
        let chars = Array(text)
        var words: [Range<Int>] = []
        var i = 0
        while i < chars.count {
            if chars[i].isWhitespace {
                i += 1
                continue
            }
            let end = ShellWord.wordEnd(in: chars, from: i)
            words.append(i..<end)
            i = end
        }

        var found: [(range: Range<Int>, path: String)] = []
        var w = 0
        while w < words.count {
            guard looksLikePathStart(chars, at: words[w].lowerBound) else {
                w += 1
                continue
            }
            var best: (lastWord: Int, range: Range<Int>, path: String)?
            var last = w
            while last < words.count, last < w + maxWordsPerPath {
                if last > w, chars[words[last - 1].upperBound..<words[last].lowerBound].contains(where: \.isNewline) {
                    break
                }
                if let match = imageMatch(chars, from: words[w].lowerBound, to: words[last].upperBound,
                                          home: home, fileExists: fileExists) {
                    best = (last, match.range, match.path)
                }
                last += 1
            }
            if let best {
                found.append((best.range, best.path))
                w = best.lastWord + 1
            } else {
                w += 1
            }
        }
        return (removing(found.map(\.range), from: chars), found.map(\.path))
    }

    /// Whether `path`'s extension is one of `imageExtensions` (in any case).
    public static func hasImageExtension(_ path: String) -> Bool {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    // MARK: - Internals

    private static func fileURIPath(_ rest: Substring) -> String? {
        var path: Substring
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            guard let slash = afterSlashes.firstIndex(of: "/") else { return nil }
            let host = afterSlashes[..<slash]
            guard host.isEmpty || host.lowercased() == "localhost" else { return nil }
            path = afterSlashes[slash...]
        } else if rest.hasPrefix("/") {
            path = rest
        } else {
            return nil
        }
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        guard let decoded = PercentDecoding.decode(path), !decoded.isEmpty else { return nil }
        return decoded
    }

    private static func expandTilde(_ word: String, home: String) -> String {
        guard !home.isEmpty else { return word }
        var base = home
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        if word == "~" { return base }
        guard word.hasPrefix("~/") else { return word }
        return (base == "/" ? "" : base) + word.dropFirst()
    }

    private static func looksLikePathStart(_ chars: [Character], at start: Int) -> Bool {
        var i = start
        if i < chars.count, ShellWord.isQuote(chars[i]) { i += 1 }
        guard i < chars.count else { return false }
        switch chars[i] {
        case "/", "~", ".": return true
        case "f", "F": return true
        default: return false
        }
    }

    private static func isAcceptablePath(_ path: String) -> Bool {
        path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../")
    }

    /// The existing image named by `chars[start..<end]`, or by it without trailing punctuation.
    private static func imageMatch(
        _ chars: [Character], from start: Int, to end: Int, home: String, fileExists: (String) -> Bool
    ) -> (range: Range<Int>, path: String)? {
        var ends = [end]
        var trimmed = end
        while trimmed > start, ",.;:!?)".contains(chars[trimmed - 1]) { trimmed -= 1 }
        if trimmed < end, trimmed > start { ends.append(trimmed) }
        for candidateEnd in ends where mightEndWithImageExtension(chars, from: start, to: candidateEnd) {
            guard let path = parsePastedPath(String(chars[start..<candidateEnd]), home: home),
                  isAcceptablePath(path), hasImageExtension(path), fileExists(path) else { continue }
            return (start..<candidateEnd, path)
        }
        return nil
    }

    /// A cheap test before parsing: the raw text, less closing quotes, ends in an image extension.
    private static func mightEndWithImageExtension(_ chars: [Character], from start: Int, to end: Int) -> Bool {
        var e = end
        while e > start, ShellWord.isQuote(chars[e - 1]) { e -= 1 }
        let longest = imageExtensions.map(\.count).max() ?? 0
        let tail = String(chars[max(start, e - longest - 1)..<e]).lowercased()
        return imageExtensions.contains { tail.hasSuffix("." + $0) }
    }

    /// `chars` without `ranges` (sorted, disjoint), collapsing the spaces around each removal.
    private static func removing(_ ranges: [Range<Int>], from chars: [Character]) -> String {
        var out: [Character] = []
        var next = 0
        for range in ranges {
            out.append(contentsOf: chars[next..<range.lowerBound])
            var spaceBefore = false
            while let last = out.last, ShellWord.isHorizontalSpace(last) {
                out.removeLast()
                spaceBefore = true
            }
            next = range.upperBound
            var spaceAfter = false
            while next < chars.count, ShellWord.isHorizontalSpace(chars[next]) {
                next += 1
                spaceAfter = true
            }
            // Words on both sides keep one space; punctuation that followed the path closes up.
            if spaceBefore, spaceAfter, let last = out.last, !last.isNewline, next < chars.count, !chars[next].isNewline {
                out.append(" ")
            }
        }
        out.append(contentsOf: chars[next...])
        return String(out)
    }
}
