/// The small part of TOML that theme and key-binding files use, read line by line.
///
/// Supported: `#` comments, blank lines, `[table]` and `[table.sub]` headers, `key = value` pairs
/// with bare or quoted keys, and values that are basic strings (`"…"` with TOML escapes), literal
/// strings (`'…'`), `true`/`false` and single-line inline tables (`{ a = "x", b = true }`).
/// Anything else (numbers, arrays, dotted keys, multi-line strings, arrays of tables) is reported as
/// unsupported rather than guessed at. Redefining a key or table is an error, as in TOML.
enum TOMLSubset {
    enum Value: Sendable, Equatable {
        case string(String)
        case bool(Bool)
        case inlineTable([Pair])

        /// What the value is, for error messages.
        var kind: String {
            switch self {
            case .string: "a string"
            case .bool: "true/false"
            case .inlineTable: "an inline table"
            }
        }
    }

    struct Pair: Sendable, Equatable {
        var key: String
        var value: Value
    }

    enum Item: Sendable, Equatable {
        /// A `[a.b]` header.
        case table(path: [String], line: Int)
        /// `key = value` inside the table `table` (empty for the top level).
        case pair(table: [String], key: String, value: Value, line: Int)
    }

    struct SyntaxError: Error, Sendable, Equatable {
        var line: Int
        var message: String
    }

    /// The headers and pairs of `source`, in order.
    static func parse(_ source: String) throws(SyntaxError) -> [Item] {
        var items: [Item] = []
        var table: [String] = []
        var defined: Set<[String]> = []
        var lineNumber = 0
        for rawLine in source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            if line.last == "\r" { line.removeLast() }
            var reader = LineReader(scalars: line, line: lineNumber)
            reader.skipSpaces()
            guard let first = reader.peek, first != "#" else { continue }
            if first == "[" {
                let path = try reader.tableHeader()
                guard defined.insert(path).inserted else {
                    throw SyntaxError(line: lineNumber, message: "[\(path.joined(separator: "."))] is defined twice")
                }
                table = path
                items.append(.table(path: path, line: lineNumber))
            } else {
                let (key, value) = try reader.keyValue()
                guard defined.insert(table + [key]).inserted else {
                    throw SyntaxError(line: lineNumber, message: "duplicate key '\(key)'")
                }
                items.append(.pair(table: table, key: key, value: value, line: lineNumber))
            }
        }
        return items
    }

    /// A cursor over one line's scalars.
    private struct LineReader {
        let scalars: [Unicode.Scalar]
        let line: Int
        var index = 0

        init(scalars: [Unicode.Scalar], line: Int) {
            self.scalars = scalars
            self.line = line
        }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func skipSpaces() {
            while let c = peek, c == " " || c == "\t" { index += 1 }
        }

        func error(_ message: String) -> SyntaxError { SyntaxError(line: line, message: message) }

        /// What is at the cursor, quoted, for error messages.
        var found: String {
            guard peek != nil else { return "the end of the line" }
            return "'\(String(String.UnicodeScalarView(scalars[index...].prefix(12))))'"
        }

        mutating func expect(_ c: Unicode.Scalar, _ what: String) throws(SyntaxError) {
            guard peek == c else { throw error("expected \(what), found \(found)") }
            index += 1
        }

        /// After a header or a value: only spaces and a comment may follow.
        mutating func expectLineEnd() throws(SyntaxError) {
            skipSpaces()
            guard let c = peek, c != "#" else { return }
            throw error("unexpected \(found) after the value")
        }

        mutating func tableHeader() throws(SyntaxError) -> [String] {
            index += 1
            if peek == "[" { throw error("arrays of tables ([[…]]) are not supported") }
            var path: [String] = []
            while true {
                skipSpaces()
                path.append(try key())
                skipSpaces()
                if peek == "." {
                    index += 1
                    continue
                }
                try expect("]", "']' to close the table name")
                break
            }
            try expectLineEnd()
            return path
        }

        mutating func keyValue() throws(SyntaxError) -> (String, Value) {
            let k = try key()
            skipSpaces()
            if peek == "." { throw error("dotted keys are not supported; use a [table] instead") }
            try expect("=", "'=' after '\(k)'")
            skipSpaces()
            let v = try value()
            try expectLineEnd()
            return (k, v)
        }

        mutating func key() throws(SyntaxError) -> String {
            guard let c = peek else { throw error("expected a key, found the end of the line") }
            if c == "\"" { return try basicString() }
            if c == "'" { return try literalString() }
            var k = String.UnicodeScalarView()
            while let c = peek, isBareKeyScalar(c) {
                k.append(c)
                index += 1
            }
            guard !k.isEmpty else { throw error("expected a key, found \(found)") }
            return String(k)
        }

        private func isBareKeyScalar(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_"
        }

        mutating func value() throws(SyntaxError) -> Value {
            switch peek {
            case "\"": return .string(try basicString())
            case "'": return .string(try literalString())
            case "{": return try inlineTable()
            case "t", "f":
                for (word, v) in [("true", true), ("false", false)] where matches(word) {
                    index += word.unicodeScalars.count
                    return .bool(v)
                }
            case "[": throw error("arrays are not supported")
            default: break
            }
            throw error("expected a value (a string in quotes, true/false or { … }), found \(found)")
        }

        private func matches(_ word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            guard index + w.count <= scalars.count, Array(scalars[index..<(index + w.count)]) == w else { return false }
            let after = index + w.count
            return after == scalars.count || !isBareKeyScalar(scalars[after])
        }

        mutating func inlineTable() throws(SyntaxError) -> Value {
            index += 1
            var pairs: [Pair] = []
            skipSpaces()
            if peek == "}" {
                index += 1
                return .inlineTable(pairs)
            }
            while true {
                skipSpaces()
                let k = try key()
                guard !pairs.contains(where: { $0.key == k }) else { throw error("duplicate key '\(k)'") }
                skipSpaces()
                if peek == "." { throw error("dotted keys are not supported") }
                try expect("=", "'=' after '\(k)'")
                skipSpaces()
                pairs.append(Pair(key: k, value: try value()))
                skipSpaces()
                if peek == "," {
                    index += 1
                    continue
                }
                try expect("}", "',' or '}' in the inline table")
                return .inlineTable(pairs)
            }
        }

        mutating func literalString() throws(SyntaxError) -> String {
            if matches3("'") { throw error("multi-line strings are not supported") }
            index += 1
            var s = String.UnicodeScalarView()
            while let c = peek, c != "'" {
                guard c == "\t" || c.properties.generalCategory != .control else {
                    throw error("control character in a string")
                }
                s.append(c)
                index += 1
            }
            guard peek == "'" else { throw error("unterminated string") }
            index += 1
            return String(s)
        }

        mutating func basicString() throws(SyntaxError) -> String {
            if matches3("\"") { throw error("multi-line strings are not supported") }
            index += 1
            var s = String.UnicodeScalarView()
            while let c = peek, c != "\"" {
                index += 1
                if c == "\\" {
                    s.append(try escape())
                } else if c == "\t" || c.properties.generalCategory != .control {
                    s.append(c)
                } else {
                    throw error("control character in a string")
                }
            }
            guard peek == "\"" else { throw error("unterminated string") }
            index += 1
            return String(s)
        }

        private func matches3(_ quote: Unicode.Scalar) -> Bool {
            index + 2 < scalars.count && scalars[index] == quote && scalars[index + 1] == quote && scalars[index + 2] == quote
        }

        private mutating func escape() throws(SyntaxError) -> Unicode.Scalar {
            guard let c = peek else { throw error("unterminated string") }
            index += 1
            switch c {
            case "b": return "\u{08}"
            case "t": return "\t"
            case "n": return "\n"
            case "f": return "\u{0C}"
            case "r": return "\r"
            case "e": return "\u{1B}"
            case "\"": return "\""
            case "\\": return "\\"
            case "u", "U":
                let digits = c == "u" ? 4 : 8
                guard index + digits <= scalars.count,
                      scalars[index..<(index + digits)].allSatisfy(\.properties.isASCIIHexDigit),
                      let value = UInt32(String(String.UnicodeScalarView(scalars[index..<(index + digits)])), radix: 16),
                      let scalar = Unicode.Scalar(value) else {
                    throw error("bad \\\(c) escape in a string")
                }
                index += digits
                return scalar
            default:
                throw error("unknown escape '\\\(c)' in a string")
            }
        }
    }
}
