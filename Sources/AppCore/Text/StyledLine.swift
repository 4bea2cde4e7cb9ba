/// One screen row of styled text; an empty row has no spans.
public struct StyledLine: Sendable, Equatable {
    public var spans: [StyledSpan]

    public init(spans: [StyledSpan]) { self.spans = spans }

    /// The row's characters without styling.
    public var plainText: String { spans.map(\.text).joined() }

    /// The row's width in terminal cells.
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
}
