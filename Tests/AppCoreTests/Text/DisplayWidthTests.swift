@testable import AppCore
import Testing

@Suite struct DisplayWidthTests {
    @Test func codePointsMatchWcwidth() {
        let cases = WidthCase.parse(wcwidthCodePoints)
        #expect(cases.count > 4000)
        var mismatches: [String] = []
        for c in cases {
            guard let scalar = c.scalars.first else { continue }
            let got = DisplayWidth.of(scalar: scalar)
            let cluster = DisplayWidth.of(Character(scalar))
            if got != c.width || cluster != c.width {
                mismatches.append("U+\(String(scalar.value, radix: 16)): \(got)/\(cluster), wcwidth \(c.width)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(10))")
    }

    @Test func stringsMatchWcswidth() {
        let cases = WidthCase.parse(wcswidthStrings)
        #expect(cases.count > 1000)
        var mismatches: [String] = []
        for c in cases {
            let got = DisplayWidth.of(c.string)
            if got != c.width {
                let hex = c.scalars.map { String($0.value, radix: 16) }.joined(separator: " ")
                mismatches.append("[\(hex)]: \(got), wcswidth \(c.width)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(10))")
    }

    @Test(arguments: [
        ("a", 1), ("中", 2), ("e\u{301}", 1), ("👨‍👩‍👧", 2), ("🇯🇵", 2), ("👍🏽", 2), ("❤️", 2),
        ("❤", 1), ("가", 2), ("\u{1100}\u{1161}", 2), ("Ａ", 2), ("\u{200B}", 0), ("\u{200D}", 0),
        ("\u{FE0F}", 0), ("\u{301}", 0),
    ])
    func handDerivedClusters(_ text: String, _ expected: Int) {
        #expect(text.count == 1)
        #expect(DisplayWidth.of(Character(text)) == expected)
    }

    /// Where DisplayWidth differs from wcwidth on purpose: emoji sequences on text-style bases.
    @Test func emojiSequencesOnTextPresentationBasesAreWide() {
        #expect(DisplayWidth.of(Character("❤\u{200D}🔥")) == 2)   // wcwidth says 1
        #expect(DisplayWidth.of(Character("☝🏽")) == 2)            // wcwidth says 1
        // A ZWJ between ordinary letters does not swallow the next letter.
        #expect(DisplayWidth.of("a\u{200D}b") == 2)
    }

    @Test func controlsCountZero() {
        #expect(DisplayWidth.of("\u{1B}") == 0)
        #expect(DisplayWidth.of("a\u{7}b") == 2)
        #expect(DisplayWidth.of(Character("\r\n")) == 0)
        #expect(DisplayWidth.of(scalar: "\u{85}") == 0)
    }

    @Test func stringWidthIsTheSumOverClusters() {
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of("日本語 ok") == 9)
        #expect(DisplayWidth.of("cafe\u{301}👨‍👩‍👧🇯🇵") == 8)
        let text = "x中y"
        #expect(DisplayWidth.of(text.dropFirst()) == 3)
    }

    @Test func tableSearchFindsRangeEdges() {
        let table: [UInt32] = [3, 5, 10, 10, 20, 30]
        let inside = (0...35).filter { WidthTables.contains(UInt32($0), in: table) }
        #expect(inside == [3, 4, 5, 10] + Array(20...30))
        #expect(!WidthTables.contains(1, in: []))
    }
}
