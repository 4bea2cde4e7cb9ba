/// The inline part of the light Markdown: `**bold**` / `__bold__`, `*italic*` / `_italic_`,
/// `` `code` `` and backslash escapes, nested freely. A delimiter without a partner renders
/// literally, as does `_` inside a word (`snake_case`). Bold adds `.bold` and keeps the role;
/// italic adds `.italic` and, on plain text (role `plainRole`), switches to `.emphasis`; code
/// spans are `.code`.
struct InlineMarkdown {
    private let source: MeasuredText
    private let characters: [Character]
    /// `CharacterCode`s of `characters`: the delimiters are all ASCII.
    private let codes: [UInt8]
    private let plainRole: ColorRole
    private var output = StyledText()

    /// Parses `characters` (one source line, tabs already expanded) into styled text that
    /// starts in `role` with `attributes`.
    static func parse(_ source: MeasuredText, role: ColorRole, attributes: TextAttributes = [],
                      plainRole: ColorRole) -> StyledText {
        var parser = InlineMarkdown(source: source, plainRole: plainRole)
        parser.parse(0..<source.count, role: role, attributes: attributes)
        return parser.output
    }

    private init(source: MeasuredText, plainRole: ColorRole) {
        self.source = source
        self.characters = source.characters
        self.codes = source.codes
        self.plainRole = plainRole
    }

    /// Which closing delimiter a search looks for; remembered when a search fails so later
    /// openers of the same kind in the same range fail at once (no quadratic rescans).
    private enum CloserKind: Hashable {
        case strong(UInt8)
        case emphasis(UInt8)
        case code(Int)
    }

    private mutating func parse(_ range: Range<Int>, role: ColorRole, attributes: TextAttributes) {
        var failedFrom: [CloserKind: Int] = [:]
        var i = range.lowerBound
        let upper = range.upperBound
        while i < upper {
            let code = codes[i]
            if code == UInt8(ascii: "\\"), i + 1 < upper, Self.isASCIIPunctuation(codes[i + 1]) {
                output.append(source, (i + 1)..<(i + 2), role: role, attributes: attributes)
                i += 2
                continue
            }
            if code == UInt8(ascii: "`") {
                let length = runLength(at: i, upper: upper)
                if let close = find(.code(length), from: i + length, upper: upper, failedFrom: &failedFrom) {
                    var content = (i + length)..<close
                    if content.count >= 2, codes[content.lowerBound] == CharacterCode.space,
                       codes[content.upperBound - 1] == CharacterCode.space,
                       codes[content].contains(where: { $0 != CharacterCode.space }) {
                        content = (content.lowerBound + 1)..<(content.upperBound - 1)
                    }
                    output.append(source, content, role: .code, attributes: attributes)
                    i = close + length
                } else {
                    output.append(source, i..<(i + length), role: role, attributes: attributes)
                    i += length
                }
                continue
            }
            if code == UInt8(ascii: "*") || code == UInt8(ascii: "_") {
                let length = runLength(at: i, upper: upper)
                if canOpen(at: i, length: length) {
                    if length >= 2 {
                        if let close = find(.strong(code), from: i + 2, upper: upper, failedFrom: &failedFrom) {
                            parse((i + 2)..<close, role: role, attributes: attributes.union(.bold))
                            i = close + 2
                            continue
                        }
                    } else if let close = find(.emphasis(code), from: i + 1, upper: upper,
                                               failedFrom: &failedFrom) {
                        let innerRole = role == plainRole ? ColorRole.emphasis : role
                        parse((i + 1)..<close, role: innerRole, attributes: attributes.union(.italic))
                        i = close + 1
                        continue
                    }
                }
                // Not an opener: this delimiter is literal; the rest of its run is looked at again.
                output.append(source, i..<(i + 1), role: role, attributes: attributes)
                i += 1
                continue
            }
            output.append(source, i..<(i + 1), role: role, attributes: attributes)
            i += 1
        }
    }

    /// Length of the run of `characters[i]` starting at `i`.
    private func runLength(at i: Int, upper: Int) -> Int {
        var end = i + 1
        while end < upper, codes[end] == codes[i], codes[i] != CharacterCode.other { end += 1 }
        return end - i
    }

    /// The offset of the closing delimiter of `kind` in `from..<upper` (for emphasis, the
    /// offset of the delimiter characters that close), skipping code spans.
    private func find(_ kind: CloserKind, from: Int, upper: Int, failedFrom: inout [CloserKind: Int]) -> Int? {
        if let failed = failedFrom[kind], failed <= from { return nil }
        var j = from
        while j < upper {
            let character = codes[j]
            if character == UInt8(ascii: "`") {
                let length = runLength(at: j, upper: upper)
                if case .code(let wanted) = kind {
                    if length == wanted { return j }
                    j += length
                    continue
                }
                // A code span binds tighter than emphasis: jump over it when it closes.
                var k = j + length
                var closed = false
                while k < upper {
                    if codes[k] == UInt8(ascii: "`") {
                        let other = runLength(at: k, upper: upper)
                        if other == length { closed = true; k += other; break }
                        k += other
                    } else {
                        k += 1
                    }
                }
                j = closed ? k : j + length
                continue
            }
            if character == UInt8(ascii: "\\") {
                j += 2
                continue
            }
            switch kind {
            case .strong(let delimiter) where character == delimiter:
                let length = runLength(at: j, upper: upper)
                if length >= 2, canClose(at: j, length: length) { return j + length - 2 }
                j += length
            case .emphasis(let delimiter) where character == delimiter:
                let length = runLength(at: j, upper: upper)
                if length != 2, canClose(at: j, length: length) { return j + length - 1 }
                j += length
            default:
                j += 1
            }
        }
        failedFrom[kind] = min(failedFrom[kind] ?? from, from)
        return nil
    }

    /// An opener is followed by a non-space; `_` must also not follow a letter or digit.
    private func canOpen(at i: Int, length: Int) -> Bool {
        guard i + length < characters.count, !characters[i + length].isWhitespace else { return false }
        if codes[i] == UInt8(ascii: "_"), i > 0, Self.isWordCharacter(characters[i - 1]) { return false }
        return true
    }

    /// A closer follows a non-space; `_` must also not precede a letter or digit.
    private func canClose(at j: Int, length: Int) -> Bool {
        guard j > 0, !characters[j - 1].isWhitespace else { return false }
        if codes[j] == UInt8(ascii: "_"), j + length < characters.count,
           Self.isWordCharacter(characters[j + length]) { return false }
        return true
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private static func isASCIIPunctuation(_ ascii: UInt8) -> Bool {
        (0x21...0x2F).contains(ascii) || (0x3A...0x40).contains(ascii)
            || (0x5B...0x60).contains(ascii) || (0x7B...0x7E).contains(ascii)
    }
}
