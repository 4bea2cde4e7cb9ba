import ModelFiles

extension SentencePieceModelFile {
    /// The `tokenizer.ggml.*` metadata a GGUF file converted from this model would carry
    /// (llama.cpp's converter writes the same keys): model `llama`, the pieces as tokens with
    /// their scores and types, the special ids that are set, `add_bos_token` true (Hugging
    /// Face's Llama-style tokenizers add BOS), `add_eos_token` false, and `add_space_prefix`
    /// from `normalizer_spec.add_dummy_prefix`.
    /// - Throws: `SentencePieceModelError` when the model is not BPE, has no pieces, has an
    ///   empty or repeated piece, or a special id outside the pieces.
    public func ggufMetadata() throws(SentencePieceModelError) -> GGUFMetadata {
        try validate()
        let key = TokenizerVocabulary.Key.self
        var entries: [(key: String, value: GGUFValue)] = [
            (key.model, .string(TokenizerVocabulary.Model.llama.rawValue)),
            (key.tokens, .array(elementType: GGUFValueType.string, values: pieces.map { .string($0.text) })),
            (key.scores, .array(elementType: GGUFValueType.float32, values: pieces.map { .float32($0.score) })),
            (key.tokenTypes, .array(elementType: GGUFValueType.int32, values: pieces.map { .int32($0.type.rawValue) })),
        ]
        for (name, id) in [(key.unk, trainerSpec.unknownID), (key.bos, trainerSpec.bosID),
                           (key.eos, trainerSpec.eosID), (key.pad, trainerSpec.padID)] where id >= 0 {
            entries.append((name, .uint32(UInt32(id))))
        }
        entries.append((key.addBOS, .bool(trainerSpec.bosID >= 0)))
        entries.append((key.addEOS, .bool(false)))
        entries.append((key.addSpacePrefix, .bool(normalizerSpec.addDummyPrefix)))
        return GGUFMetadata(entries)
    }

    /// The vocabulary, read from `ggufMetadata()` by the GGUF loader, with the special ids
    /// exactly as the model states them (an id of -1 stays unset, where the GGUF loader would
    /// fall back to llama.cpp's defaults) and a warning for each setting the SentencePiece BPE
    /// here does not reproduce (text normalisation rules, removal of extra whitespace,
    /// whitespace as suffix, no whitespace escaping, no byte fallback).
    /// - Throws: `SentencePieceModelError` as `ggufMetadata()` does, or `.badVocabulary` when
    ///   the loader refuses the result.
    public func makeVocabulary() throws(SentencePieceModelError) -> TokenizerVocabulary {
        var vocabulary: TokenizerVocabulary
        do {
            vocabulary = try TokenizerVocabulary(metadata: try ggufMetadata())
        } catch let error as SentencePieceModelError {
            throw error
        } catch {
            throw .badVocabulary(name: name, problem: "\(error)")
        }
        func id(_ value: Int32) -> Int32? { value >= 0 ? value : nil }
        vocabulary.unknownToken = id(trainerSpec.unknownID)
        vocabulary.bosToken = id(trainerSpec.bosID)
        vocabulary.eosToken = id(trainerSpec.eosID)
        vocabulary.paddingToken = id(trainerSpec.padID)
        vocabulary.addBOS = vocabulary.bosToken != nil
        vocabulary.warnings += unsupportedSettings()
        return vocabulary
    }

    /// A tokenizer for this model.
    /// - Parameter specialTextHandling: `.huggingFaceSlow` by default, because a
    ///   `tokenizer.model` comes with a Hugging Face checkpoint, whose reference tokenizer is
    ///   the slow Python one (InternLM-XComposer's is); `.llamaCpp` to match llama.cpp on the
    ///   same vocabulary. Either way, `encode(_:addSpecial: false, parseSpecial: false)`
    ///   gives the ids of sentencepiece's own `encode`.
    /// - Throws: `SentencePieceModelError` as `makeVocabulary()` does.
    public func makeTokenizer(
        specialTextHandling: SpecialTextHandling = .huggingFaceSlow
    ) throws(SentencePieceModelError) -> VocabularyTokenizer {
        let vocabulary = try makeVocabulary()
        do {
            return try vocabulary.makeTokenizer(specialTextHandling: specialTextHandling)
        } catch {
            throw .badVocabulary(name: name, problem: error.description)
        }
    }

    /// Checks what the conversion relies on.
    private func validate() throws(SentencePieceModelError) {
        guard trainerSpec.modelType == .bpe else {
            throw .unsupportedModelType(name: name, modelType: trainerSpec.modelTypeValue)
        }
        guard !pieces.isEmpty else { throw .badVocabulary(name: name, problem: "the model has no pieces") }
        var seen: [String: Int] = [:]
        seen.reserveCapacity(pieces.count)
        for (index, piece) in pieces.enumerated() {
            guard !piece.text.isEmpty else { throw .badPiece(name: name, index: index, problem: "the piece is empty") }
            if let earlier = seen.updateValue(index, forKey: piece.text) {
                throw .badPiece(name: name, index: index,
                                problem: "\(piece.text.debugDescription) repeats piece \(earlier)")
            }
        }
        let specials: [(String, Int32)] = [
            ("unk_id", trainerSpec.unknownID), ("bos_id", trainerSpec.bosID),
            ("eos_id", trainerSpec.eosID), ("pad_id", trainerSpec.padID),
        ]
        for (field, id) in specials where id < -1 || Int(id) >= pieces.count {
            throw .specialIDOutOfRange(name: name, field: field, id: id, pieceCount: pieces.count)
        }
    }

    /// Settings the tokenizer does not reproduce, each as a one-line warning.
    func unsupportedSettings() -> [String] {
        var warnings: [String] = []
        let normalizer = normalizerSpec
        if normalizer.precompiledCharsMapSize > 0 {
            warnings.append("\(name): normalization rule '\(normalizer.name ?? "")' is not applied; "
                + "text that it would rewrite may tokenize differently from SentencePiece")
        }
        if normalizer.removeExtraWhitespaces {
            warnings.append("\(name): remove_extra_whitespaces is set but repeated spaces are kept; "
                + "text with extra spaces may tokenize differently from SentencePiece")
        }
        if !normalizer.escapeWhitespaces {
            warnings.append("\(name): escape_whitespaces is off but spaces are still written as ▁")
        }
        if trainerSpec.treatWhitespaceAsSuffix {
            warnings.append("\(name): treat_whitespace_as_suffix is set but not supported")
        }
        if !trainerSpec.byteFallback {
            warnings.append("\(name): byte_fallback is off; characters outside the vocabulary "
                + "may tokenize differently from SentencePiece")
        }
        return warnings
    }
}
