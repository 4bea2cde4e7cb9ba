import Foundation
import LanguageModels
import Testing
@testable import Engine

/// Greedy output per prompt: a prompt of `promptLength` tokens starting with `p` makes the model
/// write `scripts[p]`, then "a" forever.
private func promptScriptedLogits(_ scripts: [Int32: [Int32]], promptLength: Int) -> ([Int32]) -> [Float] {
    let vocabulary = testPieces.count
    return { sequence in
        let script = scripts[sequence[0]] ?? []
        return scriptedLogits(vocabularySize: vocabulary, promptLength: promptLength, script: script)(sequence)
    }
}

private func makeEngine(log: FakeModelLog = FakeModelLog(), decodeDelay: Double = 0, slots: Int = 1,
                        promptLength: Int = 1, scripts: [Int32: [Int32]] = [:]) -> Engine {
    Engine(tokenizer: testTokenizer(), prefillChunkSize: 2) {
        let model = FakeModel(vocabularySize: testPieces.count, contextLength: 1 << 20, sequenceSlots: slots,
                              log: log, logitsAfter: promptScriptedLogits(scripts, promptLength: promptLength))
        model.decodeDelay = decodeDelay
        return model
    }
}

private func collect(_ stream: AsyncStream<EngineEvent>) async -> RecordedRun {
    var record = RecordedRun()
    for await event in stream { record.events.append(event) }
    return record
}

private func greedy(maxNewTokens: Int = 512) -> GenerationParameters {
    var parameters = GenerationParameters.greedy
    parameters.maxNewTokens = maxNewTokens
    return parameters
}

@Suite(.timeLimit(.minutes(1))) struct EngineTests {
    @Test func eventsArriveInOrder() async {
        let engine = makeEngine(promptLength: 5, scripts: [3: [1, 4, 2, 9, 10, 3, eos]])
        let record = await collect(engine.submit(GenerationRequest(promptTokens: [3, 1, 2, 1, 2], parameters: greedy())))
        #expect(record.isWellOrdered, "\(record.events)")
        #expect(record.text == "a bé" + "c")
        #expect(record.finish == .stopToken)
        #expect(record.progress.map(\.done) == [0, 2, 4, 5])
        #expect(record.stats?.promptTokens == 5)
        #expect(record.stats?.generatedTokens == 7)
    }

    @Test func queuedRequestsRunOneAtATimeInOrder() async {
        let log = FakeModelLog()
        let engine = makeEngine(log: log, decodeDelay: 0.001,
                                scripts: [11: [1, 1, eos], 12: [2, 2, 2, eos], 13: [3, eos]])
        let streams = [11, 12, 13].map { engine.submit(GenerationRequest(promptTokens: [$0], parameters: greedy())) }
        let records = await withTaskGroup(of: (Int, RecordedRun).self) { group in
            for (index, stream) in streams.enumerated() {
                group.addTask { (index, await collect(stream)) }
            }
            var results = [RecordedRun](repeating: RecordedRun(), count: streams.count)
            for await (index, record) in group { results[index] = record }
            return results
        }
        #expect(records.map(\.text) == ["aa", "bbb", "c"])
        #expect(records.allSatisfy { $0.finish == .stopToken && $0.isWellOrdered })
        #expect(log.startedPrompts == [11, 12, 13])
        #expect(log.maxConcurrentCalls == 1)
        #expect(log.threadCount == 1)
    }

    @Test func cancelStopsTheRunningRequestWithItsPartialText() async {
        let log = FakeModelLog()
        let engine = makeEngine(log: log, decodeDelay: 0.002)
        let stream = engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy(maxNewTokens: 100_000)))
        var record = RecordedRun()
        var callsWhenCancelled: Int?
        for await event in stream {
            record.events.append(event)
            if record.textEvents.count == 5 {
                // Counted on the model's side, so the bound does not depend on how far this
                // consumer lags behind the worker when other tests load the cores.
                callsWhenCancelled = log.calls
                engine.cancel()
            }
        }
        #expect(record.finish == .cancelled)
        #expect(record.isWellOrdered)
        #expect(record.text.count >= 5)
        #expect(record.text.allSatisfy { $0 == "a" })
        // Stopped within a token of the request (the call in flight may finish), not at the budget.
        let extraCalls = log.calls - (callsWhenCancelled ?? .max / 2)
        #expect((0...1).contains(extraCalls), "\(extraCalls) model calls after cancel")
        #expect(record.stats?.generatedTokens == record.text.count)
    }

    @Test func droppingTheStreamCancelsTheRequest() async {
        let engine = makeEngine(decodeDelay: 0.002, scripts: [2: [3, eos]])
        // Read a little of an endless request, then let its stream go.
        await {
            let stream = engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy(maxNewTokens: 100_000)))
            var texts = 0
            for await event in stream {
                if case .text = event { texts += 1 }
                if texts == 3 { break }
            }
        }()
        // The next request can only finish if the endless one was cancelled.
        let record = await collect(engine.submit(GenerationRequest(promptTokens: [2], parameters: greedy())))
        #expect(record.text == "c")
        #expect(record.finish == .stopToken)
    }

    @Test func cancellingTheConsumingTaskCancelsTheRequest() async {
        let engine = makeEngine(decodeDelay: 0.002, scripts: [2: [2, eos]])
        let stream = engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy(maxNewTokens: 100_000)))
        let consumer = Task { await collect(stream) }
        try? await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        _ = await consumer.value
        let record = await collect(engine.submit(GenerationRequest(promptTokens: [2], parameters: greedy())))
        #expect(record.text == "b")
    }

    @Test func cancelAllEmptiesTheQueue() async {
        let engine = makeEngine(decodeDelay: 0.002)
        let running = engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy(maxNewTokens: 100_000)))
        let queued = engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy(maxNewTokens: 100_000)))
        var first = RecordedRun()
        for await event in running {
            first.events.append(event)
            if first.textEvents.count == 2 { engine.cancelAll() }
        }
        let second = await collect(queued)
        #expect(first.finish == .cancelled)
        #expect(second.events == [.finished(.cancelled)])
    }

    @Test func failingFactoryFailsEveryRequest() async {
        struct Broken: Error, CustomStringConvertible { var description: String { "weights file missing" } }
        let engine = Engine(tokenizer: testTokenizer()) { throw Broken() }
        let message = EngineError.modelUnavailable("weights file missing").description
        for _ in 0..<2 {
            let record = await collect(engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy())))
            #expect(record.events == [.error(message), .finished(.error(message))])
        }
    }

    @Test func shutDownEngineRejectsRequests() async {
        let engine = makeEngine()
        engine.shutdown()
        let record = await collect(engine.submit(GenerationRequest(promptTokens: [1], parameters: greedy())))
        let message = EngineError.engineShutDown.description
        #expect(record.events == [.error(message), .finished(.error(message))])
    }

    @Test func badRequestFailsWithoutStoppingTheEngine() async {
        let engine = makeEngine(scripts: [2: [2, eos]])
        let bad = await collect(engine.submit(GenerationRequest(promptTokens: [1], parameters: GenerationParameters(topP: 0))))
        guard case let .error(message)? = bad.finish else {
            Issue.record("expected an error, got \(bad.events)")
            return
        }
        #expect(message.contains("topP"))
        let good = await collect(engine.submit(GenerationRequest(promptTokens: [2], parameters: greedy())))
        #expect(good.text == "b")
    }

    @Test func beamSearchStreamsThroughTheEngine() async {
        var parameters = GenerationParameters.greedy
        parameters.numBeams = 3
        parameters.stopStrings = ["<|end|>"]
        // "ab a <|end|>" then more.
        let engine = makeEngine(slots: 3, scripts: [4: [1, 2, 4, 1, 4, 5, 6, 7, 6, 8, 2, 2]])
        let record = await collect(engine.submit(GenerationRequest(promptTokens: [4], parameters: parameters)))
        #expect(record.text == "ab a ")
        #expect(record.finish == .stopString)
        #expect(record.textEvents.count > 1)
        #expect(record.isWellOrdered)
    }
}
