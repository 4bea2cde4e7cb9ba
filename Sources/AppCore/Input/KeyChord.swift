/// A key with modifiers, named as in key-binding files: "Ctrl-q", "Alt-Enter", "Shift-Tab", "F1".
public struct KeyChord: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The key itself, without modifiers.
    public enum Key: Sendable, Equatable, Hashable {
        /// A letter (always lower case; Shift is a modifier) or a digit.
        case character(Character)
        case enter, tab, backspace, delete, escape, space
        case up, down, left, right, home, end, pageUp, pageDown, insert
        /// F1…F12.
        case function(Int)
    }

    public var key: Key
    public var ctrl: Bool
    public var alt: Bool
    public var shift: Bool

    public init(_ key: Key, ctrl: Bool = false, alt: Bool = false, shift: Bool = false) {
        if case .character(let c) = key, let lower = c.lowercased().first, c.isLetter {
            self.key = .character(lower)
        } else {
            self.key = key
        }
        self.ctrl = ctrl
        self.alt = alt
        self.shift = shift
    }

    /// Why a key name was not understood.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Names of the named keys, as printed; parsing also takes the aliases in `aliases`.
    static let keyNames: [(Key, String)] = [
        (.enter, "Enter"), (.tab, "Tab"), (.backspace, "Backspace"), (.delete, "Delete"),
        (.escape, "Esc"), (.space, "Space"), (.up, "Up"), (.down, "Down"), (.left, "Left"),
        (.right, "Right"), (.home, "Home"), (.end, "End"), (.pageUp, "PageUp"),
        (.pageDown, "PageDown"), (.insert, "Insert"),
    ]
    static let aliases: [String: Key] = [
        "return": .enter, "escape": .escape, "del": .delete, "pgup": .pageUp, "pgdn": .pageDown, "ins": .insert,
    ]

    /// Parses a name such as "Ctrl-q" or "alt-enter" (case-insensitive). Modifiers are "Ctrl-",
    /// "Alt-" and "Shift-" in any order; keys are a letter, a digit, F1–F12 or a named key.
    /// Ctrl-Shift-letter is refused: terminals send Ctrl-letter for it.
    public static func parse(_ name: String) throws(ParseError) -> KeyChord {
        var rest = Substring(name)
        var ctrl = false, alt = false, shift = false
        while let (prefix, display) = [("ctrl-", "Ctrl"), ("alt-", "Alt"), ("shift-", "Shift")]
            .first(where: { rest.lowercased().hasPrefix($0.0) }) {
            let seen: Bool
            switch display {
            case "Ctrl": seen = ctrl; ctrl = true
            case "Alt": seen = alt; alt = true
            default: seen = shift; shift = true
            }
            guard !seen else { throw ParseError(message: "'\(name)': \(display)- given twice") }
            rest = rest.dropFirst(prefix.count)
        }
        guard let key = parseKey(String(rest)) else {
            throw ParseError(message: rest.isEmpty ? "'\(name)': no key after the modifiers" : "unknown key '\(name)'")
        }
        if ctrl, shift, case .character(let c) = key, c.isLetter {
            throw ParseError(message: "'\(name)': terminals cannot send Ctrl-Shift-letter (it arrives as Ctrl-\(c)); bind Ctrl-\(c) or Alt-\(c) instead")
        }
        return KeyChord(key, ctrl: ctrl, alt: alt, shift: shift)
    }

    private static func parseKey(_ s: String) -> Key? {
        if s.count == 1, let c = s.first, c.isASCII, c.isLetter || c.isNumber {
            return .character(Character(c.lowercased()))
        }
        let lower = s.lowercased()
        if let named = keyNames.first(where: { $0.1.lowercased() == lower }) { return named.0 }
        if let alias = aliases[lower] { return alias }
        let digits = lower.dropFirst()
        if lower.hasPrefix("f"), (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
           !digits.hasPrefix("0"), let n = Int(digits), (1...12).contains(n) {
            return .function(n)
        }
        return nil
    }

    /// The canonical name, like "Ctrl-Alt-Shift-Enter" or "Ctrl-q"; `parse` reads it back.
    public var description: String {
        var s = ""
        if ctrl { s += "Ctrl-" }
        if alt { s += "Alt-" }
        if shift { s += "Shift-" }
        return s + keyName
    }

    private var keyName: String {
        switch key {
        case .character(let c): String(c)
        case .function(let n): "F\(n)"
        default: KeyChord.keyNames.first(where: { $0.0 == key })?.1 ?? "?"
        }
    }
}
