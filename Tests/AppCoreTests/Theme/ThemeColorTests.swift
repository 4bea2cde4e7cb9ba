import AppCore
import Testing

@Suite struct ThemeColorTests {
    @Test(arguments: [
        ("default", ThemeColor.terminalDefault), ("DEFAULT", .terminalDefault),
        ("black", .ansi(0)), ("red", .ansi(1)), ("white", .ansi(7)), ("Bright-Black", .ansi(8)),
        ("bright-red", .ansi(9)), ("bright-white", .ansi(15)), ("grey", .ansi(8)), ("gray", .ansi(8)),
        ("0", .indexed(0)), ("123", .indexed(123)), ("255", .indexed(255)), ("color67", .indexed(67)),
        ("Color0", .indexed(0)), ("#000000", .rgb(0, 0, 0)), ("#5F87af", .rgb(0x5f, 0x87, 0xaf)),
    ])
    func parses(name: String, color: ThemeColor) {
        #expect(ThemeColor(name: name) == color)
    }

    @Test(arguments: ["", "bleu", "256", "-1", "+1", "1e2", "color", "color256", "color-1", " red", "red ",
                      "#fff", "#12345", "#1234567", "#gg0000", "#+f+f+f", "#", "#ff00ff00", "bright-", "bright-grey", "0x10", "１２"])
    func rejects(name: String) {
        #expect(ThemeColor(name: name) == nil)
    }

    @Test func namesReadBack() {
        var all: [ThemeColor] = [.terminalDefault]
        all += (0..<16).map(ThemeColor.ansi)
        all += [0, 16, 67, 255].map(ThemeColor.indexed)
        all += [ThemeColor.rgb(0, 0, 0), .rgb(0xff, 0x10, 0x0a), .rgb(1, 2, 3)]
        for color in all {
            #expect(ThemeColor(name: color.description) == color, "\(color)")
        }
        #expect(ThemeColor.rgb(0xff, 0x10, 0x0a).description == "#ff100a")
    }
}
