import AppCore
import Testing

private func chord(_ name: String) -> KeyChord {
    (try? KeyChord.parse(name)) ?? KeyChord(.function(99))
}

@Suite struct KeyBindingsTests {
    /// The defaults the design asks for, written out independently of the code's table.
    @Test(arguments: [
        ("Enter", EditorAction.submit), ("Alt-Enter", .newline), ("Ctrl-j", .newline), ("Esc", .cancel),
        ("Ctrl-q", .quit), ("F1", .help), ("PageUp", .pageUp), ("PageDown", .pageDown),
        ("Ctrl-Up", .scrollUp), ("Ctrl-Down", .scrollDown), ("Ctrl-Home", .scrollTop), ("Ctrl-End", .scrollBottom),
        ("Tab", .complete), ("Up", .historyOlder), ("Down", .historyNewer), ("Ctrl-z", .undo), ("Ctrl-y", .redo),
        ("Ctrl-l", .clearInput), ("Ctrl-r", .regenerate), ("Ctrl-n", .newSession), ("F2", .nextImage),
        ("F3", .previousImage), ("F4", .toggleImagePane), ("Ctrl-k", .killToLineEnd), ("Ctrl-u", .killToLineStart),
        ("Ctrl-w", .deleteWordBackward), ("Ctrl-Left", .wordLeft), ("Ctrl-Right", .wordRight),
        ("Home", .lineStart), ("End", .lineEnd),
    ])
    func defaults(name: String, action: EditorAction) {
        #expect(KeyBindings.defaults.action(for: chord(name)) == action)
    }

    @Test func everyActionHasADefaultKeyAndASummary() {
        for action in EditorAction.allCases {
            #expect(!KeyBindings.defaults.chords(for: action).isEmpty, "\(action)")
            #expect(!action.summary.isEmpty)
        }
    }

    @Test func chordsAreListedPlainestFirst() {
        #expect(KeyBindings.defaults.chords(for: .newline).map(\.description) == ["Alt-Enter", "Ctrl-j"])
        #expect(KeyBindings.defaults.chords(for: .lineStart).map(\.description) == ["Home", "Ctrl-a"])
    }

    @Test func userFileOverlaysTheDefaults() throws {
        let source = """
        # my keys
        [keys]
        "Ctrl-q" = "none"
        "ctrl-X" = "quit"
        Alt-Enter = "submit"
        'F5' = "regenerate"
        """
        let keys = try KeyBindings.parse(source, fileName: "keys.toml")
        #expect(keys.action(for: chord("Ctrl-q")) == nil)
        #expect(keys.action(for: chord("Ctrl-x")) == .quit)
        #expect(keys.action(for: chord("Alt-Enter")) == .submit)
        #expect(keys.chords(for: .submit).map(\.description) == ["Enter", "Alt-Enter"])
        #expect(keys.chords(for: .newline).map(\.description) == ["Ctrl-j"])
        #expect(keys.chords(for: .regenerate).map(\.description) == ["F5", "Ctrl-r"])
        #expect(keys.chords(for: .quit).map(\.description) == ["Ctrl-x"])
        #expect(keys.action(for: chord("Ctrl-z")) == .undo)
    }

    @Test func emptyFileGivesTheDefaults() throws {
        #expect(try KeyBindings.parse("", fileName: "k.toml") == KeyBindings.defaults)
        #expect(try KeyBindings.parse("[keys]\n# nothing\n", fileName: "k.toml") == KeyBindings.defaults)
    }

    @Test(arguments: [
        ("[keys]\n\"Ctrl-q\" = \"qiut\"", "k.toml:2: unknown action 'qiut' for Ctrl-q"),
        ("[keys]\n\"Ctrl-Shift-s\" = \"quit\"", "k.toml:2: 'Ctrl-Shift-s': terminals cannot send Ctrl-Shift-letter (it arrives as Ctrl-s); bind Ctrl-s or Alt-s instead"),
        ("[keys]\n\"Meta-q\" = \"quit\"", "k.toml:2: unknown key 'Meta-q'"),
        ("\"Ctrl-q\" = \"quit\"", "k.toml:1: 'Ctrl-q' is outside the [keys] table"),
        ("[bindings]", "k.toml:1: unknown table [bindings]; expected [keys]"),
        ("[keys]\n\"Ctrl-q\" = \"quit\"\n\"ctrl-Q\" = \"help\"", "k.toml:3: Ctrl-q is already bound on line 2"),
        ("[keys]\n\"Ctrl-q\" = true", "k.toml:2: the action for Ctrl-q must be a string in quotes, not true/false"),
        ("[keys]\n\"Ctrl-q\" = \"quit", "k.toml:2: unterminated string"),
    ])
    func errorsNameTheFileAndLine(source: String, message: String) {
        #expect(throws: KeyBindingsError(fileName: "k.toml", line: Int(message.split(separator: ":")[1]) ?? 0,
                                         message: String(message.split(separator: ":", maxSplits: 2)[2].dropFirst()))) {
            try KeyBindings.parse(source, fileName: "k.toml")
        }
        do {
            _ = try KeyBindings.parse(source, fileName: "k.toml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func bindAndUnbindInCode() {
        var keys = KeyBindings.defaults
        keys.bind(chord("F9"), to: .help)
        keys.bind(chord("F1"), to: nil)
        #expect(keys.chords(for: .help) == [chord("F9")])
    }
}
