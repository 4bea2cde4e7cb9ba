import Foundation
@testable import Engine

/// A literal, unoptimised transcription of transformers' vectorised `_beam_search` (batch size 1,
/// `do_sample=False`) for checking `BeamSearch`: all `numBeams` rows exist from the start (rows
/// 1... scored -1e9), finished hypotheses live in `numBeams` fixed slots that start as -1e9
/// placeholders, and every "cannot be chosen" case is expressed by adding -1e9, as there.
/// Logits come straight from the full sequence (no cache), in double precision.
enum ReferenceBeamSearch {
    struct Settings {
        var numBeams: Int
        var lengthPenalty: Double
        var earlyStopping: GenerationParameters.EarlyStopping
        var stopTokens: Set<Int32>
        var maxNewTokens: Int
        var repetitionPenalty: Double = 1
        var penalizePrompt = false
    }

    static func run(prompt: [Int32], vocabularySize: Int, settings: Settings,
                    logitsAfter: ([Int32]) -> [Float]) -> (tokens: [Int32], score: Double) {
        let k = settings.numBeams
        let keep = max(2, 1 + settings.stopTokens.count) * k
        let big = 1.0e9
        var running: [(tokens: [Int32], score: Double)] = [([], 0)] + Array(repeating: ([], -big), count: k - 1)
        var finished: [(tokens: [Int32], score: Double, isFinished: Bool)] = Array(repeating: ([], -big, false), count: k)
        var improvable = true
        var generated = 0

        while true {
            // b. log-probabilities, penalised per beam, plus the running sums, flattened beam-major.
            var flat: [(score: Double, index: Int)] = []
            for (b, beam) in running.enumerated() {
                var row = logSoftmax(logitsAfter(prompt + beam.tokens))
                if settings.repetitionPenalty != 1 {
                    let window = Set((settings.penalizePrompt ? prompt : []) + beam.tokens)
                    for token in window where Int(token) < vocabularySize {
                        let value = row[Int(token)]
                        row[Int(token)] = value > 0 ? value / settings.repetitionPenalty : value * settings.repetitionPenalty
                    }
                }
                for v in 0..<vocabularySize { flat.append((row[v] + beam.score, b * vocabularySize + v)) }
            }
            // c. top `keep` continuations.
            let top = flat.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }.prefix(keep)
            let continuations = top.map { (tokens: running[$0.index / vocabularySize].tokens + [Int32($0.index % vocabularySize)],
                                           score: $0.score) }
            // d. which continuations hit a stopping criterion (stop token or maximum length).
            let hits = continuations.map { settings.stopTokens.contains($0.tokens.last!) || generated + 1 >= settings.maxNewTokens }
            // e. next running beams: the best `numBeams` after pushing finished ones down by 1e9.
            let runningScores = continuations.indices.map { continuations[$0].score + (hits[$0] ? -big : 0) }
            let nextOrder = runningScores.indices.sorted { runningScores[$0] > runningScores[$1] || (runningScores[$0] == runningScores[$1] && $0 < $1) }
            running = nextOrder.prefix(k).map { (continuations[$0].tokens, runningScores[$0]) }
            // f. merge newly finished top-`numBeams` continuations into the finished slots.
            let full = finished.allSatisfy(\.isFinished) && settings.earlyStopping == .whenFull
            var candidates = finished
            for (rank, continuation) in continuations.enumerated() {
                var score = continuation.score / pow(Double(generated + 1), settings.lengthPenalty)
                if full { score -= big }
                if !improvable { score -= big }
                let justFinished = hits[rank] && rank < k
                if !justFinished { score -= big }
                candidates.append((continuation.tokens, score, justFinished))
            }
            let mergedOrder = candidates.indices.sorted { candidates[$0].score > candidates[$1].score || (candidates[$0].score == candidates[$1].score && $0 < $1) }
            finished = mergedOrder.prefix(k).map { candidates[$0] }
            // g. early-stopping heuristic and loop condition.
            generated += 1
            let hypotheticalLength = settings.earlyStopping == .never && settings.lengthPenalty > 0
                ? settings.maxNewTokens : generated
            let bestPossible = running[0].score / pow(Double(hypotheticalLength), settings.lengthPenalty)
            let worst = finished.allSatisfy(\.isFinished) ? finished.map(\.score).min()! : -big
            improvable = improvable && bestPossible > worst
            let openBeam = !(finished.allSatisfy(\.isFinished) && settings.earlyStopping == .whenFull)
            let canContinue = !hits.allSatisfy { $0 }
            if !(improvable && openBeam && canContinue) { break }
        }
        return (finished[0].tokens, finished[0].score)
    }

    static func logSoftmax(_ logits: [Float]) -> [Double] {
        let values = logits.map(Double.init)
        let top = values.max()!
        let total = values.reduce(0) { $0 + exp($1 - top) }
        return values.map { $0 - top - log(total) }
    }
}

/// Exhaustive search: the best-scoring finished sequence among all sequences that end in a stop
/// token within `maxNewTokens`, or reach `maxNewTokens` tokens.
enum BruteForceSearch {
    static func best(prompt: [Int32], vocabularySize: Int, settings: ReferenceBeamSearch.Settings,
                     logitsAfter: ([Int32]) -> [Float]) -> (tokens: [Int32], score: Double) {
        var best: (tokens: [Int32], score: Double) = ([], -.infinity)
        func extend(_ tokens: [Int32], sum: Double) {
            var row = ReferenceBeamSearch.logSoftmax(logitsAfter(prompt + tokens))
            if settings.repetitionPenalty != 1 {
                for token in Set((settings.penalizePrompt ? prompt : []) + tokens) {
                    row[Int(token)] *= settings.repetitionPenalty
                }
            }
            for v in 0..<vocabularySize {
                let next = tokens + [Int32(v)]
                let total = sum + row[v]
                if settings.stopTokens.contains(Int32(v)) || next.count == settings.maxNewTokens {
                    let score = total / pow(Double(next.count), settings.lengthPenalty)
                    if score > best.score { best = (next, score) }
                } else {
                    extend(next, sum: total)
                }
            }
        }
        extend([], sum: 0)
        return best
    }
}
