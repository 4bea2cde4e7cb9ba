/// Cuts a text fragment into the words byte-level BPE merges within, for one `PreTokenizer`.
///
/// Each splitting is a sequence of regex passes, as in llama.cpp's `unicode_regex_split`: the
/// first pass cuts the whole fragment, and each later pass cuts every piece the previous one
/// produced (text between matches stays a piece of its own). The regexes are implemented by
/// hand; the GPT-2 and Llama 3 ones follow llama.cpp's hand-written matchers step for step,
/// quirks included, since those define the reference output.
struct WordSplitter: Sendable {
    let splitting: PreTokenizer.Splitting

    /// Reusable buffers, so splitting many fragments allocates once.
    struct Scratch {
        var scalars: [UInt32] = []
        var flags: [CodepointFlags] = []
        /// Byte offset of each scalar, plus one past the end.
        var offsets: [Int] = []
        var pieces: [Int] = []
        var refined: [Int] = []
    }

    /// Appends the byte ranges of the words of `text[range]` to `words`.
    func split(_ text: UnsafeBufferPointer<UInt8>, range: Range<Int>, into words: inout [Range<Int>],
               scratch: inout Scratch) {
        guard !range.isEmpty else { return }
        Self.decode(text, range: range, into: &scratch)
        scratch.pieces.removeAll(keepingCapacity: true)
        scratch.pieces.append(scratch.scalars.count)

        switch splitting {
        case .gpt2:
            pass(&scratch, Self.gpt2)
        case .llama3:
            pass(&scratch, Self.llama3)
        case .smollm:
            pass(&scratch) { s, ini, end, out in Self.isolate(s, ini, end, &out) { $0.contains(.number) } }
            pass(&scratch, Self.gpt2)
        case .default:
            pass(&scratch) { s, ini, end, out in
                Self.runs(s, ini, end, &out) { flags, scalar in
                    flags.contains(.punctuation) || Self.defaultPunctuationExtras.contains(scalar)
                }
            }
            pass(&scratch, Self.gpt2)
            pass(&scratch) { s, ini, end, out in Self.runs(s, ini, end, &out) { flags, _ in flags.contains(.number) } }
            pass(&scratch, Self.asciiDigitTriples)
        }

        var position = 0
        for length in scratch.pieces {
            words.append(scratch.offsets[position] ..< scratch.offsets[position + length])
            position += length
        }
    }

    /// `$+<=>^~|`: the symbols llama.cpp's default punctuation class adds to `\p{P}`.
    private static let defaultPunctuationExtras: Set<UInt32> = [0x24, 0x2B, 0x3C, 0x3D, 0x3E, 0x5E, 0x7E, 0x7C]

    private typealias Matcher = (borrowing Scratch, Int, Int, inout [Int]) -> Void

    /// Runs one regex over every current piece, replacing the pieces with the refined ones.
    private func pass(_ scratch: inout Scratch, _ matcher: Matcher) {
        var refined: [Int] = []
        swap(&refined, &scratch.refined)  // take the spare buffer without sharing it
        refined.removeAll(keepingCapacity: true)
        var start = 0
        for length in scratch.pieces {
            matcher(scratch, start, start + length, &refined)
            start += length
        }
        scratch.refined = scratch.pieces
        scratch.pieces = refined
    }

    /// Decodes UTF-8 to scalars and flags; an invalid byte becomes U+FFFD, as in llama.cpp.
    private static func decode(_ text: UnsafeBufferPointer<UInt8>, range: Range<Int>, into s: inout Scratch) {
        s.scalars.removeAll(keepingCapacity: true)
        s.flags.removeAll(keepingCapacity: true)
        s.offsets.removeAll(keepingCapacity: true)
        var position = range.lowerBound
        while position < range.upperBound {
            s.offsets.append(position)
            let (scalar, length) = UTF8Scanner.scalar(in: text, at: position, end: range.upperBound)
            s.scalars.append(scalar)
            s.flags.append(CodepointFlags.of(scalar))
            position += length
        }
        s.offsets.append(range.upperBound)
    }

    // MARK: - Regex passes

    /// Scalar access that reads past the piece as "nothing there", like llama.cpp's
    /// `_get_cpt` / `_get_flags`.
    private struct Cursor {
        let scalars: UnsafeBufferPointer<UInt32>
        let flags: UnsafeBufferPointer<CodepointFlags>
        let ini: Int
        let end: Int
        static let outside: UInt32 = 0xFFFF_FFFF

        @inline(__always) func scalar(_ p: Int) -> UInt32 { p >= ini && p < end ? scalars[p] : Self.outside }
        @inline(__always) func flags(_ p: Int) -> CodepointFlags { p >= ini && p < end ? flags[p] : .outside }
    }

    /// Emits piece lengths, skipping empty ones (`_add_token`).
    private struct Emitter {
        var previousEnd: Int
        @inline(__always) mutating func add(_ end: Int, _ out: inout [Int]) -> Int {
            let length = end - previousEnd
            if length > 0 { out.append(length) }
            previousEnd = end
            return length
        }
    }

    private static func withCursor(_ s: borrowing Scratch, _ ini: Int, _ end: Int, _ body: (Cursor) -> Void) {
        s.scalars.withUnsafeBufferPointer { scalars in
            s.flags.withUnsafeBufferPointer { flags in
                body(Cursor(scalars: scalars, flags: flags, ini: ini, end: end))
            }
        }
    }

    private static let apostrophe = UInt32(UInt8(ascii: "'"))
    private static let space = UInt32(UInt8(ascii: " "))
    private static let cr = UInt32(UInt8(ascii: "\r"))
    private static let lf = UInt32(UInt8(ascii: "\n"))
    private static let wordLike: CodepointFlags = [.whitespace, .letter, .number]

    /// The contraction after an apostrophe at `pos`: its length (2 or 3) or 0.
    @inline(__always)
    private static func contraction(_ c: Cursor, _ pos: Int, lowercase: Bool) -> Int {
        guard c.scalar(pos) == apostrophe, pos + 1 < c.end else { return 0 }
        func fold(_ v: UInt32) -> UInt32 { lowercase && v >= 0x41 && v <= 0x5A ? v + 0x20 : v }
        let next = fold(c.scalar(pos + 1))
        if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 { return 2 }  // s t m d
        if pos + 2 < c.end {
            let after = fold(c.scalar(pos + 2))
            if (next == 0x72 && after == 0x65) || (next == 0x76 && after == 0x65)
                || (next == 0x6C && after == 0x6C) { return 3 }                    // re ve ll
        }
        return 0
    }

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    private static func gpt2(_ s: borrowing Scratch, _ ini: Int, _ end: Int, _ out: inout [Int]) {
        withCursor(s, ini, end) { c in
            var emit = Emitter(previousEnd: ini)
            var pos = ini
            while pos < end {
                let scalar = c.scalar(pos)
                let flags = c.flags(pos)
                let apostropheLength = contraction(c, pos, lowercase: false)
                if apostropheLength > 0 {
                    pos += emit.add(pos + apostropheLength, &out)
                    continue
                }
                var next = scalar == space ? c.flags(pos + 1) : flags
                if next.contains(.letter) {
                    if scalar == space { pos += 1 }
                    while next.contains(.letter) { pos += 1; next = c.flags(pos) }
                    _ = emit.add(pos, &out)
                    continue
                }
                if next.contains(.number) {
                    if scalar == space { pos += 1 }
                    while next.contains(.number) { pos += 1; next = c.flags(pos) }
                    _ = emit.add(pos, &out)
                    continue
                }
                if next.isDisjoint(with: wordLike) && next.rawValue != 0 {
                    if scalar == space { pos += 1 }
                    while next.isDisjoint(with: wordLike) && next.rawValue != 0 { pos += 1; next = c.flags(pos) }
                    _ = emit.add(pos, &out)
                    continue
                }
                var spaces = 0
                while c.flags(pos + spaces).contains(.whitespace) { spaces += 1 }
                if spaces > 1 && c.scalar(pos + spaces) != Cursor.outside {  // \s+(?!\S)
                    pos += spaces - 1
                    _ = emit.add(pos, &out)
                    continue
                }
                if spaces > 0 {                                                // \s+
                    pos += spaces
                    _ = emit.add(pos, &out)
                    continue
                }
                pos += 1
                _ = emit.add(pos, &out)
            }
        }
    }

    /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
    /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    private static func llama3(_ s: borrowing Scratch, _ ini: Int, _ end: Int, _ out: inout [Int]) {
        withCursor(s, ini, end) { c in
            var emit = Emitter(previousEnd: ini)
            var pos = ini
            while pos < end {
                let scalar = c.scalar(pos)
                let flags = c.flags(pos)
                let apostropheLength = contraction(c, pos, lowercase: true)
                if apostropheLength > 0 {
                    pos += emit.add(pos + apostropheLength, &out)
                    continue
                }
                if !(scalar == cr || scalar == lf || flags.contains(.number)) {
                    if flags.contains(.letter) || c.flags(pos + 1).contains(.letter) {
                        pos += 1
                        while c.flags(pos).contains(.letter) { pos += 1 }
                        _ = emit.add(pos, &out)
                        continue
                    }
                }
                if flags.contains(.number) {
                    var groupStart = pos
                    while c.flags(pos).contains(.number) {
                        pos += 1
                        if pos - groupStart >= 3 {
                            _ = emit.add(pos, &out)
                            groupStart = pos
                        }
                    }
                    _ = emit.add(pos, &out)
                    continue
                }
                // llama.cpp tests the current scalar's flags here (not the next one's) for
                // being inside the piece; kept as is.
                var next = scalar == space ? c.flags(pos + 1) : flags
                if next.isDisjoint(with: wordLike) && flags.rawValue != 0 {
                    if scalar == space { pos += 1 }
                    while next.isDisjoint(with: wordLike) && next.rawValue != 0 { pos += 1; next = c.flags(pos) }
                    var trailing = c.scalar(pos)
                    while trailing == cr || trailing == lf { pos += 1; trailing = c.scalar(pos) }
                    _ = emit.add(pos, &out)
                    continue
                }
                var spaces = 0
                var lastNewlineEnd = 0
                while c.flags(pos + spaces).contains(.whitespace) {
                    let value = c.scalar(pos + spaces)
                    if value == cr || value == lf { lastNewlineEnd = pos + spaces + 1 }
                    spaces += 1
                }
                if lastNewlineEnd > 0 {                                        // \s*[\r\n]+
                    pos = lastNewlineEnd
                    _ = emit.add(pos, &out)
                    continue
                }
                if spaces > 1 && c.scalar(pos + spaces) != Cursor.outside {  // \s+(?!\S)
                    pos += spaces - 1
                    _ = emit.add(pos, &out)
                    continue
                }
                if spaces > 0 {                                                // \s+
                    pos += spaces
                    _ = emit.add(pos, &out)
                    continue
                }
                pos += 1
                _ = emit.add(pos, &out)
            }
        }
    }

    /// A one-scalar class regex (`\p{N}`): each matching scalar is a piece, and so is each run
    /// of scalars between matches.
    private static func isolate(_ s: borrowing Scratch, _ ini: Int, _ end: Int, _ out: inout [Int],
                                _ matches: (CodepointFlags) -> Bool) {
        var gapStart = ini
        for pos in ini ..< end where matches(s.flags[pos]) {
            if pos > gapStart { out.append(pos - gapStart) }
            out.append(1)
            gapStart = pos + 1
        }
        if end > gapStart { out.append(end - gapStart) }
    }

    /// A class run regex (`X+`): each maximal run of matching scalars is a piece, and so is
    /// each run between them.
    private static func runs(_ s: borrowing Scratch, _ ini: Int, _ end: Int, _ out: inout [Int],
                             _ matches: (CodepointFlags, UInt32) -> Bool) {
        var pieceStart = ini
        var pos = ini
        while pos < end {
            guard matches(s.flags[pos], s.scalars[pos]) else { pos += 1; continue }
            if pos > pieceStart { out.append(pos - pieceStart) }
            let runStart = pos
            while pos < end && matches(s.flags[pos], s.scalars[pos]) { pos += 1 }
            out.append(pos - runStart)
            pieceStart = pos
        }
        if end > pieceStart { out.append(end - pieceStart) }
    }

    /// `[0-9][0-9][0-9]`: leftmost non-overlapping triples of ASCII digits.
    private static func asciiDigitTriples(_ s: borrowing Scratch, _ ini: Int, _ end: Int, _ out: inout [Int]) {
        func isDigit(_ p: Int) -> Bool { s.scalars[p] >= 0x30 && s.scalars[p] <= 0x39 }
        var pieceStart = ini
        var pos = ini
        while pos + 3 <= end {
            if isDigit(pos) && isDigit(pos + 1) && isDigit(pos + 2) {
                if pos > pieceStart { out.append(pos - pieceStart) }
                out.append(3)
                pos += 3
                pieceStart = pos
            } else {
                pos += 1
            }
        }
        if end > pieceStart { out.append(end - pieceStart) }
    }
}
