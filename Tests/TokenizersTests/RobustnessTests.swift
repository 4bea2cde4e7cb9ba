import Testing
import Tokenizers

/// Random text from all over Unicode must never crash a tokenizer, and what is encoded must
/// decode back unchanged when the vocabulary can spell every byte.
@Suite("Robustness on random Unicode")
struct RobustnessTests {
    private let byteLevel = try! TinyVocabularies.byteLevel(
        merges: ["Ġ t", "h e", "Ġt he"], extra: [("<|end|>", .control), ("<tool>", .userDefined)], pre: "llama-bpe")
        .makeTokenizer()
    private let sentencePiece = try! SyntheticSentencePiece.vocabulary(addSpacePrefix: false)
        .makeTokenizer(specialTextHandling: .huggingFaceSlow)

    /// A string of random scalars: ASCII, Latin, CJK, emoji, combining marks, controls,
    /// private use, unassigned code points, and pieces of special-token texts.
    private func randomText(_ random: inout SplitMix64) -> String {
        let fragments = ["<|end|>", "<tool>", "<s>", "</s>", "<TOKENS_UNUSED_0>", " ", "\n", "\r\n", "'s", "123"]
        var text = ""
        for _ in 0 ..< Int(random.next() % 40) {
            switch random.next() % 6 {
            case 0: text += fragments[Int(random.next() % UInt64(fragments.count))]
            case 1: text.unicodeScalars.append(Unicode.Scalar(UInt8(random.next() % 128)))
            default:
                let ranges: [ClosedRange<UInt32>] = [0x80 ... 0x24F, 0x300 ... 0x36F, 0x4E00 ... 0x9FFF,
                                                     0x1F300 ... 0x1FAFF, 0xE000 ... 0xF8FF, 0x10D40 ... 0x10D8F,
                                                     0xFFF0 ... 0xFFFF, 0x100000 ... 0x10FFFD]
                let range = ranges[Int(random.next() % UInt64(ranges.count))]
                let value = range.lowerBound + UInt32(random.next() % UInt64(range.count))
                if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
            }
        }
        return text
    }

    @Test("random texts round-trip through both algorithms", arguments: 0 ..< 200)
    func roundTrip(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &* 7919)
        let text = randomText(&random)
        for parseSpecial in [false, true] {
            let bpe = byteLevel.encode(text, addSpecial: true, parseSpecial: parseSpecial)
            #expect(byteLevel.decode(bpe, renderSpecial: true) == text)
            let spm = sentencePiece.encode(text, addSpecial: false, parseSpecial: parseSpecial)
            let decoded = sentencePiece.decode(spm, renderSpecial: true)
            if parseSpecial {
                // The Hugging Face mode drops whitespace next to <s>, </s> and <unk>.
                #expect(decoded.filter { !$0.isWhitespace } == text.filter { !$0.isWhitespace })
            } else {
                #expect(decoded == text)
            }
        }
    }
}
