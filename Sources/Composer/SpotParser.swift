/// Turns the spotting step's answer into the section indices that get an image after them.
public enum SpotParser {
    /// How the numbers are read from the answer.
    public enum Scan: Sendable, Equatable {
        /// The web demo: `re.findall(r'<Seg[0-9]*>', '适合插入图像的行是' + out)`, `int(m[4:-1])`,
        /// in the order found. A tag without digits (`<Seg>`, where Python's `int('')` would fail)
        /// is skipped.
        case segTags
        /// The 4-bit demo: every run of ASCII digits, deduplicated and sorted.
        case allIntegers
        /// Instruct models: standalone numbers, 1-based in the prompt, turned 0-based; negative
        /// numbers and 0 are ignored.
        case oneBased
    }

    /// The spots: valid section indices (0..<sectionCount; out-of-range and unparsable numbers
    /// are dropped), deduplicated keeping the first occurrence. With `requested` (clamped to
    /// 1…sectionCount) the first `requested` are kept, and if there are too few the rest are
    /// filled with evenly spaced sections, which `fallback` says.
    public static func parse(_ answer: String, sectionCount: Int, requested: Int?, scan: Scan,
                             botPrefix: String = ComposePrompts.spottingBotPrefix) -> ParsedAnswer<[Int]> {
        let numbers: [Int?]
        switch scan {
        case .segTags: numbers = segTags(in: botPrefix + answer)
        case .allIntegers: numbers = integerRuns(in: answer, standaloneOnly: false).map { $0 }
        case .oneBased: numbers = integerRuns(in: answer, standaloneOnly: true).map { $0.map { $0 - 1 } }
        }
        var seen = Set<Int>()
        var spots: [Int] = []
        var rejected = 0
        for number in numbers {
            guard let number, number >= 0, number < sectionCount else { rejected += 1; continue }
            if seen.insert(number).inserted { spots.append(number) }
        }
        if scan == .allIntegers { spots.sort() }
        var notes: [String] = []
        if rejected > 0 {
            notes.append("ignored \(rejected) line number\(rejected == 1 ? "" : "s") outside 1…\(sectionCount) or unreadable")
        }
        if let requested, sectionCount > 0 {
            let count = max(1, min(requested, sectionCount))
            if spots.count > count {
                spots = Array(spots.prefix(count))
            } else if spots.count < count {
                let found = spots.count
                for index in evenlySpaced(count: count, in: sectionCount) + Array(0..<sectionCount)
                where spots.count < count && !seen.contains(index) {
                    seen.insert(index)
                    spots.append(index)
                }
                notes.append("the answer named \(found) of \(count) lines: the rest placed evenly")
            }
        } else if spots.isEmpty {
            notes.append(sectionCount == 0 ? "the article is empty: no images" : "the answer named no lines: no images")
        }
        return ParsedAnswer(value: spots, fallback: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// The centres of `count` equal runs of `sectionCount` sections: `(2j+1)·S / 2N`.
    public static func evenlySpaced(count: Int, in sectionCount: Int) -> [Int] {
        guard count > 0, sectionCount > 0 else { return [] }
        return (0..<count).map { min(sectionCount - 1, (2 * $0 + 1) * sectionCount / (2 * count)) }
    }

    /// Numbers of every `<Seg[0-9]*>` match; nil for a match with no digits or too many.
    static func segTags(in text: String) -> [Int?] {
        let scalars = Array(text.unicodeScalars)
        let open = Array("<Seg".unicodeScalars)
        var result: [Int?] = []
        var index = 0
        while index + open.count <= scalars.count {
            guard scalars[index..<index + open.count].elementsEqual(open) else { index += 1; continue }
            var end = index + open.count
            while end < scalars.count, scalars[end].isASCIIDigit { end += 1 }
            if end < scalars.count, scalars[end] == ">" {
                result.append(parseDigits(scalars[(index + open.count)..<end]))
                index = end + 1
            } else {
                index += 1
            }
        }
        return result
    }

    /// Runs of ASCII digits; nil for a run too large for `Int`. `standaloneOnly` skips runs
    /// glued to letters and negative numbers (a `-` right before the digits, not after a digit).
    static func integerRuns(in text: String, standaloneOnly: Bool) -> [Int?] {
        let scalars = Array(text.unicodeScalars)
        var result: [Int?] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index].isASCIIDigit else { index += 1; continue }
            var end = index
            while end < scalars.count, scalars[end].isASCIIDigit { end += 1 }
            var keep = true
            if standaloneOnly {
                let before = index > 0 ? scalars[index - 1] : nil
                let after = end < scalars.count ? scalars[end] : nil
                if before?.isASCIILetter == true || after?.isASCIILetter == true { keep = false }
                if before == "-" && (index < 2 || !scalars[index - 2].isASCIIDigit) { keep = false }
                // "3.5" is not a list of lines.
                if after == ".", end + 1 < scalars.count, scalars[end + 1].isASCIIDigit { keep = false }
            }
            if keep { result.append(parseDigits(scalars[index..<end])) }
            index = end
        }
        return result
    }
}
