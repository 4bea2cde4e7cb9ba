@testable import Engine

/// Pieces shared by the generator and engine tests. Id 0 is an end-of-sequence control token.
let testPieces: [String?] = [nil, "a", "b", "c", " ", "<", "|", "end", ">", nil, nil, "x", "y", "z", "!", "\n"]
let eos: Int32 = 0

func testTokenizer(endOfGeneration: Set<Int32> = [eos]) -> FakeTokenizer {
    var pieces = testPieces.map { $0.map { Array($0.utf8) } }
    pieces[9] = [0xC3]   // first byte of "é"
    pieces[10] = [0xA9]  // second byte of "é"
    return FakeTokenizer(pieces: pieces, eos: eos, endOfGeneration: endOfGeneration)
}

/// Logits that make greedy decoding follow `script` after a prompt of `promptLength` tokens
/// (token `script[i]` scores 5, the rest 0), then repeat `fallback`.
func scriptedLogits(vocabularySize: Int, promptLength: Int, script: [Int32],
                    fallback: Int32 = 1) -> ([Int32]) -> [Float] {
    return { sequence in
        let step = sequence.count - promptLength
        let token = step >= 0 && step < script.count ? script[step] : fallback
        var row = [Float](repeating: 0, count: vocabularySize)
        row[Int(token)] = 5
        return row
    }
}

/// Text of `tokens` under the test tokenizer.
func text(of tokens: [Int32], tokenizer: FakeTokenizer = testTokenizer()) -> String {
    String(decoding: tokens.flatMap { tokenizer.bytes(for: $0, renderSpecial: false) }, as: UTF8.self)
}

/// What one run reported, split by kind, plus whether the kinds came in the documented order.
struct RecordedRun {
    var events: [EngineEvent] = []

    var text: String {
        events.reduce(into: "") { if case let .text(piece) = $1 { $0 += piece } }
    }
    var textEvents: [String] {
        events.compactMap { if case let .text(piece) = $0 { return piece } else { return nil } }
    }
    var progress: [(done: Int, total: Int)] {
        events.compactMap { if case let .progress(done, total) = $0 { return (done, total) } else { return nil } }
    }
    var stats: GenerationStatistics? {
        events.lazy.compactMap { if case let .stats(stats) = $0 { return stats } else { return nil } }.first
    }
    var finish: FinishReason? {
        if case let .finished(reason) = events.last { return reason }
        return nil
    }

    /// progress* text* (stats)? (error)? finished, with exactly one finished, at the end.
    var isWellOrdered: Bool {
        func rank(_ event: EngineEvent) -> Int {
            switch event {
            case .progress: return 0
            case .text: return 1
            case .stats: return 2
            case .error: return 3
            case .finished: return 4
            }
        }
        let ranks = events.map(rank)
        let finishedCount = ranks.filter { $0 == 4 }.count
        return ranks == ranks.sorted() && finishedCount == 1 && ranks.last == 4
            && ranks.filter { $0 == 2 }.count <= 1
    }
}
