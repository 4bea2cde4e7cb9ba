/// A tokenizer as the engine uses it: text to ids and ids back to bytes.
public protocol TextTokenizer: Sendable {
    /// Number of ids.
    var vocabularySize: Int { get }
    /// Beginning-of-sequence id, if the vocabulary has one.
    var bosToken: Int32? { get }
    /// End-of-sequence id, if any.
    var eosToken: Int32? { get }
    /// Ids that end a generation (end of sequence, end of turn, …).
    var endOfGenerationTokens: Set<Int32> { get }
    /// Whether encoding with `addSpecial` prepends BOS (from the model file's settings).
    var addsBOS: Bool { get }

    /// Encodes text to ids.
    /// - Parameters:
    ///   - addSpecial: prepend BOS (and append EOS) as the model's settings ask.
    ///   - parseSpecial: match special and added tokens written in the text (`<|im_start|>`)
    ///     atomically; when false they are encoded as ordinary text.
    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32]

    /// The raw bytes a token stands for when decoding (control tokens give their text only when
    /// `renderSpecial` is true, and nothing otherwise).
    func bytes(for token: Int32, renderSpecial: Bool) -> [UInt8]

    /// The vocabulary's text for a token (its piece as stored), for display and debugging.
    func piece(for token: Int32) -> String

    /// The id whose stored piece is exactly `piece`, if any (see the extension's default).
    func tokenID(forPiece piece: String) -> Int32?
}

extension TextTokenizer {
    /// The id whose stored piece is exactly `piece` (for turning a stop text such as
    /// `<|im_end|>` into an id); this default searches every id.
    public func tokenID(forPiece piece: String) -> Int32? {
        for id in 0 ..< vocabularySize where self.piece(for: Int32(id)) == piece { return Int32(id) }
        return nil
    }
}
