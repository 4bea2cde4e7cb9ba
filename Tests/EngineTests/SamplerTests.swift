import Foundation
import Testing
@testable import Engine

/// Logits whose softmax is exactly `probabilities` (up to float rounding).
private func logits(forProbabilities probabilities: [Double]) -> [Float] {
    probabilities.map { Float(log($0)) }
}

private func softmax(_ values: [Float]) -> [Double] {
    let top = values.max() ?? 0
    let weights = values.map { exp(Double($0 - top)) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
}

private func distribution(_ logits: [Float], _ parameters: GenerationParameters,
                          prompt: [Int32] = [], generated: [Int32] = []) -> [Int32: Double] {
    let sampler = Sampler(parameters: parameters, vocabularySize: logits.count)
    let entries = logits.withUnsafeBufferPointer {
        sampler.distribution(logits: $0, prompt: prompt[...], generated: generated[...])
    }
    return Dictionary(uniqueKeysWithValues: entries.map { ($0.token, $0.probability) })
}

private func expectClose(_ actual: [Int32: Double], _ expected: [Int32: Double],
                         tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Set(actual.keys) == Set(expected.keys), sourceLocation: sourceLocation)
    for (token, probability) in expected {
        #expect(abs((actual[token] ?? -1) - probability) < tolerance,
                "token \(token): \(actual[token] ?? -1) vs \(probability)", sourceLocation: sourceLocation)
    }
}

/// Only the filter under test is on; temperature 1 keeps the probabilities comparable.
private func only(topK: Int = 0, topP: Float = 1, minP: Float = 0, temperature: Float = 1,
                  repetitionPenalty: Float = 1, penaltyLastN: Int? = nil, penalizePrompt: Bool = true,
                  seed: UInt64 = 1) -> GenerationParameters {
    GenerationParameters(temperature: temperature, topK: topK, topP: topP, minP: minP,
                         repetitionPenalty: repetitionPenalty, penaltyLastN: penaltyLastN,
                         penalizePrompt: penalizePrompt, seed: seed)
}

@Suite struct SamplerTests {
    let base = logits(forProbabilities: [0.1, 0.5, 0.15, 0.25])

    @Test func greedyPicksTheArgmax() {
        var random = Xoshiro256StarStar(seed: 3)
        let sampler = Sampler(parameters: .greedy, vocabularySize: 100)
        for _ in 0..<50 {
            let row = (0..<100).map { _ in Float(random.nextUnitDouble() * 20 - 10) }
            let expected = Int32(row.indices.max { row[$0] < row[$1] }!)
            #expect(row.withUnsafeBufferPointer { sampler.next(logits: $0) } == expected)
        }
    }

    @Test func greedyBreaksTiesTowardsTheLowestIdAndIgnoresNaN() {
        let sampler = Sampler(parameters: .greedy, vocabularySize: 5)
        let row: [Float] = [.nan, 1, 3, 3, -2]
        #expect(row.withUnsafeBufferPointer { sampler.next(logits: $0) } == 2)
    }

    @Test func unfilteredDistributionIsTheSoftmax() {
        let expected = softmax(base)
        expectClose(distribution(base, only()), [0: expected[0], 1: expected[1], 2: expected[2], 3: expected[3]])
    }

    @Test func topKKeepsTheKMostLikely() {
        // Renormalised over {1, 3}: 0.5 / 0.75 and 0.25 / 0.75.
        expectClose(distribution(base, only(topK: 2)), [1: 2.0 / 3, 3: 1.0 / 3])
        expectClose(distribution(base, only(topK: 3)), [1: 0.5 / 0.9, 3: 0.25 / 0.9, 2: 0.15 / 0.9])
        // k at least the vocabulary disables it.
        #expect(distribution(base, only(topK: 9)).count == 4)
    }

    @Test func topKOnALargeVocabularyMatchesSorting() {
        var random = Xoshiro256StarStar(seed: 11)
        let row = (0..<5000).map { _ in Float(random.nextUnitDouble() * 16 - 8) }
        let kept = Set(distribution(row, only(topK: 37)).keys)
        let sorted = row.indices.sorted { row[$0] > row[$1] }.prefix(37).map { Int32($0) }
        #expect(kept == Set(sorted))
    }

    @Test func topPKeepsTheSmallestSetReachingP() {
        // Sorted: 0.5 (id 1), 0.25 (id 3), 0.15 (id 2), 0.1 (id 0).
        expectClose(distribution(base, only(topP: 0.4)), [1: 1])
        expectClose(distribution(base, only(topP: 0.74)), [1: 2.0 / 3, 3: 1.0 / 3])
        expectClose(distribution(base, only(topP: 0.76)), [1: 0.5 / 0.9, 3: 0.25 / 0.9, 2: 0.15 / 0.9])
        #expect(distribution(base, only(topP: 0.95)).count == 4)
    }

    @Test func topPOnALargeVocabularyMatchesSorting() {
        var random = Xoshiro256StarStar(seed: 12)
        let row = (0..<3000).map { _ in Float(random.nextUnitDouble() * 10 - 5) }
        let probabilities = softmax(row)
        let order = row.indices.sorted { probabilities[$0] > probabilities[$1] }
        var mass = 0.0
        var expected: [Int32] = []
        for index in order {
            expected.append(Int32(index))
            mass += probabilities[index]
            if mass >= 0.6 { break }
        }
        let kept = distribution(row, only(topP: 0.6))
        #expect(Set(kept.keys) == Set(expected))
        let keptMass = expected.reduce(0.0) { $0 + probabilities[Int($1)] }
        for token in expected {
            #expect(abs(kept[token]! - probabilities[Int(token)] / keptMass) < 1e-6)
        }
    }

    @Test func minPDropsTokensBelowAFractionOfTheBest() {
        // Threshold 0.35 × 0.5 = 0.175 keeps 0.5 and 0.25.
        expectClose(distribution(base, only(minP: 0.35)), [1: 2.0 / 3, 3: 1.0 / 3])
        // Threshold 0.25 × 0.5 = 0.125 also keeps 0.15.
        expectClose(distribution(base, only(minP: 0.25)), [1: 0.5 / 0.9, 3: 0.25 / 0.9, 2: 0.15 / 0.9])
    }

    @Test func filtersRunInLlamaCppOrder() {
        // top-k 3 first renormalises to 0.556, 0.278, 0.167, so top-p 0.8 stops after two tokens;
        // top-p alone on the original probabilities needs three (0.5 + 0.25 < 0.8).
        expectClose(distribution(base, only(topK: 3, topP: 0.8)), [1: 2.0 / 3, 3: 1.0 / 3])
        expectClose(distribution(base, only(topP: 0.8)), [1: 0.5 / 0.9, 3: 0.25 / 0.9, 2: 0.15 / 0.9])
        // min-p after top-p: top-p 0.76 keeps three, min-p 0.35 then drops 0.15.
        expectClose(distribution(base, only(topP: 0.76, minP: 0.35)), [1: 2.0 / 3, 3: 1.0 / 3])
    }

    @Test func temperatureScalesAfterFiltering() {
        // The kept set is chosen at temperature 1; temperature then reshapes only the survivors.
        let hot = distribution(base, only(minP: 0.35, temperature: 10))
        let survivors = softmax([base[1] / 10, base[3] / 10])
        expectClose(hot, [1: survivors[0], 3: survivors[1]])
        let cold = distribution(base, only(topK: 3, temperature: 0.5))
        let coldExpected = softmax([base[1] / 0.5, base[3] / 0.5, base[2] / 0.5])
        expectClose(cold, [1: coldExpected[0], 3: coldExpected[1], 2: coldExpected[2]])
    }

    @Test func repetitionPenaltyFollowsTheHuggingFaceFormula() {
        let row: [Float] = [2, -1, 0.5, -3, 1]
        // Distinct ids 0, 1, 3 are penalised once each, whatever their count: 2/2, -1*2, -3*2.
        let penalised: [Float] = [1, -2, 0.5, -6, 1]
        let expected = softmax(penalised)
        let all = distribution(row, only(repetitionPenalty: 2), prompt: [0, 1], generated: [1, 3, 1])
        expectClose(all, Dictionary(uniqueKeysWithValues: expected.enumerated().map { (Int32($0.offset), $0.element) }))
    }

    @Test func penaltyWindowRespectsLastNAndPromptSetting() {
        let row: [Float] = [2, -1, 0.5, -3, 1]
        func expected(_ values: [Float]) -> [Int32: Double] {
            Dictionary(uniqueKeysWithValues: softmax(values).enumerated().map { (Int32($0.offset), $0.element) })
        }
        // Last 2 of [0, 1 | 3, 1] are 3 and 1.
        expectClose(distribution(row, only(repetitionPenalty: 2, penaltyLastN: 2), prompt: [0, 1], generated: [3, 1]),
                    expected([2, -2, 0.5, -6, 1]))
        // A window of 4 reaches back to the prompt's id 0 as well.
        expectClose(distribution(row, only(repetitionPenalty: 2, penaltyLastN: 4), prompt: [0, 1], generated: [3, 1]),
                    expected([1, -2, 0.5, -6, 1]))
        // Without the prompt, id 0 is never penalised.
        expectClose(distribution(row, only(repetitionPenalty: 2, penalizePrompt: false), prompt: [0, 4], generated: [3]),
                    expected([2, -1, 0.5, -6, 1]))
        // A penalty below 1 rewards repeats.
        expectClose(distribution(row, only(repetitionPenalty: 0.5), generated: [0, 3]),
                    expected([4, -1, 0.5, -1.5, 1]))
    }

    @Test func seededSamplingIsReproducible() {
        var random = Xoshiro256StarStar(seed: 5)
        let rows = (0..<200).map { _ in (0..<64).map { _ in Float(random.nextUnitDouble() * 6 - 3) } }
        func draws(seed: UInt64) -> [Int32] {
            let sampler = Sampler(parameters: GenerationParameters(temperature: 0.9, topK: 20, topP: 0.9,
                                                                   minP: 0.02, seed: seed),
                                  vocabularySize: 64)
            return rows.map { row in row.withUnsafeBufferPointer { sampler.next(logits: $0) } }
        }
        #expect(draws(seed: 99) == draws(seed: 99))
        #expect(draws(seed: 99) != draws(seed: 100))
        let unseeded = Sampler(parameters: GenerationParameters(seed: nil), vocabularySize: 4)
        let replay = Sampler(parameters: GenerationParameters(seed: unseeded.seed), vocabularySize: 4)
        let a = (0..<50).map { _ in base.withUnsafeBufferPointer { unseeded.next(logits: $0) } }
        let b = (0..<50).map { _ in base.withUnsafeBufferPointer { replay.next(logits: $0) } }
        #expect(a == b)
    }

    /// Draw frequencies match the filtered distribution (chi-square at the 0.001 level, fixed seed),
    /// and filtered-out tokens never appear.
    @Test func frequenciesMatchTheFilteredDistribution() {
        let probabilities = [0.02, 0.3, 0.05, 0.2, 0.01, 0.12, 0.18, 0.12]
        let row = logits(forProbabilities: probabilities)
        let parameters = only(topK: 6, minP: 0.2, temperature: 0.8, seed: 2024)
        let expected = distribution(row, parameters)
        // top-k 6 drops ids 4 and 0; min-p 0.2 × 0.3 = 0.06 then drops id 2.
        #expect(Set(expected.keys) == [1, 3, 5, 6, 7])
        let sampler = Sampler(parameters: parameters, vocabularySize: row.count)
        var counts = [Int32: Int]()
        let draws = 200_000
        row.withUnsafeBufferPointer { buffer in
            for _ in 0..<draws { counts[sampler.next(logits: buffer), default: 0] += 1 }
        }
        #expect(Set(counts.keys).isSubset(of: Set(expected.keys)))
        var chiSquare = 0.0
        for (token, probability) in expected {
            let want = probability * Double(draws)
            let got = Double(counts[token] ?? 0)
            chiSquare += (got - want) * (got - want) / want
        }
        // 4 degrees of freedom: 18.47 is the 0.001 critical value.
        #expect(chiSquare < 18.47, "chi-square \(chiSquare)")
    }

    @Test func allNegativeInfinityStillYieldsAToken() {
        let row = [Float](repeating: -.infinity, count: 6)
        let sampler = Sampler(parameters: GenerationParameters(seed: 1), vocabularySize: 6)
        let token = row.withUnsafeBufferPointer { sampler.next(logits: $0) }
        #expect((0..<6).contains(token))
    }
}
