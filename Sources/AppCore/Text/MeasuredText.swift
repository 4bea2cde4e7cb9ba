/// Characters with their `CharacterCode` and display width, measured once and carried through
/// Markdown parsing and wrapping (measuring is the costly part of layout).
struct MeasuredText {
    private(set) var characters: [Character] = []
    private(set) var codes: [UInt8] = []
    private(set) var widths: [Int] = []

    init() {}

    init(_ characters: some Sequence<Character>) {
        for character in characters { append(character) }
    }

    var count: Int { characters.count }

    mutating func append(_ character: Character) {
        append(character, code: CharacterCode.of(character), width: DisplayWidth.of(character))
    }

    mutating func append(_ character: Character, code: UInt8, width: Int) {
        characters.append(character)
        codes.append(code)
        widths.append(width)
    }

    mutating func removeAll() {
        characters.removeAll(keepingCapacity: true)
        codes.removeAll(keepingCapacity: true)
        widths.removeAll(keepingCapacity: true)
    }

    /// A copy of the characters `range`.
    subscript(range: Range<Int>) -> MeasuredText {
        var copy = MeasuredText()
        copy.characters = Array(characters[range])
        copy.codes = Array(codes[range])
        copy.widths = Array(widths[range])
        return copy
    }

    /// The characters `range` as a string, built from bytes when they are all ASCII.
    func string(_ range: Range<Int>) -> String {
        if !codes[range].contains(CharacterCode.other) {
            return String(decoding: codes[range], as: UTF8.self)
        }
        var text = ""
        for character in characters[range] { text.append(character) }
        return text
    }
}
