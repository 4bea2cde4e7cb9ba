/// One entry of a directory listing, as `PathCompletion` needs it.
public struct DirectoryEntry: Sendable, Equatable, Hashable {
    public var name: String
    public var isDirectory: Bool

    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

/// Tab completion of file paths in the prompt.
public enum PathCompletion {
    /// What Tab does to the input.
    public struct Result: Sendable, Equatable {
        /// The input with the completed path.
        public var text: String
        /// The cursor (in `Character`s), after the completed part.
        public var cursor: Int
        /// The matching names to show when there is more than one (directories with a trailing
        /// "/", directories first, then files, each sorted case-insensitively); empty when the
        /// completion was unique.
        public var candidates: [String]

        public init(text: String, cursor: Int, candidates: [String]) {
            self.text = text
            self.cursor = cursor
            self.candidates = candidates
        }
    }

    /// The command whose argument is completed as a path even when it does not look like one.
    public static let imageCommand = "/image"

    /// Completes the path before the cursor, or returns nil when there is nothing to complete.
    ///
    /// The word before the cursor is completed when it starts with "/", "./", "../" or "~/", or
    /// when it is the argument of `/image` (then a bare name is looked up in the current directory,
    /// "."). Backslash escapes in the word are understood, and names are inserted with spaces,
    /// quotes and backslashes escaped. Hidden names are offered only when the typed name starts
    /// with ".". One match is completed in full ("/" appended to a directory); several are
    /// completed to their longest common prefix and listed in `candidates`.
    ///
    /// `list` reads a directory (the path as typed, with `~/` expanded against `home`), returning
    /// nil if it cannot. A first word with no further "/" (like `/help`) is likely a command: callers
    /// should complete commands before paths.
    public static func complete(
        _ input: String, cursor: Int, home: String, list: (String) -> [DirectoryEntry]?
    ) -> Result? {
        let chars = Array(input)
        let cursor = min(max(cursor, 0), chars.count)
        let words = wordStarts(chars, upTo: cursor)
        let start = words.last ?? cursor
        let typed = Array(chars[start..<cursor])
        let isImageArgument = words.count == 2
            && String(chars[words[0]..<firstWordEnd(chars, from: words[0])]) == imageCommand
        guard let word = unescape(typed) else { return nil }
        let pathLike = word.hasPrefix("/") || word.hasPrefix("./") || word.hasPrefix("../") || word.hasPrefix("~/")
        guard pathLike || isImageArgument else { return nil }

        // Split into the directory as typed (kept verbatim in the result) and the name prefix.
        let typedSlash = typed.lastIndex(of: "/").map { $0 + 1 } ?? 0
        let typedDirectory = typed[..<typedSlash]
        let namePrefix = word.lastIndex(of: "/").map { String(word[word.index(after: $0)...]) } ?? word
        let directoryWord = word.lastIndex(of: "/").map { String(word[...$0]) } ?? ""
        let directory = directoryWord.isEmpty ? "." : expandHome(directoryWord, home: home)
        guard let entries = list(directory) else { return nil }

        let showHidden = namePrefix.hasPrefix(".")
        let matches = entries.filter { entry in
            entry.name != "." && entry.name != ".." && !entry.name.isEmpty
                && (showHidden || !entry.name.hasPrefix("."))
                && entry.name.hasPrefix(namePrefix)
        }.sorted(by: candidateOrder)
        guard !matches.isEmpty else { return nil }

        let completedName: String
        var candidates: [String] = []
        if matches.count == 1, let only = matches.first {
            completedName = ShellWord.escape(only.name) + (only.isDirectory ? "/" : "")
        } else {
            completedName = ShellWord.escape(longestCommonPrefix(matches.map(\.name)))
            candidates = matches.map { $0.name + ($0.isDirectory ? "/" : "") }
        }
        let replacement = Array(typedDirectory) + Array(completedName)
        let newChars = Array(chars[..<start]) + replacement + Array(chars[cursor...])
        return Result(text: String(newChars), cursor: start + replacement.count, candidates: candidates)
    }

    /// Directories first, then files; each case-insensitively, ties broken by the exact name.
    private static func candidateOrder(_ a: DirectoryEntry, _ b: DirectoryEntry) -> Bool {
        if a.isDirectory != b.isDirectory { return a.isDirectory }
        let la = a.name.lowercased()
        let lb = b.name.lowercased()
        return la != lb ? la < lb : a.name < b.name
    }

    /// The start of every word before `end`, where words are split by unescaped whitespace.
    /// A cursor right after whitespace starts a new, empty word at the cursor.
    private static func wordStarts(_ chars: [Character], upTo end: Int) -> [Int] {
        var starts: [Int] = []
        var i = 0
        var inWord = false
        while i < end {
            if chars[i].isWhitespace {
                inWord = false
                i += 1
                continue
            }
            if !inWord {
                starts.append(i)
                inWord = true
            }
            i += chars[i] == "\\" && i + 1 < end ? 2 : 1
        }
        if !inWord { starts.append(end) }
        return starts
    }

    private static func firstWordEnd(_ chars: [Character], from start: Int) -> Int {
        var i = start
        while i < chars.count, !chars[i].isWhitespace { i += 1 }
        return i
    }

    /// The typed word without backslash escapes, or nil if it ends in a lone backslash.
    private static func unescape(_ typed: [Character]) -> String? {
        var out = ""
        var i = 0
        while i < typed.count {
            if typed[i] == "\\" {
                guard i + 1 < typed.count else { return nil }
                out.append(typed[i + 1])
                i += 2
            } else {
                out.append(typed[i])
                i += 1
            }
        }
        return out
    }

    private static func expandHome(_ directory: String, home: String) -> String {
        guard directory.hasPrefix("~/"), !home.isEmpty else { return directory }
        var base = home
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        return (base == "/" ? "" : base) + directory.dropFirst()
    }

    /// The longest common prefix in `Character`s.
    static func longestCommonPrefix(_ names: [String]) -> String {
        guard var prefix = names.first.map(Array.init) else { return "" }
        for name in names.dropFirst() {
            let chars = Array(name)
            var n = 0
            while n < prefix.count, n < chars.count, prefix[n] == chars[n] { n += 1 }
            prefix.removeSubrange(n...)
        }
        return String(prefix)
    }
}
