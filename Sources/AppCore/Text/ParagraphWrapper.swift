/// The greedy line breaker behind `TextWrapper`, working on one paragraph (text between
/// newlines) of an array of characters with their widths precomputed.
struct ParagraphWrapper {
    /// Shown instead of a cluster wider than the whole line (a wide character at width 1).
    static let placeholder: Character = "…"

    let characters: [Character]
    let widths: [Int]
    let codes: [UInt8]
    let limit: Int
    /// Whether rows get their `text` (the Markdown renderer only needs the ranges).
    let buildsText: Bool
    private(set) var lines: [WrappedLine] = []

    private var start = 0
    private var end = 0
    private var cells = 0
    /// Column where each character `start..<end` begins.
    private var columns: [Int] = []
    /// Set when the row shows something other than exactly its source characters.
    private var irregular = false
    private var hasWord = false

    /// `widths[i]` is `DisplayWidth.of(characters[i])` (tabs' entries are ignored) and
    /// `codes[i]` its `CharacterCode`.
    init(characters: [Character], widths: [Int], codes: [UInt8], limit: Int, buildsText: Bool = true) {
        self.characters = characters
        self.widths = widths
        self.codes = codes
        self.limit = max(1, limit)
        self.buildsText = buildsText
    }

    static func isSpace(_ character: Character) -> Bool { isSpace(CharacterCode.of(character)) }

    static func isSpace(_ code: UInt8) -> Bool { code == CharacterCode.space || code == CharacterCode.tab }

    /// Wraps `characters[range]` (which holds no newline) onto new lines.
    mutating func wrap(_ range: Range<Int>) {
        begin(at: range.lowerBound)
        var i = range.lowerBound
        // Leading spaces are indentation: kept while they fit.
        while i < range.upperBound, Self.isSpace(codes[i]) {
            let width = cellWidth(i, atColumn: cells)
            if cells + width > limit { break }
            place(i, width: width)
            i += 1
        }
        // Indentation that does not fit is not shown, but stays in the row's range.
        while i < range.upperBound, Self.isSpace(codes[i]) {
            skip(i)
            i += 1
        }

        while i < range.upperBound {
            if Self.isSpace(codes[i]) {
                var j = i
                while j < range.upperBound, Self.isSpace(codes[j]) { j += 1 }
                if j == range.upperBound {
                    // Trailing spaces stay while they fit (a cursor after them should show).
                    for k in i..<j {
                        let width = cellWidth(k, atColumn: cells)
                        if cells + width > limit { break }
                        place(k, width: width)
                    }
                    i = j
                    break
                }
                let unit = unitEnd(at: j, before: range.upperBound)
                var column = cells
                var runWidth = 0
                for k in i..<j {
                    let width = cellWidth(k, atColumn: column)
                    runWidth += width
                    column += width
                }
                if cells + runWidth + unit.width <= limit {
                    for k in i..<j { place(k, width: cellWidth(k, atColumn: cells)) }
                    placeWord(j..<unit.end)
                    i = unit.end
                } else {
                    finish()
                    begin(at: j)
                    i = j
                }
            } else {
                let unit = unitEnd(at: i, before: range.upperBound)
                if cells + unit.width <= limit {
                    placeWord(i..<unit.end)
                } else if hasWord {
                    finish()
                    begin(at: i)
                    continue
                } else {
                    chop(i..<unit.end)
                }
                i = unit.end
            }
        }
        finish()
    }

    /// A breakable unit starting at `i`: one wide character, or a run of narrow non-space ones.
    private func unitEnd(at i: Int, before limitIndex: Int) -> (end: Int, width: Int) {
        if widths[i] >= 2 { return (i + 1, widths[i]) }
        var k = i
        var width = 0
        while k < limitIndex, !Self.isSpace(codes[k]), widths[k] < 2 {
            width += widths[k]
            k += 1
        }
        return (k, width)
    }

    private func cellWidth(_ i: Int, atColumn column: Int) -> Int {
        codes[i] == CharacterCode.tab ? 4 - column % 4 : widths[i]
    }

    private mutating func placeWord(_ range: Range<Int>) {
        for k in range { place(k, width: widths[k]) }
        hasWord = true
    }

    /// Breaks a unit too wide for any line between its clusters.
    private mutating func chop(_ range: Range<Int>) {
        for k in range {
            let width = widths[k]
            if cells + width > limit && end > start {
                finish()
                begin(at: k)
            }
            if width > limit {
                irregular = true
                columns.append(cells)
                cells += 1
                end = k + 1
            } else {
                place(k, width: width)
            }
        }
        hasWord = true
    }

    /// Takes source character `i` into the row without showing it.
    private mutating func skip(_ i: Int) {
        irregular = true
        columns.append(cells)
        end = i + 1
    }

    private mutating func place(_ i: Int, width: Int) {
        columns.append(cells)
        if codes[i] == CharacterCode.tab { irregular = true }
        cells += width
        end = i + 1
    }

    private mutating func begin(at offset: Int) {
        start = offset
        end = offset
        cells = 0
        columns.removeAll(keepingCapacity: true)
        irregular = false
        hasWord = false
    }

    private mutating func finish() {
        lines.append(WrappedLine(text: buildsText ? rowText() : "", start: start, end: end, width: cells,
                                 columnStarts: irregular ? columns + [cells] : nil))
    }

    /// What the row shows: its characters, with tabs as spaces, clusters wider than the row as
    /// the placeholder, and skipped indentation left out.
    private func rowText() -> String {
        var text = ""
        if !irregular {
            for k in start..<end { text.append(characters[k]) }
            return text
        }
        for (n, k) in (start..<end).enumerated() {
            let advance = (n + 1 < columns.count ? columns[n + 1] : cells) - columns[n]
            if codes[k] == CharacterCode.tab {
                text.append(String(repeating: " ", count: advance))
            } else if widths[k] > limit {
                text.append(Self.placeholder)
            } else if codes[k] == CharacterCode.space && advance == 0 {
                continue  // indentation that did not fit
            } else {
                text.append(characters[k])
            }
        }
        return text
    }
}
