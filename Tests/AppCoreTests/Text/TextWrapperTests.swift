@testable import AppCore
import Testing

@Suite struct TextWrapperTests {
    private func texts(_ text: String, _ width: Int) -> [String] {
        TextWrapper.wrap(text, width: width).map(\.text)
    }

    @Test func breaksAtSpacesAndDropsThem() {
        #expect(texts("the quick brown fox", 10) == ["the quick", "brown fox"])
        #expect(texts("hello world", 5) == ["hello", "world"])  // exact fit
        #expect(texts("hello world", 11) == ["hello world"])
        #expect(texts("aaa   bbb", 4) == ["aaa", "bbb"])
    }

    @Test func emptyInputAndEmptyLines() {
        let empty = TextWrapper.wrap("", width: 10)
        #expect(empty == [WrappedLine(text: "", start: 0, end: 0, width: 0)])
        #expect(texts("a\n\nb", 10) == ["a", "", "b"])
        #expect(texts("a\n", 10) == ["a", ""])
        #expect(texts("\n", 10) == ["", ""])
        #expect(texts("a\r\nb", 10) == ["a", "b"])
    }

    @Test func longWordsBreakBetweenClusters() {
        #expect(texts("abcdefghij", 4) == ["abcd", "efgh", "ij"])
        #expect(texts("hi abcdefghij", 4) == ["hi", "abcd", "efgh", "ij"])
        // Combining marks stay with their base.
        #expect(texts("e\u{301}e\u{301}e\u{301}", 2) == ["e\u{301}e\u{301}", "e\u{301}"])
    }

    @Test func wideTextBreaksBetweenCharactersAndNeverStraddles() {
        #expect(texts("中文字符", 4) == ["中文", "字符"])
        #expect(texts("中文字符", 5) == ["中文", "字符"])
        #expect(texts("ab中文", 3) == ["ab", "中", "文"])
        #expect(texts("日本語のテキスト", 7) == ["日本語", "のテキ", "スト"])
        #expect(texts("👨‍👩‍👧👨‍👩‍👧🇯🇵", 4) == ["👨‍👩‍👧👨‍👩‍👧", "🇯🇵"])
        #expect(texts("a🇯🇵🇺🇸", 3) == ["a🇯🇵", "🇺🇸"])
    }

    @Test func wideCharacterAtWidthOneIsAPlaceholder() {
        let lines = TextWrapper.wrap("中a", width: 1)
        #expect(lines.map(\.text) == ["…", "a"])
        #expect(lines.allSatisfy { $0.width <= 1 })
    }

    @Test func widthBelowOneCountsAsOne() {
        #expect(texts("ab", 0) == ["a", "b"])
        #expect(texts("ab", -5) == ["a", "b"])
    }

    @Test func tabsExpandToMultiplesOfFour() {
        #expect(texts("\tx", 20) == ["    x"])
        #expect(texts("ab\tc", 20) == ["ab  c"])
        #expect(texts("abcd\te", 20) == ["abcd    e"])
        let lines = TextWrapper.wrap("ab\tc", width: 20)
        #expect(TextWrapper.locate(offset: 3, in: lines) == (0, 4))
    }

    @Test func trailingAndLeadingSpaces() {
        #expect(texts("ab  ", 10) == ["ab  "])
        #expect(texts("abc ", 3) == ["abc"])
        #expect(texts("  indented", 20) == ["  indented"])
        #expect(texts("      ", 3) == ["   "])
    }

    @Test func rangesPointIntoTheSource() {
        let lines = TextWrapper.wrap("one two\nthree", width: 4)
        #expect(lines.map(\.text) == ["one", "two", "thre", "e"])
        #expect(lines.map(\.start) == [0, 4, 8, 12])
        #expect(lines.map(\.end) == [3, 7, 12, 13])
        #expect(lines.map(\.width) == [3, 3, 4, 1])
    }

    @Test func locateMapsOffsetsToRowsAndCells() {
        let lines = TextWrapper.wrap("ab 中文 cd", width: 5)
        #expect(lines.map(\.text) == ["ab 中", "文 cd"])
        #expect(TextWrapper.locate(offset: 0, in: lines) == (0, 0))
        #expect(TextWrapper.locate(offset: 3, in: lines) == (0, 3))
        #expect(TextWrapper.locate(offset: 4, in: lines) == (1, 0))  // forced break: next row
        #expect(TextWrapper.locate(offset: 5, in: lines) == (1, 2))
        #expect(TextWrapper.locate(offset: 8, in: lines) == (1, 5))  // end of text
        let spaced = TextWrapper.wrap("hello world", width: 5)
        #expect(TextWrapper.locate(offset: 5, in: spaced) == (0, 5))  // on the dropped space
        #expect(TextWrapper.locate(offset: 6, in: spaced) == (1, 0))
        let newline = TextWrapper.wrap("a\n", width: 5)
        #expect(TextWrapper.locate(offset: 2, in: newline) == (1, 0))
        #expect(TextWrapper.locate(offset: 99, in: newline) == (1, 0))
        #expect(TextWrapper.locate(offset: 0, in: []) == (0, 0))
    }

    /// Random mixes of ASCII, CJK, emoji, combining marks, tabs and newlines at random widths.
    @Test func noRowIsWiderThanTheWidthAndNothingIsLost() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<400 {
            let text = TextPieces.randomText(&rng, pieces: Int.random(in: 0..<40, using: &rng))
            let width = Int.random(in: 1...24, using: &rng)
            let characters = Array(text)
            let lines = TextWrapper.wrap(text, width: width)
            #expect(!lines.isEmpty)
            for line in lines {
                #expect(line.width <= width, "\(text.debugDescription) at \(width): \(line.text.debugDescription)")
                #expect(DisplayWidth.of(line.text) == line.width)
            }
            // Ranges are ordered and only spaces, tabs and newlines fall between rows.
            var previousEnd = 0
            for line in lines {
                #expect(line.start >= previousEnd && line.end >= line.start)
                let gap = characters[previousEnd..<line.start]
                #expect(gap.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" },
                        "\(text.debugDescription) at \(width)")
                previousEnd = line.end
            }
            // Every visible code point survives, in order (wide clusters at width 1 as "…"); compared
            // as code points because a lone combining mark after a tab joins the tab's last space.
            let visible = { (s: Unicode.Scalar) in s != " " && s != "\t" && s != "\n" && s != "\r" }
            let expected = characters.map { width == 1 && DisplayWidth.of($0) > 1 ? "…" : $0 }
                .flatMap(\.unicodeScalars).filter(visible)
            let shown = lines.flatMap(\.text.unicodeScalars).filter(visible)
            #expect(shown == expected, "\(text.debugDescription) at \(width)")
        }
    }

    /// locate() puts every visible source character at the cell where its row shows it.
    @Test func locateRoundTripsThroughTheRows() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            let text = TextPieces.randomText(&rng, pieces: Int.random(in: 1..<30, using: &rng))
            let width = Int.random(in: 2...20, using: &rng)
            let characters = Array(text)
            let lines = TextWrapper.wrap(text, width: width)
            var last = (row: 0, column: 0)
            for offset in 0...characters.count {
                let place = TextWrapper.locate(offset: offset, in: lines)
                #expect(place.row > last.row || (place.row == last.row && place.column >= last.column))
                last = place
                // Within a row, each source character advances the column by its width (a tab
                // by the distance to the next multiple of 4).
                if offset < characters.count, offset >= lines[place.row].start, offset < lines[place.row].end {
                    let next = TextWrapper.locate(offset: offset + 1, in: lines)
                    if next.row == place.row {
                        let advance = characters[offset] == "\t" ? 4 - place.column % 4 : DisplayWidth.of(characters[offset])
                        let shownWidth = width == 1 && advance > 1 ? 1 : advance
                        let skippedIndent = next.column == place.column && ParagraphWrapper.isSpace(characters[offset])
                        #expect(next.column - place.column == shownWidth || skippedIndent,
                                "\(text.debugDescription) at \(width), offset \(offset)")
                    }
                }
                // Characters with a cell of their own, on rows that show the source as it is.
                guard offset < characters.count, DisplayWidth.of(characters[offset]) > 0 else { continue }
                let line = lines[place.row]
                guard offset >= line.start, offset < line.end, line.columnStarts == nil else { continue }
                #expect(character(in: line.text, atColumn: place.column) == characters[offset],
                        "\(text.debugDescription) at \(width), offset \(offset)")
            }
        }
    }

    private func character(in text: String, atColumn column: Int) -> Character? {
        var cells = 0
        for character in text {
            if cells == column && DisplayWidth.of(character) > 0 { return character }
            cells += DisplayWidth.of(character)
            if cells > column { return nil }
        }
        return nil
    }
}
