/// Mapping colours to what a terminal with fewer colours can show.
extension ThemeColor {
    /// The nearest colour a terminal with `colors` colours can show.
    ///
    /// - More than 256 (direct colour): unchanged.
    /// - 256: `rgb` becomes the nearest entry of the xterm 6×6×6 cube or grey ramp (16–255; the
    ///   first 16 are left out because terminals redefine them).
    /// - 16: `rgb` and `indexed` become the nearest of the 16 ANSI colours by RGB distance, using
    ///   xterm's default values for them; palette entries 0–15 are those colours.
    /// - 8: as for 16 but among the first 8; bright ANSI colours become their normal ones.
    /// - Fewer than 8: the terminal default.
    ///
    /// Distances are plain squared Euclidean distances in RGB.
    public func degraded(toColors colors: Int) -> ThemeColor {
        if colors > 256 { return self }
        if colors < 8 { return .terminalDefault }
        switch self {
        case .terminalDefault:
            return self
        case .ansi(let i):
            let i = min(max(i, 0), 15)
            return .ansi(colors >= 16 ? i : i % 8)
        case .indexed(let n):
            if colors >= 256 { return self }
            if (0..<16).contains(n) { return ThemeColor.ansi(n).degraded(toColors: colors) }
            let rgb = XtermPalette.rgb(ofIndex: n)
            return .ansi(XtermPalette.nearest(rgb, among: 0..<(colors >= 16 ? 16 : 8)))
        case .rgb(let r, let g, let b):
            if colors >= 256 { return .indexed(XtermPalette.nearest((r, g, b), among: 16..<256)) }
            return .ansi(XtermPalette.nearest((r, g, b), among: 0..<(colors >= 16 ? 16 : 8)))
        }
    }
}

/// The RGB values of xterm's 256-colour palette.
enum XtermPalette {
    /// xterm's default values for the 16 ANSI colours.
    static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0x00, 0x00, 0x00), (0xcd, 0x00, 0x00), (0x00, 0xcd, 0x00), (0xcd, 0xcd, 0x00),
        (0x00, 0x00, 0xee), (0xcd, 0x00, 0xcd), (0x00, 0xcd, 0xcd), (0xe5, 0xe5, 0xe5),
        (0x7f, 0x7f, 0x7f), (0xff, 0x00, 0x00), (0x00, 0xff, 0x00), (0xff, 0xff, 0x00),
        (0x5c, 0x5c, 0xff), (0xff, 0x00, 0xff), (0x00, 0xff, 0xff), (0xff, 0xff, 0xff),
    ]

    /// The six levels of each channel in the 6×6×6 cube (entries 16–231).
    static let cubeLevels: [UInt8] = [0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff]

    /// The RGB value of palette entry `index` (clamped to 0–255).
    static func rgb(ofIndex index: Int) -> (UInt8, UInt8, UInt8) {
        let n = min(max(index, 0), 255)
        if n < 16 { return ansi[n] }
        if n < 232 {
            let c = n - 16
            return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
        }
        let level = UInt8(8 + 10 * (n - 232))
        return (level, level, level)
    }

    /// The index in `range` whose colour is nearest to `color` (the lowest index on ties).
    static func nearest(_ color: (UInt8, UInt8, UInt8), among range: Range<Int>) -> Int {
        var best = range.lowerBound
        var bestDistance = Int.max
        for index in range {
            let d = distance(color, rgb(ofIndex: index))
            if d < bestDistance {
                bestDistance = d
                best = index
            }
        }
        return best
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0)
        let dg = Int(a.1) - Int(b.1)
        let db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }
}
