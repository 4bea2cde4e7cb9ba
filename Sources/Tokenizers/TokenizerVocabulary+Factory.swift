extension TokenizerVocabulary {
    /// Compiles the vocabulary into a tokenizer for its algorithm (`model`).
    ///
    /// An unknown pre-tokenizer name does not fail: the GPT-2 regex is used and the returned
    /// tokenizer's `warnings` says so.
    /// - Parameter specialTextHandling: `.llamaCpp` (the default) to match llama.cpp, or
    ///   `.huggingFaceSlow` for models whose reference is Hugging Face's Python tokenizer
    ///   (InternLM-XComposer).
    /// - Throws: `TokenizerError` when the vocabulary is inconsistent (no tokens, per-token
    ///   arrays shorter than the token list, special ids outside it).
    public func makeTokenizer(
        specialTextHandling: SpecialTextHandling = .llamaCpp
    ) throws(TokenizerError) -> VocabularyTokenizer {
        guard !tokens.isEmpty else { throw .emptyVocabulary }
        if !scores.isEmpty && scores.count < tokens.count {
            throw .arrayTooShort(key: Key.scores, count: scores.count, tokens: tokens.count)
        }
        if !tokenTypes.isEmpty && tokenTypes.count < tokens.count {
            throw .arrayTooShort(key: Key.tokenTypes, count: tokenTypes.count, tokens: tokens.count)
        }
        let specials: [(String, Int32?)] = [
            (Key.bos, bosToken), (Key.eos, eosToken), (Key.unk, unknownToken), (Key.pad, paddingToken),
            (Key.eot, endOfTurnToken), (Key.eom, endOfMessageToken),
        ]
        for case let (name, id?) in specials where id < 0 || Int(id) >= tokens.count {
            throw .specialTokenOutOfRange(name: name, id: id, vocabularySize: tokens.count)
        }
        if addBOS && bosToken == nil { throw .missingSpecialToken(setting: Key.addBOS, idKey: Key.bos) }
        if addEOS && eosToken == nil { throw .missingSpecialToken(setting: Key.addEOS, idKey: Key.eos) }
        return VocabularyTokenizer(vocabulary: self, specialTextHandling: specialTextHandling)
    }
}
