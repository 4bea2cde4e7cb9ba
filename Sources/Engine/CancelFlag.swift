import Synchronization

/// A request's cancellation flag: set from any thread, polled by the worker before every token.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func cancel() { value.store(true, ordering: .relaxed) }

    var isCancelled: Bool { value.load(ordering: .relaxed) }
}
