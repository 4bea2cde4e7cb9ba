import Foundation
import Testing
import Tokenizers

/// The SentencePiece fixture of Fixtures/spm, made by scripts/make_spm_fixture.py: a small BPE
/// `tokenizer.model` trained by sentencepiece with InternLM-XComposer's settings, and
/// expected.json with what sentencepiece itself reads from it and encodes with it.
enum SentencePieceModelFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/spm")
    static let modelPath = directory.appendingPathComponent("tokenizer.model").path

    /// One `[piece, score, type]` entry.
    struct Piece: Decodable {
        let text: String
        let score: Double
        let type: Int32

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            text = try container.decode(String.self)
            score = try container.decode(Double.self)
            type = try container.decode(Int32.self)
        }
    }

    struct Trainer: Decodable {
        let model_type: Int32
        let vocab_size: Int32
        let byte_fallback: Bool
        let split_digits: Bool
        let treat_whitespace_as_suffix: Bool
        let max_sentencepiece_length: Int32
        let unk_id: Int32
        let bos_id: Int32
        let eos_id: Int32
        let pad_id: Int32
    }

    struct Normalizer: Decodable {
        let name: String
        let add_dummy_prefix: Bool
        let remove_extra_whitespaces: Bool
        let escape_whitespaces: Bool
    }

    struct Model: Decodable {
        let bytes: Int
        let trainer: Trainer
        let normalizer: Normalizer
        let pieces: [Piece]
    }

    /// sentencepiece's `encode(text)` ids (no BOS or EOS), their pieces, and `decode(ids)`.
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let text: String
        let ids: [Int32]
        let pieces: [String]
        let decoded: String
        var testDescription: String { text.debugDescription }
    }

    struct Expected: Decodable {
        let generator: String
        let model: Model
        let cases: [Case]
    }

    static let expected: Expected = {
        do {
            let data = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
            return try JSONDecoder().decode(Expected.self, from: data)
        } catch {
            fatalError("Fixtures/spm/expected.json: \(error)")
        }
    }()

    static let modelBytes: [UInt8] = {
        guard let data = FileManager.default.contents(atPath: modelPath) else {
            fatalError("\(modelPath): missing")
        }
        return [UInt8](data)
    }()
}
