/// GPT-2's reversible mapping between bytes and printable Unicode characters.
///
/// Byte-level BPE vocabularies store every token as text in which each byte of the original
/// UTF-8 is one character: printable Latin-1 bytes stand for themselves and the other 68 bytes
/// (controls, space, …) are moved to U+0100 and up, in byte order. So a space is `Ġ` (U+0120)
/// and a newline `Ċ` (U+010A).
enum ByteLevelMapping {
    /// The character that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0 ..< 256 {
            if standsForItself(UInt8(byte)) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The UTF-8 encoding of each byte's character (one or two bytes).
    static let utf8ForByte: [[UInt8]] = scalarForByte.map { value in
        Array(String(Character(Unicode.Scalar(value)!)).utf8)
    }

    /// The byte a character stands for, or nil for a character outside the mapping.
    static func byte(for scalar: UInt32) -> UInt8? {
        if scalar < 256 {
            let byte = UInt8(scalar)
            return standsForItself(byte) ? byte : nil
        }
        return byteForShiftedScalar[scalar]
    }

    private static let byteForShiftedScalar: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for byte in 0 ..< 256 where !standsForItself(UInt8(byte)) {
            table[scalarForByte[byte]] = UInt8(byte)
        }
        return table
    }()

    /// `!`…`~`, `¡`…`¬` and `®`…`ÿ` are kept as themselves.
    private static func standsForItself(_ byte: UInt8) -> Bool {
        (0x21 ... 0x7E).contains(byte) || (0xA1 ... 0xAC).contains(byte)
            || (0xAE ... 0xFF).contains(byte)
    }
}
