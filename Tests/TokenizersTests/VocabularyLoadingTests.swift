import ModelFiles
import Testing
import Tokenizers

@Suite("Reading the vocabulary from GGUF metadata")
struct VocabularyLoadingTests {
    private func strings(_ values: [String]) -> GGUFValue {
        .array(elementType: GGUFValueType.string, values: values.map(GGUFValue.string))
    }

    private func metadata(model: String = "llama", dropping: Set<String> = [],
                          extra: [(key: String, value: GGUFValue)] = []) -> GGUFMetadata {
        var entries: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string(model)),
            ("tokenizer.ggml.tokens", strings(["<unk>", "<s>", "</s>", "▁a", "a"])),
            ("tokenizer.ggml.scores", .array(elementType: GGUFValueType.float32, values: [0, 0, 0, -1, -2].map(GGUFValue.float32))),
            ("tokenizer.ggml.token_type", .array(elementType: GGUFValueType.int32, values: [2, 3, 3, 1, 9].map(GGUFValue.int32))),
            ("tokenizer.ggml.merges", strings(["▁ a"])),
        ]
        entries.removeAll { dropping.contains($0.key) }
        return GGUFMetadata(entries + extra)
    }

    @Test("SentencePiece defaults follow llama.cpp: BOS 1, EOS 2, UNK 0, space prefix, add BOS")
    func sentencePieceDefaults() throws {
        let vocabulary = try TokenizerVocabulary(metadata: metadata())
        #expect(vocabulary.model == .llama)
        #expect(vocabulary.tokens == ["<unk>", "<s>", "</s>", "▁a", "a"])
        #expect(vocabulary.scores == [0, 0, 0, -1, -2])
        #expect(vocabulary.tokenTypes == [.unknown, .control, .control, .normal, .undefined])
        #expect(vocabulary.bosToken == 1 && vocabulary.eosToken == 2 && vocabulary.unknownToken == 0)
        #expect(vocabulary.addBOS && vocabulary.addSpacePrefix && !vocabulary.addEOS)
        #expect(vocabulary.merges.isEmpty)
        #expect(vocabulary.warnings.isEmpty)
    }

    @Test("keys in the file override the defaults")
    func overrides() throws {
        let vocabulary = try TokenizerVocabulary(metadata: metadata(extra: [
            ("tokenizer.ggml.bos_token_id", .uint32(2)), ("tokenizer.ggml.eos_token_id", .uint32(1)),
            ("tokenizer.ggml.padding_token_id", .uint32(2)), ("tokenizer.ggml.eot_token_id", .int32(4)),
            ("tokenizer.ggml.add_bos_token", .bool(false)), ("tokenizer.ggml.add_space_prefix", .bool(false)),
            ("tokenizer.chat_template", .string("{{ '<|im_start|>' }}")),
        ]))
        #expect(vocabulary.bosToken == 2 && vocabulary.eosToken == 1)
        #expect(vocabulary.paddingToken == 2 && vocabulary.endOfTurnToken == 4)
        #expect(!vocabulary.addBOS && !vocabulary.addSpacePrefix)
        #expect(vocabulary.chatTemplate == "{{ '<|im_start|>' }}")
    }

    @Test("a special id outside the vocabulary is ignored with a warning")
    func badSpecialID() throws {
        let vocabulary = try TokenizerVocabulary(metadata: metadata(extra: [("tokenizer.ggml.eos_token_id", .uint32(99))]))
        #expect(vocabulary.eosToken == 2)
        #expect(vocabulary.warnings == ["tokenizer.ggml.eos_token_id: 99 is not a token id (vocabulary of 5); ignored"])
    }

    @Test("byte-level files need merges and default to BOS = EOS = 11 (absent here) and no BOS")
    func byteLevel() throws {
        let vocabulary = try TokenizerVocabulary(metadata: metadata(model: "gpt2", extra: [("tokenizer.ggml.pre", .string("smollm"))]))
        #expect(vocabulary.model == .gpt2 && vocabulary.merges == ["▁ a"])
        #expect(vocabulary.preTokenizerName == "smollm")
        #expect(vocabulary.bosToken == nil && vocabulary.eosToken == nil && !vocabulary.addBOS)
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.merges", expected: "an array of strings")) {
            try TokenizerVocabulary(metadata: metadata(model: "gpt2", dropping: ["tokenizer.ggml.merges"]))
        }
        // The Llama 3 family adds BOS by default, which needs a BOS id.
        #expect(throws: TokenizerError.missingSpecialToken(setting: "tokenizer.ggml.add_bos_token",
                                                           idKey: "tokenizer.ggml.bos_token_id")) {
            try TokenizerVocabulary(metadata: metadata(model: "gpt2", extra: [("tokenizer.ggml.pre", .string("llama-bpe"))]))
        }
    }

    @Test("missing or mistyped keys are reported by name")
    func errors() {
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.model", expected: "a string")) {
            try TokenizerVocabulary(metadata: metadata(dropping: ["tokenizer.ggml.model"]))
        }
        #expect(throws: TokenizerError.unsupportedModel("bert")) { try TokenizerVocabulary(metadata: metadata(model: "bert")) }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.tokens", expected: "an array of strings")) {
            try TokenizerVocabulary(metadata: metadata(dropping: ["tokenizer.ggml.tokens"], extra: [("tokenizer.ggml.tokens", .uint32(3))]))
        }
        #expect(throws: TokenizerError.emptyVocabulary) {
            try TokenizerVocabulary(metadata: metadata(dropping: ["tokenizer.ggml.tokens"], extra: [("tokenizer.ggml.tokens", strings([]))]))
        }
        #expect(throws: TokenizerError.arrayTooShort(key: "tokenizer.ggml.scores", count: 1, tokens: 5)) {
            try TokenizerVocabulary(metadata: metadata(dropping: ["tokenizer.ggml.scores"], extra: [
                ("tokenizer.ggml.scores", .array(elementType: GGUFValueType.float32, values: [.float32(0)]))]))
        }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.token_type", expected: "an array of integers")) {
            try TokenizerVocabulary(metadata: metadata(dropping: ["tokenizer.ggml.token_type"], extra: [
                ("tokenizer.ggml.token_type", strings(["x"]))]))
        }
    }

    @Test("a file that cannot be read names its path")
    func unreadableFile() {
        do {
            _ = try TokenizerVocabulary(contentsOfGGUF: "/nonexistent/model.gguf")
            Issue.record("expected an error")
        } catch {
            guard case .unreadableModelFile(let path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == "/nonexistent/model.gguf")
            #expect(error.description.hasPrefix("/nonexistent/model.gguf: "))
        }
    }

    @Test("errors read as one line naming the input")
    func descriptions() {
        let errors: [TokenizerError] = [
            .missingKey("k", expected: "a string"), .unsupportedModel("bert"), .emptyVocabulary,
            .arrayTooShort(key: "k", count: 1, tokens: 2), .missingSpecialToken(setting: "s", idKey: "i"),
            .specialTokenOutOfRange(name: "n", id: 9, vocabularySize: 3),
            .unreadableModelFile(path: "p", reason: "r"), .badVocabulary(path: "p", reason: "r"),
        ]
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
        #expect(TokenizerError.missingKey("tokenizer.ggml.tokens", expected: "an array of strings").description
                == "tokenizer.ggml.tokens: missing or not an array of strings")
    }

    @Test("makeTokenizer rejects inconsistent hand-made vocabularies")
    func factoryChecks() {
        #expect(throws: TokenizerError.emptyVocabulary) { try TokenizerVocabulary(model: .gpt2, tokens: []).makeTokenizer() }
        #expect(throws: TokenizerError.specialTokenOutOfRange(name: "tokenizer.ggml.bos_token_id", id: 5, vocabularySize: 1)) {
            try TokenizerVocabulary(model: .llama, tokens: ["a"], bosToken: 5).makeTokenizer()
        }
        #expect(throws: TokenizerError.arrayTooShort(key: "tokenizer.ggml.scores", count: 1, tokens: 2)) {
            try TokenizerVocabulary(model: .llama, tokens: ["a", "b"], scores: [0]).makeTokenizer()
        }
        #expect(throws: TokenizerError.missingSpecialToken(setting: "tokenizer.ggml.add_bos_token", idKey: "tokenizer.ggml.bos_token_id")) {
            try TokenizerVocabulary(model: .llama, tokens: ["a"], addBOS: true).makeTokenizer()
        }
    }

    @Test("llama.cpp's corrections: end-of-turn by text, end-of-generation set, empty and duplicate tokens")
    func corrections() throws {
        let tokenizer = try TokenizerVocabulary(
            model: .gpt2, tokens: ["a", "<|im_end|>", "<|endoftext|>", "", "a", "<reponame>"],
            tokenTypes: [.normal, .normal, .control, .normal, .normal, .control], eosToken: 2).makeTokenizer()
        // <|im_end|> is typed normal in this file; llama.cpp treats it as control.
        #expect(tokenizer.tokenType(of: 1) == .control)
        #expect(tokenizer.endOfTurnToken == 1)
        #expect(tokenizer.endOfGenerationTokens == [1, 2, 5])
        #expect(tokenizer.piece(for: 3) == "[EMPTY_3]")
        #expect(tokenizer.tokenID(forPiece: "a") == 0)
        #expect(tokenizer.warnings.count == 2)
    }
}
