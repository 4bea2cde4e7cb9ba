import AppCore
import CNcursesw
import TerminalGraphics

/// Turns theme styles and preview colours into curses colour pairs and attributes, allocating each
/// pair once.
final class Palette {
    private let theme: Theme
    private let colors: Int
    private var pairs: [Int64: Int32] = [:]
    private var roleAttributes: [ColorRole: (attributes: attr_t, pair: Int32)] = [:]

    init(theme: Theme, colors: Int) {
        self.theme = theme
        self.colors = colors
    }

    /// The attributes and pair for a role plus extra text attributes.
    func style(_ role: ColorRole, _ extra: TextAttributes = []) -> (attributes: attr_t, pair: Int32) {
        var base: (attributes: attr_t, pair: Int32)
        if let cached = roleAttributes[role] {
            base = cached
        } else {
            let style = theme.style(role)
            var attributes = nc_a_normal()
            if style.bold { attributes |= nc_a_bold() }
            if style.italic { attributes |= nc_a_italic() }
            if style.underline { attributes |= nc_a_underline() }
            if style.reverse { attributes |= nc_a_reverse() }
            base = (attributes, pair(foreground: cursesColor(style.foreground), background: cursesColor(style.background)))
            roleAttributes[role] = base
        }
        if extra.contains(.bold) { base.attributes |= nc_a_bold() }
        if extra.contains(.italic) { base.attributes |= nc_a_italic() }
        if extra.contains(.underline) { base.attributes |= nc_a_underline() }
        if extra.contains(.reverse) { base.attributes |= nc_a_reverse() }
        if extra.contains(.dim) { base.attributes |= nc_a_dim() }
        return base
    }

    /// The pair for two preview colours.
    func pair(_ foreground: CellColor, _ background: CellColor) -> Int32 {
        pair(foreground: cursesColor(foreground), background: cursesColor(background))
    }

    private func pair(foreground: Int32, background: Int32) -> Int32 {
        guard colors > 0 else { return 0 }
        let key = Int64(foreground) << 32 | Int64(UInt32(bitPattern: background))
        if let known = pairs[key] { return known }
        let allocated = alloc_pair(foreground, background)
        let result = allocated < 0 ? 0 : allocated
        pairs[key] = result
        return result
    }

    /// Direct-colour terminals (terminfo with RGB, such as xterm-direct) number colours by their
    /// 24-bit value, except 0–7, which stay the ANSI colours.
    private var isDirectColor: Bool { colors >= 1 << 24 }

    private func cursesColor(_ color: ThemeColor) -> Int32 {
        guard colors > 0 else { return -1 }
        switch color.degraded(toColors: colors) {
        case .terminalDefault: return -1
        case let .ansi(index): return Int32(index)
        case let .indexed(index):
            guard isDirectColor, index >= 8 else { return Int32(index) }
            let rgb = XtermPalette.rgb(index)
            return Int32(rgb.0) << 16 | Int32(rgb.1) << 8 | Int32(rgb.2)
        case let .rgb(red, green, blue):
            guard isDirectColor else { return -1 }
            return max(8, Int32(red) << 16 | Int32(green) << 8 | Int32(blue))
        }
    }

    private func cursesColor(_ color: CellColor) -> Int32 {
        guard colors > 0 else { return -1 }
        switch color {
        case .terminalDefault: return -1
        case let .indexed(index): return Int(index) < colors ? Int32(index) : Int32(Int(index) % max(colors, 1))
        case let .rgb(red, green, blue):
            return cursesColor(ThemeColor.rgb(red, green, blue))
        }
    }
}
