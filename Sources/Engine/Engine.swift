import Dispatch
import LanguageModels
import Synchronization
import Tokenizers

/// Owns a model and a tokenizer on a dedicated background thread and runs requests there, one at a
/// time in submission order, streaming each request's events.
///
/// The model is not Sendable and never crosses threads: the worker thread builds it from the
/// factory closure and is the only code that ever touches it. Only values (`GenerationRequest`,
/// `EngineEvent`) pass between the caller and the worker, through a mutex-guarded queue and each
/// request's `AsyncStream`. The worker is a POSIX thread rather than a task so that seconds-long
/// forward passes never occupy Swift concurrency's cooperative threads.
public final class Engine: Sendable {
    private let core: EngineCore

    /// Starts the worker thread, which then calls `modelFactory` once (loading can be slow; requests
    /// submitted meanwhile wait in the queue). If the factory throws, every request fails with its
    /// message.
    ///
    /// - Parameter prefillChunkSize: prompt tokens per prefill call (finer progress and
    ///   cancellation with smaller chunks).
    public init(tokenizer: any TextTokenizer, prefillChunkSize: Int = 256,
                modelFactory: @escaping @Sendable () throws -> any CausalLanguageModel) {
        let core = EngineCore()
        self.core = core
        let started = WorkerThread.start {
            core.work(tokenizer: tokenizer, prefillChunkSize: prefillChunkSize, modelFactory: modelFactory)
        }
        if !started { core.failAll("the engine's worker thread could not be started") }
    }

    deinit { core.shutdown() }

    /// Queues `request` and returns its events; see `EngineEvent` for their order. The stream ends
    /// after `.finished`. Dropping or cancelling the stream's consumer cancels the request (or
    /// removes it from the queue if it has not started).
    public func submit(_ request: GenerationRequest) -> AsyncStream<EngineEvent> {
        core.submit(request)
    }

    /// Stops the running request before its next token (or prefill chunk); it finishes with
    /// `.cancelled` after the text generated so far. Queued requests are not affected.
    public func cancel() { core.cancelCurrent() }

    /// Cancels the running request and every queued one.
    public func cancelAll() { core.cancelAll() }

    /// Cancels everything and lets the worker thread exit; later submissions fail at once.
    public func shutdown() { core.shutdown() }
}

/// The state shared by the `Engine` handle, the worker thread and the streams' termination handlers.
final class EngineCore: Sendable {
    struct Job: Sendable {
        let id: UInt64
        let request: GenerationRequest
        let events: AsyncStream<EngineEvent>.Continuation
        let flag: CancelFlag
    }

    private struct State: Sendable {
        var queue: [Job] = []
        var current: Job?
        var nextID: UInt64 = 0
        var closed = false
        var closeReason = EngineError.engineShutDown.description
    }

    private let state = Mutex(State())
    /// Counts submissions and shutdowns; the worker sleeps on it while the queue is empty.
    private let wakeups = DispatchSemaphore(value: 0)

    func submit(_ request: GenerationRequest) -> AsyncStream<EngineEvent> {
        let (stream, events) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .unbounded)
        let flag = CancelFlag()
        let id = state.withLock { state -> UInt64? in
            guard !state.closed else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else {
            let message = state.withLock { $0.closeReason }
            Self.reject(events, message: message)
            return stream
        }
        events.onTermination = { [weak self] _ in
            flag.cancel()
            self?.removeQueued(id)
        }
        let queued = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.queue.append(Job(id: id, request: request, events: events, flag: flag))
            return true
        }
        if queued {
            wakeups.signal()
        } else {
            Self.reject(events, message: state.withLock { $0.closeReason })
        }
        return stream
    }

    func cancelCurrent() {
        state.withLock { $0.current?.flag.cancel() }
    }

    func cancelAll() {
        let removed = state.withLock { state -> [Job] in
            state.current?.flag.cancel()
            defer { state.queue.removeAll() }
            return state.queue
        }
        for job in removed { Self.finish(job.events, with: .cancelled) }
    }

    func shutdown() {
        close(reason: EngineError.engineShutDown.description)
    }

    /// Fails every queued and future request with `message` (used when no worker exists).
    func failAll(_ message: String) {
        close(reason: message)
    }

    private func close(reason: String) {
        let removed = state.withLock { state -> [Job] in
            if !state.closed {
                state.closed = true
                state.closeReason = reason
            }
            state.current?.flag.cancel()
            defer { state.queue.removeAll() }
            return state.queue
        }
        for job in removed { Self.reject(job.events, message: reason) }
        wakeups.signal()
    }

    private func removeQueued(_ id: UInt64) {
        let removed = state.withLock { state -> Job? in
            guard let index = state.queue.firstIndex(where: { $0.id == id }) else { return nil }
            return state.queue.remove(at: index)
        }
        if let removed { Self.finish(removed.events, with: .cancelled) }
    }

    /// The worker thread's body: build the model, then run jobs until shut down.
    func work(tokenizer: any TextTokenizer, prefillChunkSize: Int,
              modelFactory: @Sendable () throws -> any CausalLanguageModel) {
        let generator: Result<Generator, EngineError>
        do {
            let model = try modelFactory()
            generator = .success(Generator(model: model, tokenizer: tokenizer, prefillChunkSize: prefillChunkSize))
        } catch {
            generator = .failure(.modelUnavailable("\(error)"))
        }
        while true {
            wakeups.wait()
            let next = state.withLock { state -> (job: Job?, closed: Bool) in
                guard !state.queue.isEmpty else { return (nil, state.closed) }
                let job = state.queue.removeFirst()
                state.current = job
                return (job, state.closed)
            }
            guard let job = next.job else {
                if next.closed { return }
                continue
            }
            run(job, on: generator)
            state.withLock { $0.current = nil }
        }
    }

    private func run(_ job: Job, on generator: Result<Generator, EngineError>) {
        switch generator {
        case let .failure(error):
            Self.reject(job.events, message: error.description)
        case let .success(generator):
            if job.flag.isCancelled {
                Self.finish(job.events, with: .cancelled)
                return
            }
            let flag = job.flag
            let events = job.events
            generator.run(job.request, shouldCancel: { flag.isCancelled }, onEvent: { events.yield($0) })
            events.finish()
        }
    }

    private static func reject(_ events: AsyncStream<EngineEvent>.Continuation, message: String) {
        events.yield(.error(message))
        finish(events, with: .error(message))
    }

    private static func finish(_ events: AsyncStream<EngineEvent>.Continuation, with reason: FinishReason) {
        events.yield(.finished(reason))
        events.finish()
    }
}
