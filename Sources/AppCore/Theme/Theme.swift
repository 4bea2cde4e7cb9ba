/// A named set of styles for the colour roles.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// The roles the theme gives; `style(_:)` fills in the rest.
    public var styles: [ColorRole: ThemeStyle]

    public init(name: String, styles: [ColorRole: ThemeStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The style for `role`: its own, else the `text` role's, else the terminal's defaults.
    public func style(_ role: ColorRole) -> ThemeStyle {
        styles[role] ?? styles[.text] ?? .plain
    }

    /// The theme with every colour degraded for a terminal with `colors` colours.
    public func degraded(toColors colors: Int) -> Theme {
        Theme(name: name, styles: styles.mapValues { $0.degraded(toColors: colors) })
    }
}
