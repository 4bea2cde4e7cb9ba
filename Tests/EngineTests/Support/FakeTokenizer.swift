import Tokenizers

/// A tokenizer over a fixed table of byte pieces. Ids whose piece is nil are control tokens: they
/// decode to nothing unless `renderSpecial` is set, when they show as `<id>`.
struct FakeTokenizer: TextTokenizer {
    let pieces: [[UInt8]?]
    let eosToken: Int32?
    let endOfGenerationTokens: Set<Int32>

    init(pieces: [[UInt8]?], eos: Int32? = nil, endOfGeneration: Set<Int32> = []) {
        self.pieces = pieces
        eosToken = eos
        endOfGenerationTokens = endOfGeneration
    }

    /// Ids 0..<count with the pieces of `strings`; nil entries are control tokens.
    init(strings: [String?], eos: Int32? = nil, endOfGeneration: Set<Int32> = []) {
        self.init(pieces: strings.map { $0.map { Array($0.utf8) } }, eos: eos, endOfGeneration: endOfGeneration)
    }

    var vocabularySize: Int { pieces.count }
    var bosToken: Int32? { nil }
    var addsBOS: Bool { false }

    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        // Greedy longest match over the pieces; enough for building prompts in tests.
        var bytes = Array(text.utf8)[...]
        var ids: [Int32] = []
        while !bytes.isEmpty {
            var best: (id: Int, length: Int)?
            for (id, piece) in pieces.enumerated() {
                guard let piece, !piece.isEmpty, bytes.starts(with: piece) else { continue }
                if piece.count > (best?.length ?? 0) { best = (id, piece.count) }
            }
            guard let best else { bytes = bytes.dropFirst(); continue }
            ids.append(Int32(best.id))
            bytes = bytes.dropFirst(best.length)
        }
        return ids
    }

    func bytes(for token: Int32, renderSpecial: Bool) -> [UInt8] {
        guard token >= 0, Int(token) < pieces.count else { return [] }
        if let piece = pieces[Int(token)] { return piece }
        return renderSpecial ? Array("<\(token)>".utf8) : []
    }

    func piece(for token: Int32) -> String {
        String(decoding: bytes(for: token, renderSpecial: true), as: UTF8.self)
    }
}
