import AppCore
import CNcursesw
import Glibc

/// One thing read from the keyboard.
enum TerminalInput: Equatable {
    case key(KeyInput)
    case resize
}

/// Reads keys through curses and turns them into `KeyInput`: special keys and Ctrl/Alt
/// combinations become chords, bracketed pastes arrive whole, the mouse wheel scrolls.
///
/// Used from the main thread only, like the rest of curses.
final class KeyReader {
    /// Key codes for modified arrows and Home/End: the terminal's own when its terminfo has them,
    /// else codes we register for the xterm sequences every modern terminal sends.
    private var extendedKeys: [Int32: KeyChord] = [:]
    private static let pasteStart: [Character] = ["[", "2", "0", "0", "~"]
    private static let pasteEnd: [Character] = ["\u{1B}", "[", "2", "0", "1", "~"]

    init() {
        var nextCode: Int32 = 0x3000
        let finals: [(Character, KeyChord.Key)] = [("A", .up), ("B", .down), ("C", .right), ("D", .left),
                                                   ("H", .home), ("F", .end)]
        // xterm's modifier parameter: 1 + (1 shift, 2 alt, 4 ctrl).
        let modifierCodes: [(parameter: Int, ctrl: Bool, alt: Bool, shift: Bool)] =
            [(5, true, false, false), (3, false, true, false), (2, false, false, true),
             (6, true, false, true), (7, true, true, false)]
        for (parameter, ctrl, alt, shift) in modifierCodes {
            for (final, key) in finals {
                let sequence = "\u{1B}[1;\(parameter)\(final)"
                let code = sequence.withCString { key_defined($0) }
                if code > 0 {
                    extendedKeys[code] = KeyChord(key, ctrl: ctrl, alt: alt, shift: shift)
                } else {
                    _ = sequence.withCString { define_key($0, nextCode) }
                    extendedKeys[nextCode] = KeyChord(key, ctrl: ctrl, alt: alt, shift: shift)
                    nextCode += 1
                }
            }
        }
    }

    /// Everything waiting to be read, without blocking (an Esc may wait up to 25 ms for the rest
    /// of its sequence).
    func readAvailable() -> [TerminalInput] {
        let window = nc_stdscr()
        nodelay(window, true)
        var inputs: [TerminalInput] = []
        var text = ""
        func flushText() {
            if !text.isEmpty { inputs.append(.key(.text(text))); text = "" }
        }
        while inputs.count < 4096 {
            var value: wint_t = 0
            let status = wget_wch(window, &value)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                flushText()
                if let input = functionKey(Int32(value)) { inputs.append(input) }
                continue
            }
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            switch scalar.value {
            case 27:
                flushText()
                inputs += escapeSequence(window)
            case 13, 10, 9, 8, 127, 0...26:
                flushText()
                if let chord = controlChord(scalar.value) { inputs.append(.key(.chord(chord))) }
            case 28...31:
                continue
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        flushText()
        return inputs
    }

    private func controlChord(_ value: UInt32) -> KeyChord? {
        switch value {
        case 13: return KeyChord(.enter)
        case 10: return KeyChord(.character("j"), ctrl: true)
        case 9: return KeyChord(.tab)
        case 8, 127: return KeyChord(.backspace)
        case 0: return KeyChord(.space, ctrl: true)
        case 1...26:
            let letter = Character(Unicode.Scalar(UInt8(value + 96)))
            return KeyChord(.character(letter), ctrl: true)
        default: return nil
        }
    }

    private func functionKey(_ code: Int32) -> TerminalInput? {
        if let chord = extendedKeys[code] { return .key(.chord(chord)) }
        let plain: [Int32: KeyChord.Key] = [
            KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right, KEY_HOME: .home,
            KEY_END: .end, KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown, KEY_DC: .delete, KEY_IC: .insert,
            KEY_BACKSPACE: .backspace, KEY_ENTER: .enter,
        ]
        if let key = plain[code] { return .key(.chord(KeyChord(key))) }
        let shifted: [Int32: KeyChord.Key] = [KEY_SR: .up, KEY_SF: .down, KEY_SLEFT: .left, KEY_SRIGHT: .right,
                                              KEY_SHOME: .home, KEY_SEND: .end, KEY_BTAB: .tab]
        if let key = shifted[code] { return .key(.chord(KeyChord(key, shift: true))) }
        switch code {
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            if event.bstate & nc_button4_pressed() != 0 { return .key(.wheel(up: true)) }
            if event.bstate & nc_button5_pressed() != 0 { return .key(.wheel(up: false)) }
            return nil
        default:
            for number in 1...12 where code == nc_key_f(Int32(number)) {
                return .key(.chord(KeyChord(.function(number))))
            }
            return nil
        }
    }

    /// After an Esc: a lone Esc, Alt plus a key, or a bracketed paste. Whatever else follows the
    /// Esc (a resize, a control key) is returned after it, never lost.
    private func escapeSequence(_ window: UnsafeMutablePointer<WINDOW>?) -> [TerminalInput] {
        let escape = TerminalInput.key(.chord(KeyChord(.escape)))
        guard let next = readScalar(window, waitMilliseconds: 25) else { return [escape] }
        switch next.kind {
        case let .function(code):
            guard let input = functionKey(code) else { return [escape] }
            if case var .key(.chord(chord)) = input {
                chord.alt = true
                return [.key(.chord(chord))]
            }
            return [escape, input]
        case let .scalar(scalar):
            if scalar == "[" { return bracketSequence(window).map { [$0] } ?? [] }
            if scalar.value == 13 { return [.key(.chord(KeyChord(.enter, alt: true)))] }
            if scalar.value == 127 || scalar.value == 8 { return [.key(.chord(KeyChord(.backspace, alt: true)))] }
            if scalar.value == 27 { return [escape, escape] }
            if scalar.value < 32 { return [escape] + (controlChord(scalar.value).map { [.key(.chord($0))] } ?? []) }
            return [.key(.chord(KeyChord(.character(Character(scalar)), alt: true)))]
        }
    }

    /// ESC [ seen: a bracketed paste, or a sequence curses did not know (ignored whole).
    private func bracketSequence(_ window: UnsafeMutablePointer<WINDOW>?) -> TerminalInput? {
        var seen: [Character] = ["["]
        while seen.count < 16, let next = readScalar(window, waitMilliseconds: 25), case let .scalar(scalar) = next.kind {
            seen.append(Character(scalar))
            if (0x40...0x7E).contains(scalar.value) { break }
        }
        guard seen == Self.pasteStart else { return nil }
        var pasted: [Character] = []
        // A paste without its end marker still ends: after a second without input.
        while let next = readScalar(window, waitMilliseconds: 1000) {
            guard case let .scalar(scalar) = next.kind else { continue }
            pasted.append(scalar.value == 13 ? "\n" : Character(scalar))
            if pasted.count >= Self.pasteEnd.count, Array(pasted.suffix(Self.pasteEnd.count)) == Self.pasteEnd {
                pasted.removeLast(Self.pasteEnd.count)
                break
            }
            if pasted.count > 1_000_000 { break }
        }
        return .key(.paste(String(pasted)))
    }

    private struct ReadResult {
        enum Kind { case scalar(Unicode.Scalar), function(Int32) }
        var kind: Kind
    }

    private func readScalar(_ window: UnsafeMutablePointer<WINDOW>?, waitMilliseconds: Int32) -> ReadResult? {
        wtimeout(window, waitMilliseconds)
        defer { nodelay(window, true) }
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        if status == ERR { return nil }
        if status == KEY_CODE_YES { return ReadResult(kind: .function(Int32(value))) }
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
        return ReadResult(kind: .scalar(scalar))
    }
}
