/// How text in one colour role looks.
public struct ThemeStyle: Sendable, Equatable, Hashable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    /// Swap foreground and background (selection highlights that work even without colour).
    public var reverse: Bool

    public init(
        foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
        bold: Bool = false, italic: Bool = false, underline: Bool = false, reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }

    /// The terminal's default colours and no attributes.
    public static let plain = ThemeStyle()

    /// This style with both colours degraded for a terminal with `colors` colours.
    public func degraded(toColors colors: Int) -> ThemeStyle {
        var s = self
        s.foreground = foreground.degraded(toColors: colors)
        s.background = background.degraded(toColors: colors)
        return s
    }
}
