import Testing
import LanguageModels
@testable import Engine

@Suite struct GeneratorTests {
    let tokenizer = testTokenizer()
    let vocabulary = testPieces.count

    private func run(_ model: FakeModel, prompt: [Int32], _ parameters: GenerationParameters,
                     chunk: Int = 256, shouldCancel: (() -> Bool)? = nil) -> RecordedRun {
        let generator = Generator(model: model, tokenizer: tokenizer, prefillChunkSize: chunk)
        var record = RecordedRun()
        let reason = generator.run(GenerationRequest(promptTokens: prompt, parameters: parameters),
                                   shouldCancel: shouldCancel ?? { false }) { record.events.append($0) }
        #expect(record.finish == reason)
        #expect(record.isWellOrdered, "events out of order: \(record.events)")
        return record
    }

    @Test func greedyFollowsTheArgmaxOfEveryStep() {
        let logits = hashedLogits(vocabularySize: vocabulary, salt: 17)
        let model = FakeModel(vocabularySize: vocabulary, logitsAfter: logits)
        let prompt: [Int32] = [1, 2, 3]
        var parameters = GenerationParameters.greedy
        parameters.maxNewTokens = 12
        parameters.includeTokenizerStopTokens = false
        let record = run(model, prompt: prompt, parameters)

        var sequence = prompt
        for _ in 0..<12 {
            let row = logits(sequence)
            sequence.append(Int32(row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!))
        }
        let generated = Array(sequence[3...])
        #expect(record.text == text(of: generated))
        #expect(record.finish == .maxTokens)
        #expect(record.stats?.promptTokens == 3)
        #expect(record.stats?.generatedTokens == 12)
        #expect(model.decodeBatchSizes == Array(repeating: 1, count: 11))
        #expect(model.misuse.isEmpty)
    }

    @Test func stopTokenEndsTheReplyWithoutItsText() {
        let prompt: [Int32] = [1]
        let model = FakeModel(vocabularySize: vocabulary,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: [1, 2, eos, 3]))
        let record = run(model, prompt: prompt, .greedy)
        #expect(record.text == "ab")
        #expect(record.finish == .stopToken)
        #expect(record.stats?.generatedTokens == 3)

        var custom = GenerationParameters.greedy
        custom.includeTokenizerStopTokens = false
        custom.stopTokens = [2]
        let other = run(FakeModel(vocabularySize: vocabulary,
                                  logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: [1, 2, eos, 3])),
                        prompt: prompt, custom)
        #expect(other.text == "a")
        #expect(other.finish == .stopToken)
    }

    @Test func stopStringAcrossTokensIsWithheld() {
        let script: [Int32] = [1, 4, 5, 6, 7, 6, 8, 2]   // "a <|end|>b"
        let model = FakeModel(vocabularySize: vocabulary,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: script))
        var parameters = GenerationParameters.greedy
        parameters.stopStrings = ["<|end|>"]
        let record = run(model, prompt: [3], parameters)
        #expect(record.text == "a ")
        #expect(record.textEvents.allSatisfy { !$0.contains("<") })
        #expect(record.finish == .stopString)
        #expect(record.stats?.generatedTokens == 7)
    }

    @Test func failedStopMatchReleasesTheHeldText() {
        let script: [Int32] = [1, 5, 6, 11, 2]   // "a<|xb"
        let model = FakeModel(vocabularySize: vocabulary,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: script))
        var parameters = GenerationParameters.greedy
        parameters.stopStrings = ["<|end|>"]
        parameters.maxNewTokens = 5
        let record = run(model, prompt: [3], parameters)
        #expect(record.textEvents == ["a", "<|x", "b"])
        #expect(record.finish == .maxTokens)
    }

    @Test func heldTextIsReleasedWhenTheBudgetEndsMidMatch() {
        let script: [Int32] = [1, 5, 6]   // "a<|" then the budget runs out
        let model = FakeModel(vocabularySize: vocabulary,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: script))
        var parameters = GenerationParameters.greedy
        parameters.stopStrings = ["<|end|>"]
        parameters.maxNewTokens = 3
        let record = run(model, prompt: [3], parameters)
        #expect(record.text == "a<|")
        #expect(record.finish == .maxTokens)
    }

    @Test func splitCharacterArrivesWhole() {
        let model = FakeModel(vocabularySize: vocabulary,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: [9, 10, eos]))
        let record = run(model, prompt: [3], .greedy)
        #expect(record.textEvents == ["é"])
    }

    @Test func tokenBudgetIsExact() {
        for budget in [1, 2, 7] {
            var parameters = GenerationParameters.greedy
            parameters.maxNewTokens = budget
            let model = FakeModel(vocabularySize: vocabulary, logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 3))
            parameters.includeTokenizerStopTokens = false
            let record = run(model, prompt: [1, 1], parameters)
            #expect(record.stats?.generatedTokens == budget)
            #expect(record.finish == .maxTokens)
            #expect(model.decodeBatchSizes.count == budget - 1)
        }
    }

    @Test func fullContextStopsGeneration() {
        // 8 positions, 5 prompt tokens: tokens 1...3 are fed back at 5, 6, 7, token 4 is not.
        let model = FakeModel(vocabularySize: vocabulary, contextLength: 8,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 5, script: []))
        let record = run(model, prompt: [1, 2, 3, 1, 2], .greedy)
        #expect(record.finish == .contextFull)
        #expect(record.stats?.generatedTokens == 4)
        #expect(record.text == "aaaa")
        #expect(model.slotTokens[0].count == 8)
    }

    @Test func promptFillingTheContextIsRejected() {
        let model = FakeModel(vocabularySize: vocabulary, contextLength: 8,
                              logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 1))
        let record = run(model, prompt: Array(repeating: 1, count: 8), .greedy)
        let message = EngineError.promptTooLong(promptTokens: 8, contextLength: 8).description
        #expect(record.events == [.error(message), .finished(.error(message))])
        #expect(model.prefillCalls.isEmpty)
    }

    @Test func truncatedPromptKeepsItsHead() {
        let model = FakeModel(vocabularySize: vocabulary, contextLength: 8,
                              logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 2))
        var parameters = GenerationParameters.greedy
        parameters.maxNewTokens = 2
        parameters.includeTokenizerStopTokens = false
        parameters.contextPolicy = .truncateStart(keep: 1)
        let prompt: [Int32] = [11, 1, 2, 3, 4, 5, 6, 7, 8, 12]
        let record = run(model, prompt: prompt, parameters)
        #expect(record.stats?.promptTokens == 6)
        #expect(record.stats?.droppedPromptTokens == 4)
        #expect(Array(model.slotTokens[0].prefix(6)) == [11, 5, 6, 7, 8, 12])
        #expect(record.finish == .maxTokens)
    }

    @Test func prefillReportsProgressPerChunk() {
        let model = FakeModel(vocabularySize: vocabulary, logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 4))
        var parameters = GenerationParameters.greedy
        parameters.maxNewTokens = 1
        let record = run(model, prompt: [1, 2, 3, 4, 5, 6, 7, 8], parameters, chunk: 3)
        #expect(record.progress.map(\.done) == [0, 3, 6, 8])
        #expect(record.progress.allSatisfy { $0.total == 8 })
        #expect(model.prefillCalls.map(\.position) == [0, 3, 6])
        #expect(model.prefillCalls.map(\.count) == [3, 3, 2])
    }

    @Test func cancellationStopsBeforeTheNextToken() {
        let model = FakeModel(vocabularySize: vocabulary,
                              logitsAfter: scriptedLogits(vocabularySize: vocabulary, promptLength: 1, script: [1, 2, 3, 1, 2, 3]))
        var emitted = 0
        var record = RecordedRun()
        let generator = Generator(model: model, tokenizer: tokenizer)
        generator.run(GenerationRequest(promptTokens: [3], parameters: .greedy), shouldCancel: { emitted >= 3 }) {
            if case .text = $0 { emitted += 1 }
            record.events.append($0)
        }
        #expect(record.text == "abc")
        #expect(record.finish == .cancelled)
        #expect(record.stats?.generatedTokens == 3)
        #expect(record.isWellOrdered)
    }

    @Test func cancellationDuringPrefill() {
        let model = FakeModel(vocabularySize: vocabulary, logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 5))
        var polls = 0
        let record = run(model, prompt: [1, 2, 3, 4, 5, 6], .greedy, chunk: 2, shouldCancel: {
            polls += 1
            return polls > 2
        })
        #expect(record.finish == .cancelled)
        #expect(record.text.isEmpty)
        #expect(record.stats?.generatedTokens == 0)
        #expect(model.decodeBatchSizes.isEmpty)
    }

    @Test func greedyRepetitionPenaltyActsOnLogits() {
        // Constant logits a = 3, b = 2.5, c = 1 after any history.
        let constant: ([Int32]) -> [Float] = { _ in
            var row = [Float](repeating: -5, count: testPieces.count)
            row[1] = 3; row[2] = 2.5; row[3] = 1
            return row
        }
        var parameters = GenerationParameters.greedy
        parameters.maxNewTokens = 4
        parameters.repetitionPenalty = 2
        parameters.penaltyLastN = nil
        parameters.penalizePrompt = false
        // a; then a = 1.5 < b; then a 1.5, b 1.25, c 1 → a.
        #expect(run(FakeModel(vocabularySize: vocabulary, logitsAfter: constant), prompt: [1], parameters).text == "abaa")
        parameters.penalizePrompt = true
        // The prompt's a is penalised from the start: b, then a, a, a.
        #expect(run(FakeModel(vocabularySize: vocabulary, logitsAfter: constant), prompt: [1], parameters).text == "baaa")
    }

    @Test func badRequestsFailWithOneLine() {
        let model = FakeModel(vocabularySize: vocabulary, logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 6))
        let cases: [([Int32], GenerationParameters, EngineError)] = [
            ([], .greedy, .emptyPrompt),
            ([1, 99], .greedy, .tokenOutOfVocabulary(token: 99, index: 1, vocabularySize: vocabulary)),
            ([1], GenerationParameters(topP: 2), .invalidParameter(name: "topP", value: "2.0",
                                                                   reason: "must be in (0, 1] (1 disables it)")),
            ([1], GenerationParameters(numBeams: 3), .notEnoughSequenceSlots(needed: 3, available: 1)),
        ]
        for (prompt, parameters, error) in cases {
            let record = run(model, prompt: prompt, parameters)
            #expect(record.events == [.error(error.description), .finished(.error(error.description))])
        }
    }

    @Test func modelFailureEndsWithAnError() {
        let model = FakeModel(vocabularySize: vocabulary, logitsAfter: hashedLogits(vocabularySize: vocabulary, salt: 7))
        let generator = Generator(model: FailingModel(base: model), tokenizer: tokenizer)
        var parameters = GenerationParameters.greedy
        parameters.includeTokenizerStopTokens = false
        var record = RecordedRun()
        generator.run(GenerationRequest(promptTokens: [1, 2], parameters: parameters)) { record.events.append($0) }
        guard case let .error(message)? = record.finish else {
            Issue.record("expected an error, got \(String(describing: record.finish))")
            return
        }
        #expect(message.contains("decode failed on purpose"))
        #expect(record.events.contains(.error(message)))
        #expect(record.stats?.generatedTokens == 1)
        #expect(record.isWellOrdered)
    }
}

/// Delegates to a fake model but fails every decode.
private final class FailingModel: CausalLanguageModel {
    let base: FakeModel
    init(base: FakeModel) { self.base = base }
    var vocabularySize: Int { base.vocabularySize }
    var contextLength: Int { base.contextLength }
    var sequenceSlots: Int { base.sequenceSlots }
    func prefill(tokens: [Int32], slot: Int, position: Int, shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float> {
        try base.prefill(tokens: tokens, slot: slot, position: position, shouldCancel: shouldCancel)
    }
    func decode(tokens: [Int32], slots: [Int], positions: [Int]) throws -> UnsafeBufferPointer<Float> {
        throw FakeModelMisuse(description: "decode failed on purpose")
    }
    func copySequence(from source: Int, to destination: Int, length: Int) {}
}
