/// Plain characters with a style per run, built by the inline Markdown parser and cut into
/// `StyledLine`s after wrapping the plain characters.
struct StyledText {
    /// A style that holds up to (not including) character offset `end`.
    struct Run: Equatable {
        var end: Int
        var role: ColorRole
        var attributes: TextAttributes
    }

    private(set) var characters: [Character] = []
    private(set) var runs: [Run] = []

    mutating func append(_ character: Character, role: ColorRole, attributes: TextAttributes) {
        characters.append(character)
        if let last = runs.last, last.role == role, last.attributes == attributes {
            runs[runs.count - 1].end = characters.count
        } else {
            runs.append(Run(end: characters.count, role: role, attributes: attributes))
        }
    }

    mutating func append(_ string: some Sequence<Character>, role: ColorRole, attributes: TextAttributes) {
        for character in string { append(character, role: role, attributes: attributes) }
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
                spans.append(StyledSpan(text: String(characters[position..<stop]), role: run.role,
                                        attributes: run.attributes))
            }
            position = stop
            if run.end <= position { runIndex += 1 }
        }
        return spans
    }
}

extension StyledText {
    /// A copy with every cluster wider than `limit` cells replaced by `placeholder`, keeping its
    /// style, so that wrapping never has to substitute anything itself.
    func replacingClusters(widerThan limit: Int, with placeholder: Character) -> StyledText {
        guard limit < 3, characters.contains(where: { DisplayWidth.of($0) > limit }) else { return self }
        var copy = StyledText()
        var runIndex = 0
        for (offset, character) in characters.enumerated() {
            while runs[runIndex].end <= offset { runIndex += 1 }
            let run = runs[runIndex]
            let shown = DisplayWidth.of(character) > limit ? placeholder : character
            copy.append(shown, role: run.role, attributes: run.attributes)
        }
        return copy
    }
}
