/// Cheap classification of characters for the layout code: comparing `Character`s with `==`
/// goes through string comparison, which dominated wrapping time; a small integer does not.
enum CharacterCode {
    /// Code of every character that is not a lone ASCII code point.
    static let other: UInt8 = 0xFF
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let space: UInt8 = 0x20

    /// The character's ASCII value if it is one ASCII code point ("\r\n" counts as "\n"),
    /// otherwise `other`.
    static func of(_ character: Character) -> UInt8 {
        let utf8 = character.utf8
        guard let first = utf8.first, first < 0x80 else { return other }
        if utf8.count == 1 { return first }
        return first == 0x0D && utf8.count == 2 && utf8.last == 0x0A ? newline : other
    }
}
