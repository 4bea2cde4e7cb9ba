import Foundation
import Testing
import Tokenizers

/// Where sentencepiece and the existing SentencePiece BPE (llama.cpp's algorithm) part ways:
/// sentencepiece merges only into normal, user-defined and unused pieces, never into control
/// (`<s>`), byte (`<0x41>`) or unknown pieces, and splits a merged unused piece back into the
/// pieces it was made of; llama.cpp merges into any token and emits unused ones. The
/// hand-made Fixtures/spm/reserved.model has merges leading to each; reserved.json holds
/// sentencepiece's ids. The known differences are recorded as known issues, so this test
/// fails once SentencePieceBPE is fixed (then drop them from `knownDifferences`) and also if
/// any other case stops matching.
@Suite("SentencePiece model file: reserved pieces")
struct SentencePieceModelReservedPieceTests {
    static let cases: [SentencePieceModelFixture.Case] = {
        let url = SentencePieceModelFixture.directory.appendingPathComponent("reserved.json")
        guard let data = try? Data(contentsOf: url),
              let cases = try? JSONDecoder().decode([SentencePieceModelFixture.Case].self, from: data) else {
            fatalError("\(url.path): missing or unreadable")
        }
        return cases
    }()

    /// Texts whose ids differ today: merges into `<s>` and `<0x41>`, and the unused `ba`.
    static let knownDifferences: Set<String> = ["<s>", "x<s>y", "<0x41>", "aba", "ba"]

    @Test(arguments: cases)
    func encodesAsSentencePiece(_ reference: SentencePieceModelFixture.Case) throws {
        let path = SentencePieceModelFixture.directory.appendingPathComponent("reserved.model").path
        let tokenizer = try SentencePieceModelFile(contentsOf: path).makeTokenizer()
        let ids = tokenizer.encode(reference.text, addSpecial: false, parseSpecial: false)
        if Self.knownDifferences.contains(reference.text) {
            withKnownIssue("SentencePieceBPE merges into control, byte and unused pieces") {
                #expect(ids == reference.ids, "\(ids.map { tokenizer.piece(for: $0) })")
            }
        } else {
            #expect(ids == reference.ids, "\(ids.map { tokenizer.piece(for: $0) })")
        }
    }
}
