/// How text that spells a special token is treated when `parseSpecial` is true.
public enum SpecialTextHandling: Sendable, Equatable {
    /// llama.cpp: control and unknown tokens are cut out where their text appears; nothing
    /// else changes.
    case llamaCpp
    /// Hugging Face's slow (Python) tokenizer, which InternLM-XComposer was trained and
    /// evaluated with: the BOS, EOS, UNK and PAD texts are cut out first and whitespace on
    /// both sides of each is stripped (`' </s>'` is just EOS), then the pieces are tokenized
    /// with user-defined tokens matched whole.
    case huggingFaceSlow
}

/// A tokenizer compiled from a `TokenizerVocabulary`, matching llama.cpp's output id for id.
///
/// Immutable after creation, so one instance may be used from several threads; each call
/// allocates its own scratch buffers.
public final class VocabularyTokenizer: TextTokenizer {
    /// The vocabulary this tokenizer was built from.
    public let vocabulary: TokenizerVocabulary
    /// The pre-tokenizer in use (byte-level BPE only).
    public let preTokenizer: PreTokenizer?
    /// How special-token texts in the input are handled.
    public let specialTextHandling: SpecialTextHandling
    /// Problems tolerated while building (an unknown pre-tokenizer name replaced by GPT-2's
    /// regex, a special id out of range, …), for the caller to show.
    public let warnings: [String]

    private let index: VocabularyIndex
    private let pieces: DecodedPieces
    private let algorithm: Algorithm
    /// The texts cut out first in `.huggingFaceSlow` mode, longest first.
    let huggingFaceSpecials: [(text: [UInt8], token: Int32)]

    private enum Algorithm: Sendable {
        case byteLevel(ByteLevelBPE)
        case sentencePiece(SentencePieceBPE)
    }

    init(vocabulary: TokenizerVocabulary, specialTextHandling: SpecialTextHandling) {
        let index = VocabularyIndex(vocabulary)
        var warnings = index.warnings
        switch vocabulary.model {
        case .gpt2:
            let resolved: PreTokenizer
            if let known = PreTokenizer.named(vocabulary.preTokenizerName) {
                resolved = known
            } else {
                resolved = PreTokenizer(splitting: .gpt2)
                warnings.append("tokenizer.ggml.pre: '\(vocabulary.preTokenizerName ?? "")' is not a "
                    + "known pre-tokenizer; using the GPT-2 regex, so tokens may differ from llama.cpp")
            }
            preTokenizer = resolved
            algorithm = .byteLevel(ByteLevelBPE(index: index, preTokenizer: resolved))
        case .llama:
            preTokenizer = nil
            algorithm = .sentencePiece(SentencePieceBPE(index: index))
        }
        self.vocabulary = vocabulary
        self.specialTextHandling = specialTextHandling
        self.index = index
        self.pieces = DecodedPieces(index: index)
        self.warnings = warnings

        var specials: [(text: [UInt8], token: Int32)] = []
        for id in [vocabulary.bosToken, vocabulary.eosToken, vocabulary.unknownToken, vocabulary.paddingToken] {
            guard let id, !specials.contains(where: { $0.token == id }) else { continue }
            specials.append((Array(index.text(of: Int(id))), id))
        }
        huggingFaceSpecials = specials.sorted { $0.text.count > $1.text.count }
    }

    // MARK: - TextTokenizer

    /// Number of ids.
    public var vocabularySize: Int { index.count }
    /// Beginning of sequence, if the vocabulary has one.
    public var bosToken: Int32? { vocabulary.bosToken }
    /// End of sequence, if any.
    public var eosToken: Int32? { vocabulary.eosToken }
    /// llama.cpp's end-of-generation set: EOS, end of turn, and tokens with known end texts
    /// (`<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`, fill-in-the-middle separators, …).
    public var endOfGenerationTokens: Set<Int32> { index.endOfGenerationTokens }
    /// Whether `encode(_:addSpecial: true, …)` prepends BOS.
    public var addsBOS: Bool { vocabulary.addBOS }

    /// The end-of-turn token: the file's, or one found by its text (`<|im_end|>`, …).
    public var endOfTurnToken: Int32? { index.endOfTurnToken }

    /// Encodes text exactly as llama.cpp's `llama_tokenize(text, add_special, parse_special)`
    /// (or, in `.huggingFaceSlow` mode, with Hugging Face's handling of special texts).
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        let utf8 = Array(text.utf8)
        return utf8.withUnsafeBufferPointer { bytes in
            let fragments = partition(bytes, parseSpecial: parseSpecial)
            var output: [Int32] = []
            output.reserveCapacity(bytes.count / 3 + 2)
            if addSpecial && vocabulary.addBOS, let bos = vocabulary.bosToken { output.append(bos) }
            switch algorithm {
            case .byteLevel(let bpe):
                var scratch = ByteLevelBPE.Scratch()
                for fragment in fragments {
                    switch fragment {
                    case .text(let range): bpe.encode(bytes, range: range, into: &output, scratch: &scratch)
                    case .token(let token): output.append(token)
                    }
                }
            case .sentencePiece(let spm):
                var scratch = SentencePieceBPE.Scratch()
                var previousIsSpecial = true  // the start of the text counts as after a special
                for fragment in fragments {
                    switch fragment {
                    case .text(let range):
                        spm.encode(bytes, range: range,
                                   prefixSpace: vocabulary.addSpacePrefix && previousIsSpecial,
                                   into: &output, scratch: &scratch)
                        previousIsSpecial = false
                    case .token(let token):
                        output.append(token)
                        previousIsSpecial = true
                    }
                }
            }
            if addSpecial && vocabulary.addEOS, let eos = vocabulary.eosToken { output.append(eos) }
            return output
        }
    }

    /// The bytes `token` decodes to (llama.cpp's `token_to_piece`); empty for an unknown id.
    public func bytes(for token: Int32, renderSpecial: Bool) -> [UInt8] {
        pieces.bytes(for: token, renderSpecial: renderSpecial)
    }

    /// The token's stored text; empty for an unknown id.
    public func piece(for token: Int32) -> String {
        guard token >= 0, Int(token) < index.count else { return "" }
        return String(decoding: index.text(of: Int(token)), as: UTF8.self)
    }

    /// The id whose stored text is exactly `piece` (the first, if a text repeats).
    public func tokenID(forPiece piece: String) -> Int32? {
        index.id(of: piece)
    }

    /// The type of `token` after llama.cpp's corrections (a `<|im_end|>` typed normal in the
    /// file reads as control here); nil for an id outside the vocabulary.
    public func tokenType(of token: Int32) -> TokenizerVocabulary.TokenType? {
        guard token >= 0, Int(token) < index.count else { return nil }
        let attributes = index.attributes[Int(token)]
        if attributes.contains(.control) { return .control }
        if attributes.contains(.userDefined) { return .userDefined }
        if attributes.contains(.unknown) { return .unknown }
        if attributes.contains(.byte) { return .byte }
        if attributes.contains(.unused) { return .unused }
        if attributes.contains(.normal) { return .normal }
        return .undefined
    }

    // MARK: - Special tokens

    private func partition(_ bytes: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        var fragments: [Fragment] = []
        let whole = 0 ..< bytes.count
        guard specialTextHandling == .huggingFaceSlow && parseSpecial else {
            index.partition(bytes, range: whole, parseSpecial: parseSpecial, into: &fragments)
            return fragments
        }
        for piece in huggingFaceSplit(bytes) {
            switch piece {
            case .text(let range):
                index.partition(bytes, range: range, parseSpecial: false, into: &fragments)
            case .token:
                fragments.append(piece)
            }
        }
        return fragments
    }
}
