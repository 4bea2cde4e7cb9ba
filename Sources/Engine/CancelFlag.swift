import Synchronization

/// A cancellation flag: set from any thread (a request's cancel, a Ctrl-C handler), polled by
/// the worker before every token or between the layers of an image encoding.
public final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func cancel() { value.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { value.load(ordering: .relaxed) }
}
