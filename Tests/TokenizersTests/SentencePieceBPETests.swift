import Testing
import Tokenizers

@Suite("SentencePiece BPE on hand-made vocabularies")
struct SentencePieceBPETests {
    /// Characters a, b, c and ▁ with low scores, and two competing merges.
    private func vocabulary(abScore: Float, bcScore: Float, addSpacePrefix: Bool = false) -> TokenizerVocabulary {
        TinyVocabularies.sentencePiece([
            ("▁", -100, .normal), ("a", -100, .normal), ("b", -100, .normal), ("c", -100, .normal),
            ("ab", abScore, .normal), ("bc", bcScore, .normal), ("▁a", -5, .normal),
        ], addSpacePrefix: addSpacePrefix)
    }

    @Test("the pair whose merged piece scores highest merges first, whatever the ids")
    func mergeByScore() throws {
        let abWins = try vocabulary(abScore: -1, bcScore: -2).makeTokenizer()
        #expect(abWins.encode("abc", addSpecial: false, parseSpecial: false) == abWins.ids("ab", "c"))
        let bcWins = try vocabulary(abScore: -2, bcScore: -1).makeTokenizer()
        #expect(bcWins.encode("abc", addSpecial: false, parseSpecial: false) == bcWins.ids("a", "bc"))
    }

    @Test("equal scores merge the leftmost pair first")
    func ties() throws {
        let tokenizer = try vocabulary(abScore: -1, bcScore: -1).makeTokenizer()
        #expect(tokenizer.encode("abc", addSpecial: false, parseSpecial: false) == tokenizer.ids("ab", "c"))
        #expect(tokenizer.encode("cabc", addSpecial: false, parseSpecial: false) == tokenizer.ids("c", "ab", "c"))
    }

    @Test("characters missing from the vocabulary become <0xXX> byte tokens")
    func byteFallback() throws {
        let tokenizer = try vocabulary(abScore: -1, bcScore: -2).makeTokenizer()
        let tokens = tokenizer.encode("a😀\n", addSpecial: false, parseSpecial: false)
        #expect(tokens == tokenizer.ids("a", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "<0x0A>"))
        #expect(tokenizer.decode(tokens) == "a😀\n")
    }

    @Test("without byte tokens, an unknown character becomes <unk> (llama.cpp would fail)")
    func noByteTokens() throws {
        let tokenizer = try TinyVocabularies.sentencePiece([("a", -1, .normal)], withByteTokens: false).makeTokenizer()
        #expect(tokenizer.encode("aé", addSpecial: false, parseSpecial: false) == tokenizer.ids("a", "<unk>", "<unk>"))
    }

    @Test("spaces become ▁; the dummy prefix is added at the start and after each special token")
    func spacePrefix() throws {
        let llama = try vocabulary(abScore: -1, bcScore: -2, addSpacePrefix: true).makeTokenizer()
        #expect(llama.encode("a", addSpecial: true, parseSpecial: true) == [1] + llama.ids("▁a"))
        #expect(llama.encode("a</s>a", addSpecial: false, parseSpecial: true) == llama.ids("▁a", "</s>", "▁a"))
        let internLM = try vocabulary(abScore: -1, bcScore: -2, addSpacePrefix: false).makeTokenizer()
        #expect(internLM.encode("a a", addSpecial: true, parseSpecial: true) == [1] + internLM.ids("a", "▁a"))
        #expect(internLM.encode("a</s>a", addSpecial: false, parseSpecial: true) == internLM.ids("a", "</s>", "a"))
    }

    @Test("user-defined tokens are matched whole even when specials are not parsed; control only when they are")
    func atomicTokens() throws {
        let tokenizer = try TinyVocabularies.sentencePiece([
            ("a", -1, .normal), ("<TOKENS_UNUSED_0>", 0, .userDefined), ("▁", -1, .normal),
        ]).makeTokenizer()
        let eoh = try #require(tokenizer.tokenID(forPiece: "<TOKENS_UNUSED_0>"))
        for parse in [true, false] {
            #expect(tokenizer.encode("a<TOKENS_UNUSED_0> a", addSpecial: false, parseSpecial: parse)
                    == tokenizer.ids("a") + [eoh] + tokenizer.ids("▁", "a"))
        }
        #expect(tokenizer.encode("</s>", addSpecial: false, parseSpecial: true) == [2])
        #expect(!tokenizer.encode("</s>", addSpecial: false, parseSpecial: false).contains(2))
    }

    @Test("decoding: ▁ is a space, byte tokens are bytes, control tokens hidden unless rendered")
    func decoding() throws {
        let tokenizer = try vocabulary(abScore: -1, bcScore: -2).makeTokenizer()
        #expect(tokenizer.bytes(for: tokenizer.ids("▁a")[0], renderSpecial: false) == Array(" a".utf8))
        #expect(tokenizer.bytes(for: tokenizer.ids("<0x0A>")[0], renderSpecial: false) == [0x0A])
        #expect(tokenizer.bytes(for: 1, renderSpecial: false) == [])
        #expect(tokenizer.bytes(for: 1, renderSpecial: true) == Array("<s>".utf8))
        #expect(tokenizer.bytes(for: 0, renderSpecial: true) == Array("<unk>".utf8))
    }

    @Test("every text survives a round trip through byte fallback", arguments: MultilingualCorpus.texts)
    func roundTrip(text: String) throws {
        let tokenizer = try SyntheticSentencePiece.vocabulary(addSpacePrefix: false).makeTokenizer()
        let tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        #expect(tokenizer.decode(tokens, renderSpecial: true) == text)
    }
}

@Suite("Hugging Face slow-tokenizer handling of special texts (InternLM)")
struct HuggingFaceSpecialTextTests {
    private let huggingFace = try! SyntheticSentencePiece.vocabulary(addSpacePrefix: false)
        .makeTokenizer(specialTextHandling: .huggingFaceSlow)
    private let llamaCpp = try! SyntheticSentencePiece.vocabulary(addSpacePrefix: false).makeTokenizer()

    @Test("' </s>' is just EOS: whitespace next to BOS, EOS and UNK texts is stripped")
    func stripsAroundSpecials() {
        #expect(huggingFace.encode(" </s>", addSpecial: false, parseSpecial: true) == [2])
        #expect(huggingFace.encode("the </s>  the", addSpecial: false, parseSpecial: true)
                == llamaCpp.encode("the", addSpecial: false, parseSpecial: false) + [2]
                    + llamaCpp.encode("the", addSpecial: false, parseSpecial: false))
        #expect(huggingFace.encode("\n<s>\t<unk> </s>\u{3000}x", addSpecial: false, parseSpecial: true)
                == [1, 0, 2] + llamaCpp.encode("x", addSpecial: false, parseSpecial: false))
        // llama.cpp keeps the space.
        #expect(llamaCpp.encode(" </s>", addSpecial: false, parseSpecial: true).count == 2)
    }

    @Test("user-defined tokens stay atomic and keep their surrounding spaces")
    func userDefinedUnchanged() {
        let text = "\n<TOKENS_UNUSED_0> <|Bot|>:"
        #expect(huggingFace.encode(text, addSpecial: false, parseSpecial: true)
                == llamaCpp.encode(text, addSpecial: false, parseSpecial: true))
    }

    @Test("with parseSpecial false the texts are ordinary text, as in llama.cpp")
    func notParsed() {
        for text in ["a </s> b", "<s>", " <unk>"] {
            #expect(huggingFace.encode(text, addSpecial: true, parseSpecial: false)
                    == llamaCpp.encode(text, addSpecial: true, parseSpecial: false))
        }
    }
}

@Suite("Hugging Face decode clean-up")
struct HuggingFaceCleanupTests {
    @Test("spaces before punctuation and contractions go, as Python's chain of replace calls does")
    func cleanup() {
        #expect(HuggingFaceCleanup.cleanUpTokenizationSpaces("Hello , world ! I do n't know . It 's fine ?")
                == "Hello, world! I don't know. It's fine?")
        #expect(HuggingFaceCleanup.cleanUpTokenizationSpaces("a ' b 'm 've 're") == "a'b'm've're")
        #expect(HuggingFaceCleanup.cleanUpTokenizationSpaces("no change 你好") == "no change 你好")
        // One pass per pattern: "  ." loses only the space next to the dot.
        #expect(HuggingFaceCleanup.cleanUpTokenizationSpaces("x  .") == "x .")
        #expect(HuggingFaceCleanup.cleanUpTokenizationSpaces("") == "")
    }
}
