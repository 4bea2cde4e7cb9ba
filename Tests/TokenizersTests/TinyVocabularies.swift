import Foundation
import Tokenizers

/// Small vocabularies built by hand, so each test can say exactly which tokens and merges
/// exist.
enum TinyVocabularies {
    /// GPT-2's byte-to-character mapping, derived here independently of the module.
    static let byteCharacters: [String] = {
        let kept = Array(0x21 ... 0x7E) + Array(0xA1 ... 0xAC) + Array(0xAE ... 0xFF)
        var next = 256
        return (0 ..< 256).map { byte in
            if kept.contains(byte) { return String(Unicode.Scalar(UInt8(byte))) }
            defer { next += 1 }
            return String(Character(Unicode.Scalar(UInt32(next))!))
        }
    }()

    /// A byte-level BPE vocabulary: the 256 byte characters (ids 0–255, in byte order), then
    /// the result of each merge (in merge order, skipping results already present), then
    /// `extra` tokens.
    static func byteLevel(merges: [String], extra: [(String, TokenizerVocabulary.TokenType)] = [],
                          dropping dropped: Set<String> = [], pre: String? = "gpt-2",
                          keepMergeResults: Bool = true) -> TokenizerVocabulary {
        var tokens = byteCharacters.filter { !dropped.contains($0) }
        var types = [TokenizerVocabulary.TokenType](repeating: .normal, count: tokens.count)
        if keepMergeResults {
            for merge in merges {
                let result = merge.replacingOccurrences(of: " ", with: "")
                if !tokens.contains(result) { tokens.append(result); types.append(.normal) }
            }
        }
        for (text, type) in extra { tokens.append(text); types.append(type) }
        return TokenizerVocabulary(model: .gpt2, tokens: tokens, tokenTypes: types, merges: merges,
                                   preTokenizerName: pre)
    }

    /// A SentencePiece vocabulary: `<unk>` 0, `<s>` 1, `</s>` 2, byte tokens 3–258, then
    /// `pieces` with their scores and types.
    static func sentencePiece(_ pieces: [(String, Float, TokenizerVocabulary.TokenType)],
                              addSpacePrefix: Bool = false, addBOS: Bool = true,
                              withByteTokens: Bool = true) -> TokenizerVocabulary {
        var tokens = ["<unk>", "<s>", "</s>"]
        var scores: [Float] = [0, 0, 0]
        var types: [TokenizerVocabulary.TokenType] = [.unknown, .control, .control]
        if withByteTokens {
            for byte in 0 ..< 256 {
                tokens.append("<0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + ">")
                scores.append(0)
                types.append(.byte)
            }
        }
        for (text, score, type) in pieces { tokens.append(text); scores.append(score); types.append(type) }
        return TokenizerVocabulary(model: .llama, tokens: tokens, scores: scores, tokenTypes: types,
                                   bosToken: 1, eosToken: 2, unknownToken: 0,
                                   addBOS: addBOS, addSpacePrefix: addSpacePrefix)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

extension VocabularyTokenizer {
    /// Ids of token texts, for readable expectations.
    func ids(_ pieces: String...) -> [Int32] { pieces.map { tokenID(forPiece: $0) ?? -1 } }

    /// The text a token sequence decodes to (invalid UTF-8 shown as U+FFFD).
    func decode(_ tokens: [Int32], renderSpecial: Bool = false) -> String {
        String(decoding: tokens.flatMap { bytes(for: $0, renderSpecial: renderSpecial) }, as: UTF8.self)
    }
}
