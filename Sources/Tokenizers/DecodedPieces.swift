/// The bytes every token decodes to, computed once (llama.cpp's `cache_token_to_piece`).
///
/// Rules per llama.cpp's `token_to_piece`: control, unknown and user-defined tokens decode to
/// their text; normal tokens to their bytes (GPT-2 characters mapped back for byte-level BPE,
/// `▁` turned into a space for SentencePiece); byte tokens `<0xXX>` to that byte; anything else
/// (unused, undefined) to nothing. Control and unknown tokens are hidden unless special tokens
/// are rendered.
struct DecodedPieces: Sendable {
    private let bytes: [UInt8]
    private let starts: [Int]
    private let hidden: [Bool]

    init(index: VocabularyIndex) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        bytes.reserveCapacity(index.textBytes.count)
        starts.reserveCapacity(index.count + 1)
        let model = index.vocabulary.model
        for id in 0 ..< index.count {
            let attributes = index.attributes[id]
            let text = index.text(of: id)
            if attributes.isSpecial {
                bytes.append(contentsOf: text)
            } else if attributes.contains(.normal) {
                switch model {
                case .gpt2: Self.appendByteLevel(text, to: &bytes)
                case .llama: Self.appendUnescapingSpaces(text, to: &bytes)
                }
            } else if attributes.contains(.byte), let byte = Self.byteValue(text) {
                bytes.append(byte)
            }
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
        self.hidden = index.attributes.map(\.isHiddenWhenNotRendering)
    }

    /// The bytes of `token`; empty for an id outside the vocabulary.
    func bytes(for token: Int32, renderSpecial: Bool) -> [UInt8] {
        guard token >= 0, Int(token) < hidden.count else { return [] }
        if hidden[Int(token)] && !renderSpecial { return [] }
        return Array(bytes[starts[Int(token)] ..< starts[Int(token) + 1]])
    }

    /// GPT-2 characters back to bytes. A character outside the mapping cannot come from a
    /// well-formed vocabulary; llama.cpp writes a marker for it, and so does this.
    private static func appendByteLevel(_ text: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
        let string = String(decoding: text, as: UTF8.self)
        for scalar in string.unicodeScalars {
            if let byte = ByteLevelMapping.byte(for: scalar.value) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: "[UNK_BYTE_0x".utf8)
                for unit in String(scalar).utf8 { bytes.append(contentsOf: hex(unit).utf8) }
                bytes.append(contentsOf: text)
                bytes.append(UInt8(ascii: "]"))
            }
        }
    }

    /// `▁` (E2 96 81) back to a space.
    private static func appendUnescapingSpaces(_ text: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
        var position = text.startIndex
        while position < text.endIndex {
            if text[position] == 0xE2, position + 2 < text.endIndex,
               text[position + 1] == 0x96, text[position + 2] == 0x81 {
                bytes.append(0x20)
                position += 3
            } else {
                bytes.append(text[position])
                position += 1
            }
        }
    }

    /// The value of a `<0xXX>` token.
    private static func byteValue(_ text: ArraySlice<UInt8>) -> UInt8? {
        let characters = Array(text)
        guard characters.count >= 5 else { return nil }
        let digits = String(decoding: characters[3 ..< 5], as: UTF8.self)
        return UInt8(digits, radix: 16)
    }

    private static func hex(_ value: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(value >> 4)], digits[Int(value & 15)]])
    }
}
