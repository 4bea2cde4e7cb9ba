import Testing
import TerminalGraphics

@Suite struct DA1ReplyTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("well-formed replies give their parameters", arguments: [
        ("\u{1B}[?62;4;22c", [62, 4, 22]),
        ("\u{1B}[?1;2c", [1, 2]),           // VT100 with advanced video
        ("\u{1B}[?6c", [6]),                // VT102
        ("\u{1B}[?64;1;2;4;6;9;15;18;21;22c", [64, 1, 2, 4, 6, 9, 15, 18, 21, 22]),
        ("\u{1B}[?65;1;9c", [65, 1, 9]),
        ("xy\u{1B}[?62;4c", [62, 4]),       // keys typed before the reply are skipped
        ("\u{1B}[?62;4cmore", [62, 4]),     // bytes after it are ignored
    ])
    func parses(reply: String, expected: [Int]) {
        #expect(DA1Reply.parse(bytes(reply)) == expected)
    }

    @Test("truncated or malformed replies give nil", arguments: [
        "", "c", "hello", "\u{1B}", "\u{1B}[", "\u{1B}[?", "\u{1B}[?62;4", "\u{1B}[?62;4;",
        "\u{1B}[62;4c",             // no '?'
        "\u{1B}[?c",                // no parameters
        "\u{1B}[?62;;4c",           // empty parameter
        "\u{1B}[?;4c",
        "\u{1B}[?62;4x22c",         // stray byte
        "\u{1B}[?62;-4c",
        "\u{1B}[?62;99999999999999999999c",  // absurd number
        "[?62;4c",                  // no ESC
    ])
    func rejects(reply: String) {
        #expect(DA1Reply.parse(bytes(reply)) == nil)
    }

    @Test("only a parameter exactly 4 means sixel")
    func sixelParameter() throws {
        let yes = try #require(DA1Reply.parse(bytes("\u{1B}[?62;4;22c")))
        #expect(DA1Reply.reportsSixel(yes))
        let no = try #require(DA1Reply.parse(bytes("\u{1B}[?64;14;24;41;44c")))
        #expect(!DA1Reply.reportsSixel(no))
        #expect(!DA1Reply.reportsSixel([]))
        #expect(DA1Reply.reportsSixel([4]))
    }

    @Test("raw bytes outside ASCII are garbage, not a crash")
    func binaryGarbage() {
        #expect(DA1Reply.parse([0x1B, 0x5B, 0x3F, 0xFF, 0x63]) == nil)
        #expect(DA1Reply.parse([UInt8](repeating: 0xFF, count: 300)) == nil)
    }
}
