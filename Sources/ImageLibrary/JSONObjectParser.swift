/// A small JSON parser for `captions.json` (no Foundation in library code): it reads any JSON
/// text and returns the string members of its top-level object, ignoring members of other types.
///
/// Strings follow RFC 8259: all escapes, `\u` surrogate pairs joined, a lone surrogate becomes
/// U+FFFD. Nesting is limited so a hostile file cannot overflow the stack.
enum JSONObjectParser {
    /// Why the text is not JSON: a message and the byte offset where the parser stopped.
    struct Failure: Error, Sendable, Equatable {
        var message: String
        var offset: Int
    }

    static let maxDepth = 64

    /// The top-level object's string members. Later duplicates win, as in most JSON readers.
    static func stringMembers(of text: String) throws(Failure) -> [String: String] {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        guard parser.peek == UInt8(ascii: "{") else { throw parser.failure("expected a JSON object") }
        let members = try parser.object(depth: 0, keep: true)
        parser.skipSpace()
        guard parser.position == parser.bytes.count else { throw parser.failure("unexpected text after the object") }
        return members
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func failure(_ message: String) -> Failure { Failure(message: message, offset: position) }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func expect(_ byte: UInt8) throws(Failure) {
            guard peek == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
            position += 1
        }

        /// An object; its string members when `keep`, else it is only checked.
        mutating func object(depth: Int, keep: Bool) throws(Failure) -> [String: String] {
            guard depth < JSONObjectParser.maxDepth else { throw failure("nested too deeply") }
            try expect(UInt8(ascii: "{"))
            var members: [String: String] = [:]
            skipSpace()
            if peek == UInt8(ascii: "}") { position += 1; return members }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                if peek == UInt8(ascii: "\"") {
                    let value = try string()
                    if keep { members[key] = value }
                } else {
                    try value(depth: depth + 1)
                }
                skipSpace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "}"))
                return members
            }
        }

        /// Any value, checked and skipped.
        mutating func value(depth: Int) throws(Failure) {
            guard depth < JSONObjectParser.maxDepth else { throw failure("nested too deeply") }
            switch peek {
            case UInt8(ascii: "{"):
                _ = try object(depth: depth, keep: false)
            case UInt8(ascii: "["):
                position += 1
                skipSpace()
                if peek == UInt8(ascii: "]") { position += 1; return }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if peek == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return
                }
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for byte in word.utf8 {
                guard peek == byte else { throw failure("expected \(word)") }
                position += 1
            }
        }

        mutating func number() throws(Failure) {
            let start = position
            if peek == UInt8(ascii: "-") { position += 1 }
            var digits = 0
            while let byte = peek, (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                if (0x30...0x39).contains(byte) { digits += 1 }
                position += 1
            }
            guard digits > 0 else { position = start; throw failure("expected a value") }
        }

        mutating func string() throws(Failure) -> String {
            try expect(UInt8(ascii: "\""))
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                if !run.isEmpty { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run.removeAll() }
            }
            while true {
                guard let byte = peek else { throw failure("unterminated string") }
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard let escape = peek else { throw failure("unterminated string") }
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                    default:
                        position -= 1
                        throw failure("bad escape in a string")
                    }
                case 0..<0x20:
                    position -= 1
                    throw failure("control character in a string")
                default:
                    run.append(byte)
                }
            }
        }

        /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
        mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
            let first = try hex4()
            if (0xD800..<0xDC00).contains(first), peek == UInt8(ascii: "\\"),
               position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                let save = position
                position += 2
                let second = try hex4()
                if (0xDC00..<0xE000).contains(second) {
                    let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    return Unicode.Scalar(value) ?? "\u{FFFD}"
                }
                position = save
            }
            return Unicode.Scalar(first) ?? "\u{FFFD}"
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek, let digit = Self.hexDigit(byte) else { throw failure("bad \\u escape") }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        static func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: return UInt32(byte - 0x30)
            case 0x41...0x46: return UInt32(byte - 0x41 + 10)
            case 0x61...0x66: return UInt32(byte - 0x61 + 10)
            default: return nil
            }
        }
    }
}
