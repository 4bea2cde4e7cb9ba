import Testing
import Tokenizers

@Suite("Byte-level BPE on hand-made vocabularies")
struct ByteLevelBPETests {
    @Test("the lowest-ranked merge is applied first")
    func mergeOrder() throws {
        let abFirst = try TinyVocabularies.byteLevel(merges: ["a b", "b c"]).makeTokenizer()
        #expect(abFirst.encode("abc", addSpecial: false, parseSpecial: false) == abFirst.ids("ab", "c"))
        let bcFirst = try TinyVocabularies.byteLevel(merges: ["b c", "a b"]).makeTokenizer()
        #expect(bcFirst.encode("abc", addSpecial: false, parseSpecial: false) == bcFirst.ids("a", "bc"))
    }

    @Test("equal ranks merge leftmost first, and merged symbols merge again")
    func leftmostAndRepeated() throws {
        let tokenizer = try TinyVocabularies.byteLevel(merges: ["a a", "aa a"]).makeTokenizer()
        #expect(tokenizer.encode("aaa", addSpecial: false, parseSpecial: false) == tokenizer.ids("aaa"))
        #expect(tokenizer.encode("aaaa", addSpecial: false, parseSpecial: false) == tokenizer.ids("aa", "aa"))
        // Both "a a" pairs merge before any "aa a", so the tail, not the head, becomes "aaa".
        #expect(tokenizer.encode("aaaaa", addSpecial: false, parseSpecial: false) == tokenizer.ids("aa", "aaa"))
        let chain = try TinyVocabularies.byteLevel(merges: ["h e", "l l", "he ll", "hell o", "Ġ hello"]).makeTokenizer()
        #expect(chain.encode("hello hello", addSpecial: false, parseSpecial: false) == chain.ids("hello", "Ġhello"))
    }

    @Test("merges never cross pre-tokenizer word boundaries")
    func wordBoundaries() throws {
        let tokenizer = try TinyVocabularies.byteLevel(merges: ["a Ġ", "Ġ b"]).makeTokenizer()
        // GPT-2 splits "a b" into "a" and " b", so "aĠ" can never form.
        #expect(tokenizer.encode("a b", addSpecial: false, parseSpecial: false) == tokenizer.ids("a", "Ġb"))
    }

    @Test("a merged symbol that is not a token falls back to its bytes' tokens")
    func mergeResultMissing() throws {
        let tokenizer = try TinyVocabularies.byteLevel(merges: ["a b"], keepMergeResults: false).makeTokenizer()
        #expect(tokenizer.encode("ab", addSpecial: false, parseSpecial: false) == tokenizer.ids("a", "b"))
    }

    @Test("a byte whose character is missing from the vocabulary is dropped, as llama.cpp does")
    func missingByteCharacter() throws {
        let tokenizer = try TinyVocabularies.byteLevel(merges: [], dropping: ["z"]).makeTokenizer()
        #expect(tokenizer.encode("azb", addSpecial: false, parseSpecial: false) == tokenizer.ids("a", "b"))
    }

    @Test("control tokens are matched only when parsing specials; user-defined ones always")
    func specialTokens() throws {
        let vocabulary = TinyVocabularies.byteLevel(
            merges: [], extra: [("<|end|>", .control), ("<tool>", .userDefined), ("<tool>x", .userDefined)])
        let tokenizer = try vocabulary.makeTokenizer()
        let end = try #require(tokenizer.tokenID(forPiece: "<|end|>"))
        let tool = try #require(tokenizer.tokenID(forPiece: "<tool>"))
        let toolX = try #require(tokenizer.tokenID(forPiece: "<tool>x"))

        #expect(tokenizer.encode("a<|end|>b", addSpecial: false, parseSpecial: true) == [tokenizer.ids("a")[0], end, tokenizer.ids("b")[0]])
        let literal = tokenizer.encode("a<|end|>b", addSpecial: false, parseSpecial: false)
        #expect(!literal.contains(end))
        #expect(tokenizer.decode(literal) == "a<|end|>b")
        // User-defined tokens are cut out either way, the longest first.
        for parse in [true, false] {
            #expect(tokenizer.encode("<tool>x<tool>", addSpecial: false, parseSpecial: parse) == [toolX, tool])
        }
    }

    @Test("empty input gives no tokens, or only BOS when the model adds it")
    func emptyInput() throws {
        var vocabulary = TinyVocabularies.byteLevel(merges: [], extra: [("<s>", .control)])
        let plain = try vocabulary.makeTokenizer()
        #expect(plain.encode("", addSpecial: true, parseSpecial: true) == [])
        vocabulary.bosToken = plain.tokenID(forPiece: "<s>")
        vocabulary.addBOS = true
        let withBOS = try vocabulary.makeTokenizer()
        #expect(withBOS.encode("", addSpecial: true, parseSpecial: true) == [vocabulary.bosToken!])
        #expect(withBOS.encode("", addSpecial: false, parseSpecial: true) == [])
        #expect(withBOS.encode("a", addSpecial: true, parseSpecial: false) == [vocabulary.bosToken!] + withBOS.ids("a"))
    }

    @Test("every text survives a round trip when all 256 byte characters are tokens",
          arguments: MultilingualCorpus.texts)
    func roundTrip(text: String) throws {
        let tokenizer = try TinyVocabularies.byteLevel(merges: ["Ġ t", "h e", "Ġt he", "Ġ Ġ", "ĠĠ ĠĠ"]).makeTokenizer()
        let tokens = tokenizer.encode(text, addSpecial: true, parseSpecial: true)
        #expect(tokenizer.decode(tokens) == text)
        #expect(tokens.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
    }

    @Test("decoding maps GPT-2 characters back to bytes and hides control tokens unless asked")
    func decoding() throws {
        let tokenizer = try TinyVocabularies.byteLevel(
            merges: ["Ġ h", "Ġh i"], extra: [("<|end|>", .control), ("<tool>", .userDefined)]).makeTokenizer()
        let hi = tokenizer.ids("Ġhi")[0]
        #expect(tokenizer.bytes(for: hi, renderSpecial: false) == Array(" hi".utf8))
        #expect(tokenizer.bytes(for: tokenizer.ids("Ċ")[0], renderSpecial: false) == [0x0A])
        #expect(tokenizer.bytes(for: tokenizer.ids("<|end|>")[0], renderSpecial: false) == [])
        #expect(tokenizer.bytes(for: tokenizer.ids("<|end|>")[0], renderSpecial: true) == Array("<|end|>".utf8))
        #expect(tokenizer.bytes(for: tokenizer.ids("<tool>")[0], renderSpecial: false) == Array("<tool>".utf8))
        #expect(tokenizer.bytes(for: -1, renderSpecial: true) == [])
        #expect(tokenizer.bytes(for: Int32(tokenizer.vocabularySize), renderSpecial: true) == [])
        #expect(tokenizer.piece(for: hi) == "Ġhi")
        #expect(tokenizer.piece(for: 99_999) == "")
    }

    @Test("an unknown pre-tokenizer name falls back to GPT-2's regex with a warning")
    func unknownPreTokenizer() throws {
        let tokenizer = try TinyVocabularies.byteLevel(merges: [], pre: "qwen9").makeTokenizer()
        #expect(tokenizer.preTokenizer == PreTokenizer(splitting: .gpt2))
        #expect(tokenizer.warnings.count == 1)
        #expect(tokenizer.warnings.first?.contains("qwen9") == true)
        let known = try TinyVocabularies.byteLevel(merges: [], pre: "smollm").makeTokenizer()
        #expect(known.warnings.isEmpty)
        #expect(known.preTokenizer?.splitting == .smollm)
        let missing = try TinyVocabularies.byteLevel(merges: [], pre: nil).makeTokenizer()
        #expect(missing.preTokenizer?.splitting == .default)
    }

    @Test("Llama 3 uses a whole-word token before merging (ignore_merges)")
    func ignoreMerges() throws {
        // "abc" is a token but no merges build it: Llama 3 emits it whole, GPT-2 cannot.
        let llama3 = try TinyVocabularies.byteLevel(merges: [], extra: [("abc", .normal)], pre: "llama-bpe").makeTokenizer()
        #expect(llama3.encode("abc", addSpecial: false, parseSpecial: false) == llama3.ids("abc"))
        let gpt2 = try TinyVocabularies.byteLevel(merges: [], extra: [("abc", .normal)], pre: "gpt-2").makeTokenizer()
        #expect(gpt2.encode("abc", addSpecial: false, parseSpecial: false) == gpt2.ids("a", "b", "c"))
    }
}
