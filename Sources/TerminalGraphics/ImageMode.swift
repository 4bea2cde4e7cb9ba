/// How the user asked for images to be shown (`--images auto|sixel|symbols|ascii|none`).
public enum ImageMode: String, Sendable, Hashable, CaseIterable {
    /// Decide from the terminal: sixel where it is reported and reaches the screen, else symbols.
    case auto
    /// Sixel graphics, even where the terminal did not report them.
    case sixel
    /// Coloured block symbols.
    case symbols
    /// ASCII characters only.
    case ascii
    /// No image previews.
    case none

    /// Parses the option's value (exact lower-case name); nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text)
    }

    /// The accepted spellings, for help and error messages: "auto|sixel|symbols|ascii|none".
    public static let choices: String = allCases.map(\.rawValue).joined(separator: "|")
}

/// The way previews are actually drawn, once the terminal has been looked at.
public enum ResolvedImageMode: Sendable, Hashable {
    case sixel
    case symbols
    case ascii
    case none

    /// The symbol style that draws this mode's cells (sixel and none draw no symbols; they get
    /// the default so a fallback render still has one).
    public var symbolStyle: SymbolStyle {
        self == .ascii ? .ascii : .blocks
    }
}
