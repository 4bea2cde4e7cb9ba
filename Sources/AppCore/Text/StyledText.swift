/// Plain characters with a style per run, built by the inline Markdown parser and cut into
/// `StyledLine`s after wrapping the plain characters.
struct StyledText {
    /// A style that holds up to (not including) character offset `end`.
    struct Run: Equatable {
        var end: Int
        var role: ColorRole
        var attributes: TextAttributes
    }

    private(set) var text = MeasuredText()
    private(set) var runs: [Run] = []

    mutating func append(_ character: Character, code: UInt8, width: Int, role: ColorRole,
                         attributes: TextAttributes) {
        text.append(character, code: code, width: width)
        if let last = runs.last, last.role == role, last.attributes == attributes {
            runs[runs.count - 1].end = text.count
        } else {
            runs.append(Run(end: text.count, role: role, attributes: attributes))
        }
    }

    /// Appends characters `range` of `source`.
    mutating func append(_ source: MeasuredText, _ range: Range<Int>, role: ColorRole, attributes: TextAttributes) {
        for k in range {
            append(source.characters[k], code: source.codes[k], width: source.widths[k], role: role,
                   attributes: attributes)
        }
    }

    /// The spans covering characters `range`, coalesced by style; `firstRun` is a run index at
    /// or before the range's start (callers walking rows in order pass the previous answer).
    func spans(_ range: Range<Int>, firstRun: inout Int) -> [StyledSpan] {
        var spans: [StyledSpan] = []
        var position = range.lowerBound
        var runIndex = firstRun
        while runIndex < runs.count, runs[runIndex].end <= position { runIndex += 1 }
        firstRun = runIndex
        while position < range.upperBound, runIndex < runs.count {
            let run = runs[runIndex]
            let stop = min(run.end, range.upperBound)
            if stop > position {
                spans.append(StyledSpan(text: text.string(position..<stop), role: run.role,
                                        attributes: run.attributes))
            }
            position = stop
            if run.end <= position { runIndex += 1 }
        }
        return spans
    }

    /// A copy with every cluster wider than `limit` cells replaced by `placeholder` (one cell),
    /// keeping its style, so that wrapping never has to substitute anything itself.
    func replacingClusters(widerThan limit: Int, with placeholder: Character) -> StyledText {
        guard text.widths.contains(where: { $0 > limit }) else { return self }
        return rebuilt { offset, character, code, width in
            width > limit ? (placeholder, CharacterCode.of(placeholder), 1) : (character, code, width)
        }
    }

    /// A copy without the leading spaces past the first `limit`.
    func droppingLeadingSpaces(beyond limit: Int) -> StyledText {
        var spaces = 0
        while spaces < text.count, text.codes[spaces] == CharacterCode.space { spaces += 1 }
        guard spaces > limit else { return self }
        return rebuilt { offset, character, code, width in
            offset >= limit && offset < spaces ? nil : (character, code, width)
        }
    }

    /// A copy with each character mapped (or dropped, for nil), styles kept.
    private func rebuilt(_ transform: (Int, Character, UInt8, Int) -> (Character, UInt8, Int)?) -> StyledText {
        var copy = StyledText()
        var runIndex = 0
        for offset in 0..<text.count {
            while runs[runIndex].end <= offset { runIndex += 1 }
            guard let (character, code, width) = transform(offset, text.characters[offset], text.codes[offset],
                                                           text.widths[offset]) else { continue }
            copy.append(character, code: code, width: width, role: runs[runIndex].role,
                        attributes: runs[runIndex].attributes)
        }
        return copy
    }
}
