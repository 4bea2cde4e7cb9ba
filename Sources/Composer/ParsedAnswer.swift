/// A model answer turned into a typed value, with a note when a stated default had to be used.
public struct ParsedAnswer<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The parsed value (the default when the answer could not be used).
    public var value: Value
    /// Nil when the answer was used as it is; otherwise one sentence saying which default was
    /// used and why, for logs and the status line.
    public var fallback: String?

    public init(value: Value, fallback: String? = nil) {
        self.value = value
        self.fallback = fallback
    }
}
