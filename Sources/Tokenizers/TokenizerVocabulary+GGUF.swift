import ModelFiles

extension TokenizerVocabulary {
    /// Reads the vocabulary from the standard `tokenizer.ggml.*` keys of GGUF metadata.
    ///
    /// Defaults follow llama.cpp's loader so a file that leaves a key out behaves as it does
    /// there: SentencePiece files default to BOS 1, EOS 2, UNK 0, a space prefix and adding
    /// BOS; byte-level files default to BOS = EOS = 11 (GPT-2's era) and add BOS only for the
    /// Llama 3 pre-tokenizer family. A special id outside the vocabulary is ignored with a
    /// warning, as llama.cpp does.
    /// - Throws: `TokenizerError` naming the first missing or mistyped key.
    public init(metadata: GGUFMetadata) throws(TokenizerError) {
        guard let modelName = metadata.string(Key.model) else {
            throw .missingKey(Key.model, expected: "a string")
        }
        guard let model = Model(rawValue: modelName) else { throw .unsupportedModel(modelName) }
        guard let tokens = metadata.stringArray(Key.tokens) else {
            throw .missingKey(Key.tokens, expected: "an array of strings")
        }
        guard !tokens.isEmpty else { throw .emptyVocabulary }

        var scores: [Float] = []
        if metadata[Key.scores] != nil {
            guard let values = metadata.floatArray(Key.scores) else {
                throw .missingKey(Key.scores, expected: "an array of numbers")
            }
            guard values.count >= tokens.count else {
                throw .arrayTooShort(key: Key.scores, count: values.count, tokens: tokens.count)
            }
            scores = Array(values.prefix(tokens.count))
        }

        var types: [TokenType] = []
        if metadata[Key.tokenTypes] != nil {
            guard let values = metadata.integerArray(Key.tokenTypes) else {
                throw .missingKey(Key.tokenTypes, expected: "an array of integers")
            }
            guard values.count >= tokens.count else {
                throw .arrayTooShort(key: Key.tokenTypes, count: values.count, tokens: tokens.count)
            }
            types = values.prefix(tokens.count).map { TokenType(rawValue: $0) ?? .undefined }
        }

        var merges: [String] = []
        if model == .gpt2 {
            guard let values = metadata.stringArray(Key.merges) else {
                throw .missingKey(Key.merges, expected: "an array of strings")
            }
            merges = values
        }

        let preName = metadata.string(Key.pre)
        var warnings: [String] = []
        let count = tokens.count
        func inRange(_ id: Int32?) -> Int32? {
            guard let id, id >= 0, Int(id) < count else { return nil }
            return id
        }

        // llama.cpp's per-algorithm defaults, then the file's values.
        var bos: Int32?, eos: Int32?, unk: Int32?
        var addBOS = false, addSpacePrefix = false
        switch model {
        case .llama:
            bos = inRange(1); eos = inRange(2); unk = inRange(0)
            addBOS = true; addSpacePrefix = true
        case .gpt2:
            bos = inRange(11); eos = inRange(11); unk = nil
            addBOS = PreTokenizer.named(preName)?.addsBOSByDefault ?? false
        }
        var pad: Int32?, eot: Int32?, eom: Int32?

        func readID(_ key: String, into id: inout Int32?) {
            guard metadata[key] != nil else { return }
            guard let value = metadata.integer(key), value >= 0, value < count else {
                let shown = metadata.integer(key).map(String.init) ?? "a non-integer"
                warnings.append("\(key): \(shown) is not a token id (vocabulary of \(count)); ignored")
                return
            }
            id = Int32(value)
        }
        readID(Key.bos, into: &bos)
        readID(Key.eos, into: &eos)
        readID(Key.eot, into: &eot)
        readID(Key.eom, into: &eom)
        readID(Key.unk, into: &unk)
        readID(Key.pad, into: &pad)

        if let value = metadata.bool(Key.addSpacePrefix) { addSpacePrefix = value }
        if let value = metadata.bool(Key.addBOS) { addBOS = value }
        let addEOS = metadata.bool(Key.addEOS) ?? false
        if addBOS && bos == nil { throw .missingSpecialToken(setting: Key.addBOS, idKey: Key.bos) }
        if addEOS && eos == nil { throw .missingSpecialToken(setting: Key.addEOS, idKey: Key.eos) }

        self.init(
            model: model, tokens: tokens, scores: scores, tokenTypes: types, merges: merges,
            preTokenizerName: preName, bosToken: bos, eosToken: eos, unknownToken: unk,
            paddingToken: pad, endOfTurnToken: eot, endOfMessageToken: eom,
            addBOS: addBOS, addEOS: addEOS, addSpacePrefix: addSpacePrefix,
            chatTemplate: metadata.string(Key.chatTemplate), warnings: warnings)
    }

    /// Opens a GGUF file and reads its vocabulary (only the header is parsed; no weights are
    /// touched).
    /// - Throws: `TokenizerError.unreadableModelFile` when the file cannot be read, or
    ///   `.badVocabulary` naming the path and the vocabulary problem.
    public init(contentsOfGGUF path: String) throws(TokenizerError) {
        let file: GGUFFile
        do {
            file = try GGUFFile.open(path: path)
        } catch {
            throw .unreadableModelFile(path: path, reason: error.description)
        }
        do {
            try self.init(metadata: file.metadata)
        } catch {
            throw .badVocabulary(path: path, reason: error.description)
        }
    }

    /// The metadata keys read.
    enum Key {
        static let model = "tokenizer.ggml.model"
        static let pre = "tokenizer.ggml.pre"
        static let tokens = "tokenizer.ggml.tokens"
        static let scores = "tokenizer.ggml.scores"
        static let tokenTypes = "tokenizer.ggml.token_type"
        static let merges = "tokenizer.ggml.merges"
        static let bos = "tokenizer.ggml.bos_token_id"
        static let eos = "tokenizer.ggml.eos_token_id"
        static let eot = "tokenizer.ggml.eot_token_id"
        static let eom = "tokenizer.ggml.eom_token_id"
        static let unk = "tokenizer.ggml.unknown_token_id"
        static let pad = "tokenizer.ggml.padding_token_id"
        static let addBOS = "tokenizer.ggml.add_bos_token"
        static let addEOS = "tokenizer.ggml.add_eos_token"
        static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
        static let chatTemplate = "tokenizer.chat_template"
    }
}
