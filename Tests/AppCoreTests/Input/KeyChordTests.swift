import AppCore
import Testing

@Suite struct KeyChordTests {
    @Test(arguments: [
        ("Ctrl-q", KeyChord(.character("q"), ctrl: true)),
        ("ctrl-Q", KeyChord(.character("q"), ctrl: true)),
        ("CTRL-q", KeyChord(.character("q"), ctrl: true)),
        ("Alt-Enter", KeyChord(.enter, alt: true)),
        ("alt-return", KeyChord(.enter, alt: true)),
        ("Shift-Tab", KeyChord(.tab, shift: true)),
        ("Ctrl-Alt-Delete", KeyChord(.delete, ctrl: true, alt: true)),
        ("Alt-Ctrl-del", KeyChord(.delete, ctrl: true, alt: true)),
        ("Ctrl-Shift-Up", KeyChord(.up, ctrl: true, shift: true)),
        ("F1", KeyChord(.function(1))),
        ("f12", KeyChord(.function(12))),
        ("Esc", KeyChord(.escape)),
        ("Escape", KeyChord(.escape)),
        ("7", KeyChord(.character("7"))),
        ("Alt-7", KeyChord(.character("7"), alt: true)),
        ("Shift-a", KeyChord(.character("a"), shift: true)),
        ("A", KeyChord(.character("a"))),
        ("PgUp", KeyChord(.pageUp)),
        ("pagedown", KeyChord(.pageDown)),
        ("Space", KeyChord(.space)),
    ])
    func parses(name: String, chord: KeyChord) throws {
        #expect(try KeyChord.parse(name) == chord)
    }

    @Test(arguments: [
        "Enter", "Tab", "Backspace", "Delete", "Esc", "Space", "Up", "Down", "Left", "Right", "Home", "End",
        "PageUp", "PageDown", "Insert", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11",
        "F12", "a", "z", "0", "9", "Ctrl-q", "Alt-Enter", "Shift-Tab", "Ctrl-Alt-Shift-F5", "Alt-Shift-x",
    ])
    func canonicalNamesReadBack(name: String) throws {
        let chord = try KeyChord.parse(name)
        #expect(chord.description == name)
    }

    @Test(arguments: [
        ("Ctrl-Shift-a", "'Ctrl-Shift-a': terminals cannot send Ctrl-Shift-letter (it arrives as Ctrl-a); bind Ctrl-a or Alt-a instead"),
        ("shift-ctrl-Q", "'shift-ctrl-Q': terminals cannot send Ctrl-Shift-letter (it arrives as Ctrl-q); bind Ctrl-q or Alt-q instead"),
        ("Ctrl-Ctrl-a", "'Ctrl-Ctrl-a': Ctrl- given twice"),
        ("Ctrl-", "'Ctrl-': no key after the modifiers"),
        ("", "'': no key after the modifiers"),
        ("F13", "unknown key 'F13'"),
        ("F0", "unknown key 'F0'"),
        ("F01", "unknown key 'F01'"),
        ("F+1", "unknown key 'F+1'"),
        ("Ctrl-é", "unknown key 'Ctrl-é'"),
        ("Hyper-a", "unknown key 'Hyper-a'"),
        ("ab", "unknown key 'ab'"),
        ("Ctrl+q", "unknown key 'Ctrl+q'"),
        ("-", "unknown key '-'"),
    ])
    func rejects(name: String, message: String) {
        #expect(throws: KeyChord.ParseError(message: message)) { try KeyChord.parse(name) }
    }

    @Test func hugeNameIsRejected() {
        let name = String(repeating: "Alt-", count: 10_000) + "x"
        #expect(throws: KeyChord.ParseError.self) { try KeyChord.parse(name) }
    }

    @Test func lettersAreStoredLowerCase() {
        #expect(KeyChord(.character("Q"), ctrl: true) == KeyChord(.character("q"), ctrl: true))
    }
}
