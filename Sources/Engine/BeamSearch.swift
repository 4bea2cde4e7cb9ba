#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LanguageModels

/// The outcome of one beam search.
public struct BeamSearchResult: Sendable, Equatable {
    /// The chosen hypothesis's generated tokens, ending with its stop token if one ended it.
    public var tokens: [Int32]
    /// Its beam score: summed log-probabilities / (length ^ lengthPenalty).
    public var score: Float
    public var finishReason: FinishReason
    /// Search steps run, i.e. tokens generated per beam.
    public var steps: Int
}

/// Beam search with the rules of Hugging Face transformers' `_beam_search` (`do_sample=False`),
/// run over the model's KV-cache sequence slots, one slot per beam.
///
/// Each step scores every live beam with `log_softmax(logits)`, applies the repetition penalty to
/// those log-probabilities per beam (transformers applies its logits processors after the
/// log-softmax in beam search), adds the beam's running sum, and keeps the best
/// `max(2, 1 + stopTokens.count) × numBeams` continuations over all beams. Going down that list,
/// a continuation ending in a stop token (or reaching the length limit) becomes a finished
/// hypothesis only if its rank is below `numBeams`, scored `sum / length ^ lengthPenalty` where
/// the length counts generated tokens including the stop token; the first `numBeams` others
/// become the next beams. The finished set keeps the best `numBeams` hypotheses. The search stops
/// by `earlyStopping`'s rule, when the length limit is reached, or when no beam can continue.
///
/// All live beams are decoded in one `decode(tokens:slots:positions:)` call. Before it, each new
/// beam takes over its parent's slot if it is the parent's first child; other children get a copy
/// of the parent's cache in a slot no surviving beam uses (`copySequence`), so nothing a later
/// copy reads is overwritten first.
///
/// Departure from transformers, only visible with tiny vocabularies: at the first step only beam 0
/// exists (transformers keeps `numBeams - 1` placeholder beams scored -1e9), and if fewer than
/// `numBeams` continuations can go on, fewer beams run instead of placeholders.
public final class BeamSearch {
    public let numBeams: Int
    private let model: any CausalLanguageModel
    private let parameters: GenerationParameters
    private let stopTokens: Set<Int32>
    private let vocabularySize: Int
    private let rowScores: UnsafeMutableBufferPointer<Float>
    private var penalty: RepetitionPenalty
    private var top: TopCandidates

    private struct Beam {
        var tokens: [Int32]
        var score: Float
        var slot: Int
        var parent: Int
    }

    private struct Hypothesis {
        var tokens: [Int32]
        var score: Float
    }

    /// Prepares a search of `parameters.numBeams` beams; fails when the model has too few slots.
    public init(model: any CausalLanguageModel, parameters: GenerationParameters,
                stopTokens: Set<Int32>) throws(EngineError) {
        numBeams = max(parameters.numBeams, 1)
        guard model.sequenceSlots >= numBeams else {
            throw .notEnoughSequenceSlots(needed: numBeams, available: model.sequenceSlots)
        }
        self.model = model
        self.parameters = parameters
        self.stopTokens = stopTokens
        vocabularySize = model.vocabularySize
        rowScores = .allocate(capacity: max(numBeams * vocabularySize, 1))
        penalty = RepetitionPenalty(parameters, vocabularySize: vocabularySize)
        top = TopCandidates(capacity: max(2, 1 + stopTokens.count) * numBeams)
    }

    deinit { rowScores.deallocate() }

    /// Runs the search after `prompt`, which must already be prefilled into slot 0.
    ///
    /// - Parameters:
    ///   - promptLogits: the prefill's logits (one row).
    ///   - maxNewTokens: the length limit in generated tokens, already capped by the context.
    ///   - limitedByContext: whether that cap came from the context (reported as `.contextFull`).
    ///   - shouldCancel: checked before every step.
    ///   - onCommit: receives tokens as soon as every live beam and finished hypothesis agrees on
    ///     them (they are then certain to start the result), and at the end the rest of the chosen
    ///     hypothesis without its stop token. Returning false ends the search with `.stopString`.
    public func run(prompt: [Int32], promptLogits: UnsafeBufferPointer<Float>, maxNewTokens: Int,
                    limitedByContext: Bool, shouldCancel: () -> Bool,
                    onCommit: (ArraySlice<Int32>) -> Bool) throws -> BeamSearchResult {
        let lengthPenalty = Double(parameters.lengthPenalty)
        let limit = max(maxNewTokens, 1)
        var live = [Beam(tokens: [], score: 0, slot: 0, parent: 0)]
        var finished: [Hypothesis] = []
        var heuristicOpen = true
        var committed = 0
        var rows = promptLogits
        var step = 0

        func addFinished(_ hypothesis: Hypothesis) {
            if finished.count == numBeams {
                guard let worst = finished.last, hypothesis.score > worst.score else { return }
                finished.removeLast()
            }
            let index = finished.firstIndex { hypothesis.score > $0.score } ?? finished.count
            finished.insert(hypothesis, at: index)
        }

        func normalised(_ sum: Float, length: Int) -> Float {
            Float(Double(sum) / pow(Double(max(length, 1)), lengthPenalty))
        }

        func reason(for tokens: [Int32]) -> FinishReason {
            if let last = tokens.last, stopTokens.contains(last) { return .stopToken }
            return limitedByContext ? .contextFull : .maxTokens
        }

        func finish(_ tokens: [Int32], score: Float, reason: FinishReason) -> BeamSearchResult {
            let end = tokens.last.map { stopTokens.contains($0) } == true ? tokens.count - 1 : tokens.count
            var reason = reason
            if end > committed, !onCommit(tokens[committed..<end]) { reason = .stopString }
            return BeamSearchResult(tokens: tokens, score: score, finishReason: reason, steps: step)
        }

        while true {
            let candidates = scoreContinuations(of: live, rows: rows, prompt: prompt)
            step += 1
            let atLimit = step >= limit
            let mayFinish = heuristicOpen
                && !(finished.count == numBeams && parameters.earlyStopping == .whenFull)
            var next: [Beam] = []
            for (rank, candidate) in candidates.enumerated() {
                let parent = candidate.index / vocabularySize
                let token = Int32(candidate.index % vocabularySize)
                if atLimit || stopTokens.contains(token) {
                    if rank < numBeams, mayFinish {
                        addFinished(Hypothesis(tokens: live[parent].tokens + [token],
                                               score: normalised(candidate.score, length: step)))
                    }
                } else if next.count < numBeams {
                    next.append(Beam(tokens: live[parent].tokens + [token], score: candidate.score,
                                     slot: -1, parent: parent))
                }
            }

            if heuristicOpen, finished.count == numBeams, let worst = finished.last {
                if let best = next.first {
                    let bound = parameters.earlyStopping == .never && lengthPenalty > 0 ? limit : step
                    heuristicOpen = normalised(best.score, length: bound) > worst.score
                } else {
                    heuristicOpen = false
                }
            }
            let done = !heuristicOpen || next.isEmpty
                || (finished.count == numBeams && parameters.earlyStopping == .whenFull)
            if done {
                if let best = finished.first {
                    return finish(best.tokens, score: best.score, reason: reason(for: best.tokens))
                }
                // Only when every kept continuation was a low-ranked stop token: take the best one.
                guard let first = candidates.first else {
                    return finish([], score: 0, reason: reason(for: []))
                }
                let tokens = live[first.index / vocabularySize].tokens + [Int32(first.index % vocabularySize)]
                return finish(tokens, score: normalised(first.score, length: step), reason: reason(for: tokens))
            }

            // Tokens every beam and finished hypothesis shares are final: release them now.
            let agreed = commonPrefixLength(next.map(\.tokens) + finished.map(\.tokens))
            if agreed > committed {
                let tokens = next[0].tokens
                if !onCommit(tokens[committed..<agreed]) {
                    return BeamSearchResult(tokens: Array(tokens[..<agreed]),
                                            score: normalised(next[0].score, length: step),
                                            finishReason: .stopString, steps: step)
                }
                committed = agreed
            }

            if shouldCancel() {
                var best = Hypothesis(tokens: next[0].tokens, score: normalised(next[0].score, length: step))
                if let top = finished.first, top.score >= best.score { best = top }
                return finish(best.tokens, score: best.score, reason: .cancelled)
            }

            assignSlots(&next, parents: live, promptLength: prompt.count)
            let position = prompt.count + step - 1
            rows = try model.decode(tokens: next.map { $0.tokens[$0.tokens.count - 1] },
                                    slots: next.map(\.slot),
                                    positions: Array(repeating: position, count: next.count))
            live = next
        }
    }

    /// Scores all continuations of the live beams and returns the best, best first.
    private func scoreContinuations(of live: [Beam], rows: UnsafeBufferPointer<Float>,
                                    prompt: [Int32]) -> [(score: Float, index: Int)] {
        let vocabulary = vocabularySize
        top.removeAll()
        let promptWindow = parameters.penalizePrompt ? prompt[...] : []
        for (b, beam) in live.enumerated() {
            let row = UnsafeMutableBufferPointer(rebasing: rowScores[(b * vocabulary)..<((b + 1) * vocabulary)])
            guard rows.count >= (b + 1) * vocabulary else {
                for i in 0..<vocabulary { row[i] = -.infinity }
                continue
            }
            logSoftmax(UnsafeBufferPointer(rebasing: rows[(b * vocabulary)..<((b + 1) * vocabulary)]), into: row)
            penalty.apply(to: row, prompt: promptWindow, generated: beam.tokens[...])
            let base = b * vocabulary
            for i in 0..<vocabulary {
                let score = row[i] + beam.score
                if score > -.infinity { top.offer(score: score, index: base + i) }
            }
        }
        return top.sortedBestFirst()
    }

    /// Gives every new beam a slot holding its parent's cache (see the type's documentation).
    private func assignSlots(_ next: inout [Beam], parents: [Beam], promptLength: Int) {
        var parentTaken = [Bool](repeating: false, count: parents.count)
        var slotTaken = [Bool](repeating: false, count: numBeams)
        for j in next.indices where !parentTaken[next[j].parent] {
            parentTaken[next[j].parent] = true
            next[j].slot = parents[next[j].parent].slot
            slotTaken[next[j].slot] = true
        }
        var free = (0..<numBeams).filter { !slotTaken[$0] }
        for j in next.indices where next[j].slot < 0 {
            let parent = parents[next[j].parent]
            let destination = free.removeLast()
            model.copySequence(from: parent.slot, to: destination,
                               length: promptLength + parent.tokens.count)
            next[j].slot = destination
        }
    }
}

/// Writes `log_softmax(logits)`; NaN logits count as -infinity.
func logSoftmax(_ logits: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
    var top = -Float.infinity
    for value in logits where value > top { top = value }
    guard top.isFinite else {
        // All -infinity (or NaN): nothing is possible. Some +infinity: they share all the mass.
        var infinite = 0
        for value in logits where value == .infinity { infinite += 1 }
        let share = infinite > 0 ? -logf(Float(infinite)) : -.infinity
        for i in 0..<logits.count { output[i] = logits[i] == .infinity ? share : -.infinity }
        return
    }
    var total = 0.0
    for value in logits where !value.isNaN { total += Double(expf(value - top)) }
    let logTotal = top + Float(log(total))
    for i in 0..<logits.count {
        let value = logits[i]
        output[i] = value.isNaN ? -.infinity : value - logTotal
    }
}

/// Length of the longest prefix all sequences share.
func commonPrefixLength(_ sequences: [[Int32]]) -> Int {
    guard let first = sequences.first else { return 0 }
    var length = first.count
    for sequence in sequences.dropFirst() {
        length = min(length, sequence.count)
        var i = 0
        while i < length, sequence[i] == first[i] { i += 1 }
        length = i
    }
    return length
}
