@testable import AppCore

/// A small seeded generator (SplitMix64), so random tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One fixture line `HEX HEX ...;width` parsed.
struct WidthCase {
    var scalars: [Unicode.Scalar]
    var width: Int

    var string: String {
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }

    static func parse(_ fixture: String) -> [WidthCase] {
        fixture.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ";")
            guard parts.count == 2, let width = Int(parts[1]) else { return nil }
            let scalars = parts[0].split(separator: " ").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
            return WidthCase(scalars: scalars, width: width)
        }
    }
}

/// Pieces random test strings are made of: ASCII words and spaces, CJK, Hangul, emoji
/// (ZWJ families, flags, skin tones, VS16), combining marks, tabs and newlines.
enum TextPieces {
    static let words = ["a", "to", "the", "hello", "wrapping", "supercalifragilistic", "x1", "(ok)", "e.g.,"]
    static let spaces = [" ", " ", "  ", "   ", "\t"]
    static let wide = ["中", "文", "字", "日本", "한국어", "ｆｕｌｌ", "。", "、", "😀", "👍🏽", "👨‍👩‍👧", "🇯🇵", "❤️", "🏳️‍🌈"]
    static let combining = ["e\u{301}", "a\u{308}\u{304}", "n\u{303}", "कि", "\u{301}"]
    static let breaks = ["\n", "\n\n", "\r\n"]

    static func randomText(_ rng: inout SeededGenerator, pieces: Int) -> String {
        var text = ""
        for _ in 0..<pieces {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3: text += words.randomElement(using: &rng)!
            case 4, 5: text += spaces.randomElement(using: &rng)!
            case 6, 7: text += wide.randomElement(using: &rng)!
            case 8: text += combining.randomElement(using: &rng)!
            default: text += breaks.randomElement(using: &rng)!
            }
        }
        return text
    }
}
