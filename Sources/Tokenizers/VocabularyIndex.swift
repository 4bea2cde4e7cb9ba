/// The lookup tables both algorithms share, built once from a `TokenizerVocabulary`.
///
/// Token texts are kept as UTF-8 in one flat buffer with a hash index, attributes are patched
/// as llama.cpp patches them, and the special-token list is ordered longest first, which is the
/// order llama.cpp matches them in text.
struct VocabularyIndex: Sendable {
    let vocabulary: TokenizerVocabulary
    /// Token text (UTF-8) → id; the first id wins for a duplicated text.
    let textToID: ByteStringTable
    /// Token texts by id, flat; token `i` is `textBytes[textStarts[i] ..< textStarts[i + 1]]`.
    let textBytes: [UInt8]
    let textStarts: [Int]
    let attributes: [TokenAttributes]
    /// Control, user-defined and unknown tokens, longest text first (ties by id).
    let specialTokens: [Int32]
    let endOfTurnToken: Int32?
    let endOfGenerationTokens: Set<Int32>
    /// Texts that were tolerated but look wrong.
    let warnings: [String]

    var count: Int { attributes.count }

    init(_ vocabulary: TokenizerVocabulary) {
        self.vocabulary = vocabulary
        var warnings = vocabulary.warnings
        let count = vocabulary.tokens.count

        var table = ByteStringTable(minimumCapacity: count)
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        bytes.reserveCapacity(count * 8)
        starts.reserveCapacity(count + 1)
        var attributes: [TokenAttributes] = []
        attributes.reserveCapacity(count)
        for (id, token) in vocabulary.tokens.enumerated() {
            var text = token
            if text.isEmpty {
                // llama.cpp names empty tokens so they stay distinct and findable.
                text = "[EMPTY_\(id)]"
                warnings.append("tokenizer.ggml.tokens: token \(id) is empty; named [EMPTY_\(id)]")
            }
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            starts.append(bytes.count)
            let inserted = bytes.withUnsafeBufferPointer {
                table.insert(UnsafeBufferPointer(rebasing: $0[start...]), value: Int32(id))
            }
            if inserted != Int32(id) {
                warnings.append("tokenizer.ggml.tokens: token \(id) repeats the text of an earlier one")
            }
            attributes.append(TokenAttributes(vocabulary.type(of: id)))
        }
        textToID = table
        textBytes = bytes
        textStarts = starts

        func id(of text: String) -> Int32? { table.value(for: Array(text.utf8)) }
        func makeControl(_ id: Int32) { attributes[Int(id)].insert(.control) }

        // End of turn: the file's, or a token with a known end-of-turn text. llama.cpp takes
        // whichever its hash map yields first; the lowest id is deterministic and agrees with
        // it on SmolLM2 (<|endoftext|> over <|im_end|>). Both end generation either way.
        var eot = vocabulary.endOfTurnToken
        if eot == nil {
            eot = KnownTokenTexts.endOfTurn.compactMap(id(of:)).min()
        }
        if let eot { makeControl(eot) }
        var eom = vocabulary.endOfMessageToken
        if eom == nil { eom = id(of: "<|eom_id|>") }
        if let eom { makeControl(eom) }

        var endOfGeneration = Set<Int32>()
        for text in KnownTokenTexts.fillInMiddle { if let t = id(of: text) { makeControl(t) } }
        for text in KnownTokenTexts.fillInMiddleEndingGeneration {
            if let t = id(of: text) { makeControl(t); endOfGeneration.insert(t) }
        }
        for id in 0 ..< count where attributes[id].contains(.control) {
            if vocabulary.tokens[id].contains("unused") { attributes[id].insert(.unused) }
        }
        for text in KnownTokenTexts.endOfGeneration {
            if let t = id(of: text) { makeControl(t); endOfGeneration.insert(t) }
        }
        for text in KnownTokenTexts.alwaysRendered {
            if let t = id(of: text) { attributes[Int(t)] = .userDefined }
        }
        if let eos = vocabulary.eosToken { endOfGeneration.insert(eos) }
        if let eot { endOfGeneration.insert(eot) }
        if let eom { endOfGeneration.insert(eom) }
        // gpt-oss style vocabularies end a message with <|return|> or <|call|>, not <|end|>.
        if let end = id(of: "<|end|>"), id(of: "<|return|>") != nil, id(of: "<|call|>") != nil {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .userDefined
        }
        self.attributes = attributes
        self.endOfTurnToken = eot
        self.endOfGenerationTokens = endOfGeneration
        self.warnings = warnings

        let lengths = (0 ..< count).map { starts[$0 + 1] - starts[$0] }
        specialTokens = (0 ..< count)
            .filter { attributes[$0].isSpecial }
            .sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
            .map { Int32($0) }
    }

    /// The stored text of token `id` as bytes.
    @inline(__always)
    func text(of id: Int) -> ArraySlice<UInt8> {
        textBytes[textStarts[id] ..< textStarts[id + 1]]
    }

    /// The id whose text is exactly `bytes`.
    @inline(__always)
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        textToID.value(for: bytes)
    }

    /// The id whose text is exactly `text`.
    func id(of text: String) -> Int32? {
        textToID.value(for: Array(text.utf8))
    }
}
