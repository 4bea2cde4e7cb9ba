import AppCore
import Testing

/// A deterministic generator so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A deliberately simple model of the plain edits, on ASCII text, to compare the editor with.
private struct Model {
    var chars: [Character] = []
    var cursor = 0

    mutating func insert(_ s: String) {
        chars.insert(contentsOf: Array(s), at: cursor)
        cursor += s.count
    }
    mutating func backspace() {
        if cursor > 0 { chars.remove(at: cursor - 1); cursor -= 1 }
    }
    mutating func delete() {
        if cursor < chars.count { chars.remove(at: cursor) }
    }
    mutating func left() { cursor = max(0, cursor - 1) }
    mutating func right() { cursor = min(chars.count, cursor + 1) }
    mutating func home() {
        while cursor > 0, chars[cursor - 1] != "\n" { cursor -= 1 }
    }
    mutating func end() {
        while cursor < chars.count, chars[cursor] != "\n" { cursor += 1 }
    }
}

@Suite struct LineEditorPropertyTests {
    static let pieces = ["a", "b", " ", "\n", "\t", "xyz", "e\u{301}", "\u{301}", "🇫", "🇷", "👍🏽", "\u{200D}",
                         "\r\n", "\u{1B}", "日本", "", "\r", "a b\nc"]

    @Test(arguments: 0..<40)
    func randomOperationSequencesKeepTheInvariants(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed) &* 7919 &+ 1)
        var e = LineEditor(text: seed % 2 == 0 ? "" : "start\ntext")
        for _ in 0..<300 {
            switch Int.random(in: 0..<21, using: &rng) {
            case 0, 1, 2: e.insert(Self.pieces.randomElement(using: &rng) ?? "")
            case 3: e.deleteBackward()
            case 4: e.deleteForward()
            case 5: e.moveLeft()
            case 6: e.moveRight()
            case 7: e.wordLeft()
            case 8: e.wordRight()
            case 9: e.lineStart()
            case 10: e.lineEnd()
            case 11: e.moveUp()
            case 12: e.moveDown()
            case 13: e.killToLineEnd()
            case 14: e.killToLineStart()
            case 15: e.deleteWordBackward()
            case 16: e.undo()
            case 17: e.redo()
            case 18: if Int.random(in: 0..<10, using: &rng) == 0 { e.clear() }
            case 19: e.cursor = Int.random(in: -5...(e.count + 5), using: &rng)
            default: e.setText(Self.pieces.randomElement(using: &rng) ?? "")
            }
            #expect(e.cursor >= 0 && e.cursor <= e.count)
            // Offsets into the editor are offsets into its text.
            #expect(Array(e.text).count == e.count)
            #expect(e.isEmpty == e.text.isEmpty)
            #expect(!e.text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" })
        }
    }

    @Test(arguments: 0..<20)
    func plainEditsMatchASimpleModel(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed) &+ 1000)
        var e = LineEditor()
        var m = Model()
        for _ in 0..<400 {
            switch Int.random(in: 0..<7, using: &rng) {
            case 0:
                let s = ["a", "bc", "\n", " ", "d\ne"].randomElement(using: &rng) ?? "a"
                e.insert(s)
                m.insert(s)
            case 1: e.deleteBackward(); m.backspace()
            case 2: e.deleteForward(); m.delete()
            case 3: e.moveLeft(); m.left()
            case 4: e.moveRight(); m.right()
            case 5: e.lineStart(); m.home()
            default: e.lineEnd(); m.end()
            }
            #expect(e.text == String(m.chars))
            #expect(e.cursor == m.cursor)
        }
    }

    @Test(arguments: 0..<10)
    func undoingEverythingRestoresTheStartAndRedoingRestoresTheEnd(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed) &+ 77)
        let start = "first line\nsecond"
        var e = LineEditor(text: start)
        for _ in 0..<60 {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0, 1: e.insert(["q", "w", " ", "xy\nz"].randomElement(using: &rng) ?? "q")
            case 2: e.deleteBackward()
            case 3: e.deleteWordBackward()
            case 4: e.moveLeft()
            default: e.killToLineStart()
            }
        }
        let end = e.text
        while e.undo() {}
        #expect(e.text == start)
        while e.redo() {}
        #expect(e.text == end)
    }
}
