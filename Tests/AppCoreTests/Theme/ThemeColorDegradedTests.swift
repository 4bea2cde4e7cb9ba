import AppCore
import Testing

/// xterm's palette computed the way xterm's own 256colres.pl does (cube levels 0 or 55 + 40·v,
/// greys 8 + 10·i), independently of the table in the code under test.
private func xtermRGB(_ index: Int) -> (Int, Int, Int) {
    if index >= 232 {
        let g = 8 + 10 * (index - 232)
        return (g, g, g)
    }
    let c = index - 16
    let level = { (v: Int) in v == 0 ? 0 : 55 + 40 * v }
    return (level(c / 36), level((c / 6) % 6), level(c % 6))
}

private func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
    (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)
}

@Suite struct ThemeColorDegradedTests {
    @Test(arguments: [
        // Exact palette entries map to themselves.
        (0x00, 0x00, 0x00, 16), (0xff, 0xff, 0xff, 231), (0x5f, 0x87, 0xaf, 67), (0xff, 0x00, 0x00, 196),
        (0xd7, 0x00, 0x00, 160), (0x08, 0x08, 0x08, 232), (0xee, 0xee, 0xee, 255), (0x76, 0x76, 0x76, 243),
        (0x80, 0x80, 0x80, 244),
        // Near misses.
        (0x01, 0x00, 0x00, 16), (0x5e, 0x88, 0xae, 67), (0xfe, 0x01, 0x02, 196),
    ])
    func rgbTo256(r: Int, g: Int, b: Int, index: Int) {
        #expect(ThemeColor.rgb(UInt8(r), UInt8(g), UInt8(b)).degraded(toColors: 256) == .indexed(index))
    }

    @Test(arguments: [
        // By hand with xterm's defaults: #800000 is 77 from red (#cd0000) but 128 from black.
        (ThemeColor.rgb(0xff, 0, 0), 16, 9), (.rgb(0xcd, 0, 0), 16, 1), (.rgb(0x80, 0, 0), 16, 1),
        (.rgb(0xe5, 0xe5, 0xe5), 16, 7), (.rgb(0xff, 0xff, 0xff), 16, 15), (.rgb(0x10, 0x10, 0x10), 16, 0),
        (.rgb(0x7f, 0x7f, 0x7f), 16, 8), (.indexed(196), 16, 9), (.indexed(3), 16, 3), (.indexed(12), 16, 12),
        // #7f7f7f among the first 8: yellow, magenta and cyan are all 2·78² + 127² = 28297 away,
        // white 3·102² = 31212 and black 3·127²: the tie goes to the lowest index, yellow.
        (.rgb(0xff, 0, 0), 8, 1), (.rgb(0xff, 0xff, 0xff), 8, 7), (.rgb(0x7f, 0x7f, 0x7f), 8, 3),
        (.rgb(0x8a, 0x8a, 0x8a), 8, 7),
        (.rgb(0x30, 0x30, 0x30), 8, 0), (.ansi(9), 8, 1), (.ansi(15), 8, 7), (.ansi(4), 8, 4),
        (.indexed(12), 8, 4), (.indexed(21), 8, 4),
    ])
    func toBasicColors(color: ThemeColor, colors: Int, ansi: Int) {
        #expect(color.degraded(toColors: colors) == .ansi(ansi))
    }

    @Test func unchangedWhereTheTerminalCanShowIt() {
        let rgb = ThemeColor.rgb(1, 2, 3)
        #expect(rgb.degraded(toColors: 1 << 24) == rgb)
        #expect(ThemeColor.indexed(100).degraded(toColors: 256) == .indexed(100))
        #expect(ThemeColor.ansi(13).degraded(toColors: 256) == .ansi(13))
        #expect(ThemeColor.ansi(13).degraded(toColors: 16) == .ansi(13))
        #expect(ThemeColor.terminalDefault.degraded(toColors: 8) == .terminalDefault)
    }

    @Test func monochromeGetsTheDefault() {
        #expect(ThemeColor.rgb(255, 0, 0).degraded(toColors: 2) == .terminalDefault)
        #expect(ThemeColor.ansi(1).degraded(toColors: 0) == .terminalDefault)
        #expect(ThemeColor.indexed(1).degraded(toColors: -5) == .terminalDefault)
    }

    @Test func rgbTo256IsTheNearestEntryOfTheCubeAndRamp() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<500 {
            let c = (Int.random(in: 0...255, using: &rng), Int.random(in: 0...255, using: &rng), Int.random(in: 0...255, using: &rng))
            guard case .indexed(let index) = ThemeColor.rgb(UInt8(c.0), UInt8(c.1), UInt8(c.2)).degraded(toColors: 256) else {
                Issue.record("not an index for \(c)")
                continue
            }
            #expect((16...255).contains(index))
            let best = (16...255).map { distance(c, xtermRGB($0)) }.min() ?? 0
            #expect(distance(c, xtermRGB(index)) == best, "\(c) → \(index)")
        }
    }

    @Test func outOfRangeIndicesDoNotCrash() {
        #expect(ThemeColor.ansi(99).degraded(toColors: 8) == .ansi(7))
        #expect(ThemeColor.indexed(999).degraded(toColors: 16) == ThemeColor.indexed(255).degraded(toColors: 16))
    }
}
