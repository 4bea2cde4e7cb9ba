/// Which characters a symbol preview may use.
public enum SymbolStyle: Sendable, Hashable, CaseIterable {
    /// Block, border and space symbols with foreground and background colours: the default.
    case blocks
    /// Printable ASCII only (0x20–0x7E), foreground colour only (none in monochrome): for dumb
    /// terminals, fonts without block glyphs, and screen readers.
    case ascii
}
