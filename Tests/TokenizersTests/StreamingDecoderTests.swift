import Testing
import Tokenizers

@Suite("Streaming decoder")
struct StreamingDecoderTests {
    /// A byte-level tokenizer whose 256 byte characters let a test feed any byte as a token.
    private let tokenizer = try! TinyVocabularies.byteLevel(merges: [], extra: [("<|end|>", .control)]).makeTokenizer()

    private func token(forByte byte: UInt8) -> Int32 {
        tokenizer.tokenID(forPiece: TinyVocabularies.byteCharacters[Int(byte)])!
    }

    /// Feeds `bytes` one token per byte; returns each step's output.
    private func stream(_ bytes: [UInt8], into decoder: inout StreamingDecoder) -> [String] {
        bytes.map { decoder.push(token(forByte: $0)) }
    }

    @Test("a four-byte emoji split over four tokens appears once, when complete")
    func splitEmoji() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(stream(Array("a😀b".utf8), into: &decoder) == ["a", "", "", "", "😀", "b"])
        #expect(!decoder.hasPendingBytes)
        #expect(decoder.flush() == "")
    }

    @Test("CJK and ZWJ sequences come out whole, character by character")
    func cjkAndZWJ() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        let text = "你好👨‍👩‍👧世界"
        let pieces = stream(Array(text.utf8), into: &decoder)
        #expect(pieces.joined() == text)
        #expect(pieces.filter { !$0.isEmpty }.allSatisfy { $0.unicodeScalars.count == 1 })
    }

    @Test("invalid bytes become U+FFFD as soon as they are certainly invalid")
    func invalidBytes() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        // 0xFF can never start a character: replaced at once.
        #expect(decoder.push(bytes: [0xFF]) == "\u{FFFD}")
        // E4 B8 is a valid start; 0x41 breaks it: one U+FFFD, then "A".
        #expect(decoder.push(bytes: [0xE4]) == "")
        #expect(decoder.push(bytes: [0xB8]) == "")
        #expect(decoder.push(bytes: [0x41]) == "\u{FFFD}A")
        // ED A0 would be a surrogate: invalid at the second byte.
        #expect(decoder.push(bytes: [0xED, 0xA0, 0x80]) == "\u{FFFD}\u{FFFD}\u{FFFD}")
        // Overlong C0 80.
        #expect(decoder.push(bytes: [0xC0, 0x80]) == "\u{FFFD}\u{FFFD}")
    }

    @Test("flush turns an unfinished character into U+FFFD and empties the decoder")
    func flushPending() {
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(decoder.push(bytes: [0x61, 0xF0, 0x9F]) == "a")
        #expect(decoder.hasPendingBytes)
        #expect(decoder.flush() == "\u{FFFD}")
        #expect(!decoder.hasPendingBytes)
        #expect(decoder.flush() == "")
        #expect(decoder.push(bytes: Array("ok".utf8)) == "ok")
    }

    @Test("control tokens are silent unless rendering specials")
    func controlTokens() throws {
        let end = try #require(tokenizer.tokenID(forPiece: "<|end|>"))
        var quiet = StreamingDecoder(tokenizer: tokenizer)
        #expect(quiet.push(end) == "")
        var loud = StreamingDecoder(tokenizer: tokenizer, renderSpecial: true)
        #expect(loud.push(end) == "<|end|>")
    }

    @Test("any split of any byte sequence gives what one-shot decoding gives", arguments: 0 ..< 64)
    func matchesOneShotDecoding(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        // Mostly valid text with some corruption, cut at random points.
        var bytes = Array(MultilingualCorpus.texts[seed % MultilingualCorpus.texts.count].utf8)
        for _ in 0 ..< Int(random.next() % 4) where !bytes.isEmpty {
            bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
        }
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var output = ""
        var position = 0
        while position < bytes.count {
            let length = min(bytes.count - position, Int(random.next() % 5) + 1)
            output += decoder.push(bytes: Array(bytes[position ..< position + length]))
            position += length
        }
        output += decoder.flush()
        #expect(output == String(decoding: bytes, as: UTF8.self))
    }
}

/// A small deterministic random generator for reproducible tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
