import LanguageModels
import Tokenizers

/// Runs one request synchronously on the calling thread: prefill, then greedy decoding, sampling or
/// beam search, with stop rules and statistics, reporting through a callback.
///
/// The caller owns the thread (the `Engine`'s worker); nothing here blocks on anything but the
/// model. Every run uses slot 0 for the prompt (and slots 1..<numBeams for beams), starting at
/// position 0, so no cache state carries over between runs.
public final class Generator {
    public let model: any CausalLanguageModel
    public let tokenizer: any TextTokenizer
    /// Prompt tokens per prefill call. Smaller chunks give finer progress and cancellation at a
    /// small cost in batching.
    public var prefillChunkSize: Int

    public init(model: any CausalLanguageModel, tokenizer: any TextTokenizer, prefillChunkSize: Int = 256) {
        self.model = model
        self.tokenizer = tokenizer
        self.prefillChunkSize = max(prefillChunkSize, 1)
    }

    /// Runs `request` to the end and returns why it ended (also sent as the last event).
    ///
    /// - Parameters:
    ///   - shouldCancel: checked before every token and between prefill chunks, and passed to the
    ///     model's prefill; returning true ends the run with `.cancelled` after the text so far.
    ///   - onEvent: receives the events in order; see `EngineEvent`.
    @discardableResult
    public func run(_ request: GenerationRequest, shouldCancel: () -> Bool = { false },
                    onEvent: (EngineEvent) -> Void) -> FinishReason {
        let parameters = request.parameters
        let fitted: PromptFitting.Fitted
        do {
            fitted = try prepare(request)
        } catch {
            return fail(error.description, onEvent: onEvent)
        }
        let prompt = fitted.tokens
        var stats = GenerationStatistics(promptTokens: prompt.count, droppedPromptTokens: fitted.dropped,
                                         generatedTokens: 0, prefillSeconds: 0, decodeSeconds: 0)
        let clock = ContinuousClock()

        // Prefill.
        let prefillStart = clock.now
        var logits: UnsafeBufferPointer<Float>
        do {
            if let parts = request.promptParts {
                logits = try prefill(parts: parts, shouldCancel: shouldCancel, onEvent: onEvent)
            } else {
                logits = try prefill(prompt, shouldCancel: shouldCancel, onEvent: onEvent)
            }
        } catch ModelError.cancelled {
            stats.prefillSeconds = seconds(clock.now - prefillStart)
            return end(.cancelled, stats: stats, onEvent: onEvent)
        } catch {
            stats.prefillSeconds = seconds(clock.now - prefillStart)
            return end(.error(EngineError.model("\(error)").description), stats: stats, onEvent: onEvent)
        }
        stats.prefillSeconds = seconds(clock.now - prefillStart)

        // Decode.
        let decodeStart = clock.now
        var text = TokenTextStream(stopStrings: parameters.stopStrings)
        var stopTokens = parameters.stopTokens
        if parameters.includeTokenizerStopTokens { stopTokens.formUnion(tokenizer.endOfGenerationTokens) }
        // Generated token i sits at position prompt.count + i; the last one is never fed back.
        let roomLeft = model.contextLength - prompt.count + 1
        let limit = min(parameters.maxNewTokens, roomLeft)
        let limitedByContext = roomLeft < parameters.maxNewTokens
        /// Sends the text of `tokens`; false once a stop string has appeared.
        func emit(_ tokens: ArraySlice<Int32>) -> Bool {
            for token in tokens {
                let piece = text.append(tokenizer.bytes(for: token, renderSpecial: false))
                if !piece.isEmpty { onEvent(.text(piece)) }
                if text.stopped { return false }
            }
            return true
        }

        var reason: FinishReason
        do {
            if parameters.numBeams > 1 {
                let search = try BeamSearch(model: model, parameters: parameters, stopTokens: stopTokens)
                let result = try search.run(prompt: prompt, promptLogits: logits, maxNewTokens: limit,
                                            limitedByContext: limitedByContext,
                                            shouldCancel: shouldCancel, onCommit: emit)
                stats.generatedTokens = result.steps
                reason = result.finishReason
            } else {
                let sampler = Sampler(parameters: parameters, vocabularySize: model.vocabularySize)
                var generated: [Int32] = []
                generated.reserveCapacity(limit)
                var feed: [Int32] = [0]
                let slots = [0]
                var positions = [0]
                while true {
                    if shouldCancel() { reason = .cancelled; break }
                    let token = sampler.next(logits: logits, prompt: parameters.penalizePrompt ? prompt[...] : [],
                                             generated: generated[...])
                    generated.append(token)
                    stats.generatedTokens = generated.count
                    if stopTokens.contains(token) { reason = .stopToken; break }
                    if !emit(generated[(generated.count - 1)...]) { reason = .stopString; break }
                    if generated.count >= limit { reason = limitedByContext ? .contextFull : .maxTokens; break }
                    feed[0] = token
                    positions[0] = prompt.count + generated.count - 1
                    logits = try model.decode(tokens: feed, slots: slots, positions: positions)
                }
            }
        } catch let error as EngineError {
            reason = .error(error.description)
        } catch {
            reason = .error(EngineError.model("\(error)").description)
        }
        let rest = text.finish()
        if !rest.isEmpty { onEvent(.text(rest)) }
        stats.decodeSeconds = seconds(clock.now - decodeStart)
        return end(reason, stats: stats, onEvent: onEvent)
    }

    /// Checks the request against the parameters' ranges, the vocabulary and the context.
    private func prepare(_ request: GenerationRequest) throws(EngineError) -> PromptFitting.Fitted {
        let parameters = request.parameters
        try parameters.validate()
        guard model.vocabularySize <= tokenizer.vocabularySize else {
            throw .vocabularyMismatch(model: model.vocabularySize, tokenizer: tokenizer.vocabularySize)
        }
        guard !request.promptTokens.isEmpty else { throw .emptyPrompt }
        if let bad = request.promptTokens.firstIndex(where: { $0 < 0 || Int($0) >= model.vocabularySize }) {
            throw .tokenOutOfVocabulary(token: request.promptTokens[bad], index: bad,
                                        vocabularySize: model.vocabularySize)
        }
        if parameters.numBeams > model.sequenceSlots {
            throw .notEnoughSequenceSlots(needed: parameters.numBeams, available: model.sequenceSlots)
        }
        // Dropping tokens from a prompt with images could cut an image apart: it must fit whole.
        let policy = request.promptParts == nil ? parameters.contextPolicy : .error
        return try PromptFitting.fit(request.promptTokens, contextLength: model.contextLength,
                                     maxNewTokens: parameters.maxNewTokens, policy: policy)
    }

    /// Feeds the prompt into slot 0 in chunks, reporting progress after each.
    private func prefill(_ prompt: [Int32], shouldCancel: () -> Bool,
                         onEvent: (EngineEvent) -> Void) throws -> UnsafeBufferPointer<Float> {
        onEvent(.progress(done: 0, total: prompt.count))
        var done = 0
        var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
        while done < prompt.count {
            if shouldCancel() { throw ModelError.cancelled }
            let end = min(done + prefillChunkSize, prompt.count)
            logits = try model.prefill(tokens: Array(prompt[done..<end]), slot: 0, position: done,
                                       shouldCancel: shouldCancel)
            done = end
            onEvent(.progress(done: done, total: prompt.count))
        }
        return logits
    }

    private func fail(_ message: String, onEvent: (EngineEvent) -> Void) -> FinishReason {
        onEvent(.error(message))
        onEvent(.finished(.error(message)))
        return .error(message)
    }

    private func end(_ reason: FinishReason, stats: GenerationStatistics,
                     onEvent: (EngineEvent) -> Void) -> FinishReason {
        onEvent(.stats(stats))
        if case let .error(message) = reason { onEvent(.error(message)) }
        onEvent(.finished(reason))
        return reason
    }

    private func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
