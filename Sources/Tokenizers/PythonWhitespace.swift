/// What Python's `str.strip()` removes: Unicode White_Space plus the separators U+001C…U+001F.
enum PythonWhitespace {
    static func isWhitespace(_ scalar: UInt32) -> Bool {
        (0x1C ... 0x1F).contains(scalar) || CodepointFlags.of(scalar).contains(.whitespace)
    }

    /// The first position at or after `from` that does not start a whitespace character.
    static func skipForward(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int {
        var position = from
        while position < end {
            let (scalar, length) = UTF8Scanner.scalar(in: bytes, at: position, end: end)
            guard isWhitespace(scalar) else { break }
            position += length
        }
        return position
    }

    /// The position after the last non-whitespace character before `from`.
    static func skipBackward(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to start: Int) -> Int {
        var end = from
        while end > start {
            var lead = end - 1
            while lead > start && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
            let (scalar, _) = UTF8Scanner.scalar(in: bytes, at: lead, end: end)
            guard isWhitespace(scalar) else { break }
            end = lead
        }
        return end
    }
}

extension String {
    /// The string without leading and trailing whitespace as Python's `str.strip()` (and
    /// Jinja's `trim`) see it.
    func strippingPythonWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !PythonWhitespace.isWhitespace($0.value) }),
              let last = scalars.lastIndex(where: { !PythonWhitespace.isWhitespace($0.value) }) else { return "" }
        return String(scalars[first ... last])
    }
}
