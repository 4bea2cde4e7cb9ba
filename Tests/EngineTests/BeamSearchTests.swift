import Foundation
import Testing
@testable import Engine

/// Runs `BeamSearch` on a fake model the way the generator does (prefill into slot 0 first).
private func search(_ model: FakeModel, prompt: [Int32], _ parameters: GenerationParameters,
                    stopTokens: Set<Int32>, maxNewTokens: Int? = nil,
                    shouldCancel: () -> Bool = { false },
                    onCommit: (ArraySlice<Int32>) -> Bool = { _ in true }) throws -> BeamSearchResult {
    let logits = try model.prefill(tokens: prompt, slot: 0, position: 0, shouldCancel: { false })
    let beams = try BeamSearch(model: model, parameters: parameters, stopTokens: stopTokens)
    return try beams.run(prompt: prompt, promptLogits: logits, maxNewTokens: maxNewTokens ?? parameters.maxNewTokens,
                         limitedByContext: false, shouldCancel: shouldCancel, onCommit: onCommit)
}

private func beamParameters(_ settings: ReferenceBeamSearch.Settings) -> GenerationParameters {
    GenerationParameters(maxNewTokens: settings.maxNewTokens, temperature: 0, topK: 0, topP: 1, minP: 0,
                         repetitionPenalty: Float(settings.repetitionPenalty), penaltyLastN: nil,
                         penalizePrompt: settings.penalizePrompt, numBeams: settings.numBeams,
                         lengthPenalty: Float(settings.lengthPenalty), earlyStopping: settings.earlyStopping)
}

/// Logits from a table keyed by the generated tokens (after a one-token prompt), given as
/// probabilities; sequences not in the table get a uniform distribution.
private func tableLogits(vocabularySize: Int, _ table: [[Int32]: [Double]]) -> ([Int32]) -> [Float] {
    return { sequence in
        let generated = Array(sequence.dropFirst())
        guard let probabilities = table[generated] else { return [Float](repeating: 0, count: vocabularySize) }
        return probabilities.map { Float(log($0)) }
    }
}

/// Hashed logits with the stop tokens pushed up, so hypotheses finish at many different steps.
private func stopBiasedLogits(vocabularySize: Int, salt: UInt64, stopTokens: Set<Int32>, bias: Float) -> ([Int32]) -> [Float] {
    let base = hashedLogits(vocabularySize: vocabularySize, salt: salt, spread: 3)
    return { sequence in
        var row = base(sequence)
        for token in stopTokens { row[Int(token)] += bias }
        return row
    }
}

@Suite struct BeamSearchTests {
    /// Worked by hand from transformers' rules (stop token 0, tokens a = 1, b = 2, c = 3,
    /// 2 beams, 4 candidates per step, length penalty 1, at most 3 new tokens):
    /// step 1: a −0.916, stop −1.204 (rank 1 < 2: finished, −1.204 / 1), b −1.609 → beams a, b.
    /// step 2: [a stop] −1.609 (rank 0: finished, −1.609 / 2 = −0.805), [b a] −1.715, [a b] −2.120
    ///         → finished set full; best beam −1.715 / 2 = −0.857 > worst −1.204, so go on.
    /// step 3 (last): [b a stop] −2.226 → −0.742 replaces −1.204; [a b a] −2.477 → −0.826 loses to
    ///         −0.805. Winner [b a stop], although greedy decoding would say "a" and stop.
    let handTable: [[Int32]: [Double]] = [
        []: [0.3, 0.4, 0.2, 0.1],
        [1]: [0.5, 0.1, 0.3, 0.1],
        [2]: [0.05, 0.9, 0.03, 0.02],
        [2, 1]: [0.6, 0.2, 0.1, 0.1],
        [1, 2]: [0.2, 0.7, 0.05, 0.05],
    ]

    @Test func handComputedLengthPenaltyOne() throws {
        let model = FakeModel(vocabularySize: 4, sequenceSlots: 2, logitsAfter: tableLogits(vocabularySize: 4, handTable))
        let parameters = beamParameters(.init(numBeams: 2, lengthPenalty: 1, earlyStopping: .heuristic,
                                              stopTokens: [0], maxNewTokens: 3))
        let result = try search(model, prompt: [3], parameters, stopTokens: [0])
        #expect(result.tokens == [2, 1, 0])
        #expect(abs(Double(result.score) - (log(0.2) + log(0.9) + log(0.6)) / 3) < 1e-5)
        #expect(result.finishReason == .stopToken)
        #expect(result.steps == 3)
        #expect(model.decodeBatchSizes == [2, 2])
        #expect(model.misuse.isEmpty)
    }

    /// Length penalty 0 scores plain sums: after step 2 the finished set is {[stop] −1.204,
    /// [a stop] −1.609} and the best beam's −1.715 cannot beat −1.609, so the search stops early
    /// with the one-token hypothesis.
    @Test func handComputedLengthPenaltyZeroStopsEarly() throws {
        let model = FakeModel(vocabularySize: 4, sequenceSlots: 2, logitsAfter: tableLogits(vocabularySize: 4, handTable))
        let parameters = beamParameters(.init(numBeams: 2, lengthPenalty: 0, earlyStopping: .heuristic,
                                              stopTokens: [0], maxNewTokens: 3))
        let result = try search(model, prompt: [3], parameters, stopTokens: [0])
        #expect(result.tokens == [0])
        #expect(abs(Double(result.score) - log(0.3)) < 1e-5)
        #expect(result.steps == 2)
        #expect(model.decodeBatchSizes == [2])
    }

    /// `early_stopping=True` stops as soon as the finished set is full: after step 2 it holds
    /// [a stop] −0.805 and [stop] −1.204, and [b a stop] is never explored.
    @Test func handComputedWhenFullStopsAtOnce() throws {
        let model = FakeModel(vocabularySize: 4, sequenceSlots: 2, logitsAfter: tableLogits(vocabularySize: 4, handTable))
        let parameters = beamParameters(.init(numBeams: 2, lengthPenalty: 1, earlyStopping: .whenFull,
                                              stopTokens: [0], maxNewTokens: 3))
        let result = try search(model, prompt: [3], parameters, stopTokens: [0])
        #expect(result.tokens == [1, 0])
        #expect(abs(Double(result.score) - (log(0.4) + log(0.5)) / 2) < 1e-5)
        #expect(result.steps == 2)
    }

    /// A stop token ranked at or below `numBeams` among the candidates is dropped, even when it
    /// would have been the best hypothesis: here [stop] (−1.609, rank 2 of a, b, stop) beats every
    /// two-token sequence under length penalty 0, yet the answer is [a c] = ln 0.45 + ln 0.4.
    @Test func lowRankedStopTokenIsNotAFinishedHypothesis() throws {
        let table: [[Int32]: [Double]] = [
            []: [0.2, 0.45, 0.3, 0.05],
            [1]: [0.1, 0.2, 0.3, 0.4],
            [2]: [0.1, 0.2, 0.3, 0.4],
        ]
        let model = FakeModel(vocabularySize: 4, sequenceSlots: 2, logitsAfter: tableLogits(vocabularySize: 4, table))
        let parameters = beamParameters(.init(numBeams: 2, lengthPenalty: 0, earlyStopping: .heuristic,
                                              stopTokens: [0], maxNewTokens: 2))
        let result = try search(model, prompt: [3], parameters, stopTokens: [0])
        #expect(result.tokens == [1, 3])
        #expect(abs(Double(result.score) - (log(0.45) + log(0.4))) < 1e-5)
        #expect(result.finishReason == .maxTokens)
    }

    /// With enough beams that nothing is ever pruned and `early_stopping="never"`, beam search is
    /// exhaustive: it must return the best of all sequences, for every length penalty.
    @Test(arguments: [1.0, 0.5, 2.0, 0.0, -1.0])
    func matchesBruteForceWhenNothingIsPruned(lengthPenalty: Double) throws {
        for salt: UInt64 in 0..<12 {
            // 3 ids (0 stops), 3 new tokens: at most 4 beams × 3 ids = 12 candidates per step.
            for penalty in [1.0, 1.4] {
                let settings = ReferenceBeamSearch.Settings(numBeams: 12, lengthPenalty: lengthPenalty,
                                                            earlyStopping: .never, stopTokens: [0], maxNewTokens: 3,
                                                            repetitionPenalty: penalty, penalizePrompt: salt % 2 == 0)
                let logits = stopBiasedLogits(vocabularySize: 3, salt: salt, stopTokens: [0], bias: 0.5)
                let model = FakeModel(vocabularySize: 3, sequenceSlots: 12, logitsAfter: logits)
                let result = try search(model, prompt: [1, 2], beamParameters(settings), stopTokens: [0])
                let expected = BruteForceSearch.best(prompt: [1, 2], vocabularySize: 3, settings: settings, logitsAfter: logits)
                #expect(result.tokens == expected.tokens, "salt \(salt), penalty \(penalty)")
                #expect(abs(Double(result.score) - expected.score) < 1e-4)
                #expect(model.misuse.isEmpty)
            }
        }
    }

    @Test func matchesBruteForceWithTwoStopTokens() throws {
        for salt: UInt64 in 20..<30 {
            // 4 ids (0 and 1 stop), 3 new tokens: at most 4 beams × 4 ids = 16 candidates.
            let settings = ReferenceBeamSearch.Settings(numBeams: 16, lengthPenalty: 1, earlyStopping: .never,
                                                        stopTokens: [0, 1], maxNewTokens: 3)
            let logits = stopBiasedLogits(vocabularySize: 4, salt: salt, stopTokens: [0, 1], bias: 0)
            let model = FakeModel(vocabularySize: 4, sequenceSlots: 16, logitsAfter: logits)
            let result = try search(model, prompt: [2], beamParameters(settings), stopTokens: [0, 1])
            let expected = BruteForceSearch.best(prompt: [2], vocabularySize: 4, settings: settings, logitsAfter: logits)
            #expect(result.tokens == expected.tokens, "salt \(salt)")
            #expect(abs(Double(result.score) - expected.score) < 1e-4)
        }
    }

    /// Against the literal transcription of transformers' algorithm on many random tables and
    /// settings. The fake model's logits depend on the whole sequence in each slot, so any mistake
    /// in moving caches between slots changes the outcome.
    @Test func matchesTransformersOnRandomTables() throws {
        var random = Xoshiro256StarStar(seed: 2718)
        let vocabulary = 12
        var copiesSeen = 0
        for case_ in 0..<240 {
            let numBeams = 2 + Int(random.next() % 3)
            let stopTokens: Set<Int32> = random.next() % 2 == 0 ? [0] : [0, 5]
            let settings = ReferenceBeamSearch.Settings(
                numBeams: numBeams,
                lengthPenalty: [1.0, 0.5, 2.0, 0.0, -0.5][Int(random.next() % 5)],
                earlyStopping: [.heuristic, .whenFull, .never][Int(random.next() % 3)],
                stopTokens: stopTokens,
                maxNewTokens: 2 + Int(random.next() % 7),
                repetitionPenalty: random.next() % 2 == 0 ? 1 : 1.3,
                penalizePrompt: random.next() % 2 == 0)
            let logits = stopBiasedLogits(vocabularySize: vocabulary, salt: UInt64(case_), stopTokens: stopTokens,
                                          bias: Float(random.next() % 3))
            let prompt: [Int32] = [Int32(random.next() % 12), 3, 7]
            let model = FakeModel(vocabularySize: vocabulary, sequenceSlots: numBeams, logitsAfter: logits)
            let result = try search(model, prompt: prompt, beamParameters(settings), stopTokens: stopTokens)
            let expected = ReferenceBeamSearch.run(prompt: prompt, vocabularySize: vocabulary, settings: settings,
                                                   logitsAfter: logits)
            #expect(result.tokens == expected.tokens, "case \(case_): \(settings)")
            #expect(abs(Double(result.score) - expected.score) < 1e-4 * max(1, abs(expected.score)), "case \(case_)")
            #expect(model.misuse.isEmpty)
            // One decode call per step, holding every live beam.
            #expect(model.decodeBatchSizes.count == result.steps - 1)
            #expect(model.decodeBatchSizes.allSatisfy { $0 == numBeams })
            copiesSeen += model.copies.count
        }
        #expect(copiesSeen > 0)
    }

    @Test func commitsTokensAllBeamsAgreeOn() throws {
        // One dominant path: beams differ only in their last token, so tokens are committed with
        // a lag of one step, and the commits spell the final answer.
        let vocabulary = 8
        let script: [Int32] = [3, 4, 5, 6, 7, 3, 0]
        let model = FakeModel(vocabularySize: vocabulary, sequenceSlots: 3,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: script))
        var parameters = GenerationParameters.greedy
        parameters.numBeams = 3
        parameters.maxNewTokens = 20
        var commits: [[Int32]] = []
        let result = try search(model, prompt: [1], parameters, stopTokens: [0],
                                onCommit: { commits.append(Array($0)); return true })
        #expect(result.tokens == script)
        #expect(commits.count > 2)
        #expect(commits.flatMap { $0 } == Array(script.dropLast()))
    }

    @Test func commitRefusalStopsTheSearch() throws {
        let vocabulary = 8
        let script: [Int32] = [3, 4, 5, 6, 7, 3, 0]
        let model = FakeModel(vocabularySize: vocabulary, sequenceSlots: 2,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: script))
        var parameters = GenerationParameters.greedy
        parameters.numBeams = 2
        var seen: [Int32] = []
        let result = try search(model, prompt: [1], parameters, stopTokens: [0], onCommit: { tokens in
            seen += tokens
            return !tokens.contains(5)
        })
        #expect(result.finishReason == .stopString)
        #expect(seen.starts(with: [3, 4, 5]))
        #expect(result.steps < script.count)
    }

    @Test func cancellationReturnsTheBestSoFar() throws {
        let vocabulary = 8
        let model = FakeModel(vocabularySize: vocabulary, sequenceSlots: 2,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: [3, 4, 5, 6]))
        var parameters = GenerationParameters.greedy
        parameters.numBeams = 2
        var polls = 0
        let result = try search(model, prompt: [1], parameters, stopTokens: [0], shouldCancel: {
            polls += 1
            return polls >= 3
        })
        #expect(result.finishReason == .cancelled)
        #expect(result.tokens == [3, 4, 5])
    }

    @Test func tooFewSlotsIsAnError() {
        let model = FakeModel(vocabularySize: 4, sequenceSlots: 2, logitsAfter: hashedLogits(vocabularySize: 4, salt: 1))
        #expect(throws: EngineError.notEnoughSequenceSlots(needed: 3, available: 2)) {
            _ = try BeamSearch(model: model, parameters: GenerationParameters(numBeams: 3), stopTokens: [])
        }
    }
}
