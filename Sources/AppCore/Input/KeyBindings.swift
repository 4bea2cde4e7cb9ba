/// Which key does what: the defaults, overlaid by the user's key file.
///
/// ```toml
/// [keys]
/// "Ctrl-q" = "quit"
/// "Alt-Enter" = "newline"
/// "Ctrl-r" = "none"        # unbind
/// ```
///
/// Key names are read by `KeyChord.parse`, actions are `EditorAction` raw values. A chord bound in
/// the file replaces its default; an action's other default chords stay.
public struct KeyBindings: Sendable, Equatable {
    public private(set) var bindings: [KeyChord: EditorAction]

    public init(bindings: [KeyChord: EditorAction]) {
        self.bindings = bindings
    }

    /// The action bound to `chord`, if any.
    public func action(for chord: KeyChord) -> EditorAction? {
        bindings[chord]
    }

    /// The chords bound to `action`, plainest first (fewest modifiers, then by name), for the
    /// help screen.
    public func chords(for action: EditorAction) -> [KeyChord] {
        bindings.filter { $0.value == action }.map(\.key).sorted { a, b in
            let ma = [a.ctrl, a.alt, a.shift].filter { $0 }.count
            let mb = [b.ctrl, b.alt, b.shift].filter { $0 }.count
            return ma != mb ? ma < mb : a.description < b.description
        }
    }

    /// Binds `chord` to `action`, or unbinds it when `action` is nil.
    public mutating func bind(_ chord: KeyChord, to action: EditorAction?) {
        bindings[chord] = action
    }

    /// The bindings the app starts with.
    public static let defaults: KeyBindings = {
        let table: [(String, EditorAction)] = [
            ("Enter", .submit), ("Alt-Enter", .newline), ("Ctrl-j", .newline), ("Esc", .cancel),
            ("Ctrl-q", .quit), ("F1", .help),
            ("PageUp", .pageUp), ("PageDown", .pageDown), ("Ctrl-Up", .scrollUp), ("Ctrl-Down", .scrollDown),
            ("Ctrl-Home", .scrollTop), ("Ctrl-End", .scrollBottom),
            ("Tab", .complete), ("Up", .historyOlder), ("Down", .historyNewer),
            ("Ctrl-z", .undo), ("Ctrl-y", .redo), ("Ctrl-l", .clearInput), ("Ctrl-r", .regenerate),
            ("Ctrl-n", .newSession), ("F2", .nextImage), ("F3", .previousImage), ("F4", .toggleImagePane),
            ("Ctrl-k", .killToLineEnd), ("Ctrl-u", .killToLineStart), ("Ctrl-w", .deleteWordBackward),
            ("Ctrl-Left", .wordLeft), ("Ctrl-Right", .wordRight), ("Alt-b", .wordLeft), ("Alt-f", .wordRight),
            ("Home", .lineStart), ("End", .lineEnd), ("Ctrl-a", .lineStart), ("Ctrl-e", .lineEnd),
            ("Left", .moveLeft), ("Right", .moveRight), ("Backspace", .deleteBackward), ("Delete", .deleteForward),
        ]
        var bindings: [KeyChord: EditorAction] = [:]
        for (name, action) in table {
            if let chord = try? KeyChord.parse(name) { bindings[chord] = action }
        }
        return KeyBindings(bindings: bindings)
    }()

    /// The defaults overlaid with the `[keys]` table of a key file; errors name the file and line.
    public static func parse(_ source: String, fileName: String) throws(KeyBindingsError) -> KeyBindings {
        let items: [TOMLSubset.Item]
        do {
            items = try TOMLSubset.parse(source)
        } catch {
            throw KeyBindingsError(fileName: fileName, line: error.line, message: error.message)
        }
        func fail(_ line: Int, _ message: String) -> KeyBindingsError {
            KeyBindingsError(fileName: fileName, line: line, message: message)
        }
        var result = KeyBindings.defaults
        var seen: [KeyChord: Int] = [:]
        for item in items {
            switch item {
            case .table(let path, let line):
                guard path == ["keys"] else {
                    throw fail(line, "unknown table [\(path.joined(separator: "."))]; expected [keys]")
                }
            case .pair(let table, let key, let value, let line):
                guard table == ["keys"] else {
                    throw fail(line, "'\(key)' is outside the [keys] table")
                }
                let chord: KeyChord
                do {
                    chord = try KeyChord.parse(key)
                } catch {
                    throw fail(line, error.message)
                }
                if let earlier = seen[chord] {
                    throw fail(line, "\(chord) is already bound on line \(earlier)")
                }
                seen[chord] = line
                guard case .string(let name) = value else {
                    throw fail(line, "the action for \(chord) must be a string in quotes, not \(value.kind)")
                }
                if name == "none" {
                    result.bind(chord, to: nil)
                } else if let action = EditorAction(rawValue: name) {
                    result.bind(chord, to: action)
                } else {
                    throw fail(line, "unknown action '\(name)' for \(chord)")
                }
            }
        }
        return result
    }
}
