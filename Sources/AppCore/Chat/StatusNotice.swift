/// A short message in the status line that goes away by itself.
public struct StatusNotice: Sendable, Equatable {
    public enum Severity: Sendable, Equatable { case info, warning, error }
    public var text: String
    public var severity: Severity
    /// When it stops being shown, in `ChatEnvironment.now` seconds.
    public var expiresAt: Double

    public init(text: String, severity: Severity, expiresAt: Double) {
        self.text = text
        self.severity = severity
        self.expiresAt = expiresAt
    }
}
