import Testing
import TerminalGraphics

@Suite struct ImageModeTests {
    static let sixelReply = Array("\u{1B}[?62;4;22c".utf8)
    static let plainReply = Array("\u{1B}[?62;22c".utf8)
    static let almostReply = Array("\u{1B}[?64;14;24;41c".utf8)

    func resolve(_ env: [String: String], _ reply: [UInt8]?, colors: Int = 256, requested: ImageMode = .auto)
        -> (mode: ResolvedImageMode, depth: ColorDepth, reason: String) {
        ImageModeDecision.resolve(requested: requested, environment: env, da1Reply: reply, colors: colors)
    }

    @Test("option values parse; anything else is rejected")
    func parsing() {
        #expect(ImageMode(parsing: "auto") == .auto)
        #expect(ImageMode(parsing: "sixel") == .sixel)
        #expect(ImageMode(parsing: "symbols") == .symbols)
        #expect(ImageMode(parsing: "ascii") == .ascii)
        #expect(ImageMode(parsing: "none") == ImageMode.none)  // not Optional.none
        for bad in ["", "Sixel", "blocks", "auto ", "kitty"] {
            #expect(ImageMode(parsing: bad) == nil)
        }
        #expect(ImageMode.choices == "auto|sixel|symbols|ascii|none")
    }

    @Test("auto picks sixel when an xterm reports parameter 4")
    func xtermWithSixel() {
        let r = resolve(["TERM": "xterm-256color"], Self.sixelReply)
        #expect(r.mode == .sixel && r.depth == .colors256)
    }

    @Test("auto picks symbols when the reply lacks 4, is only 14/24/41, is missing or is garbage")
    func xtermWithoutSixel() {
        for reply in [Self.plainReply, Self.almostReply, nil, Array("garbage".utf8)] {
            let r = resolve(["TERM": "xterm-256color"], reply)
            #expect(r.mode == .symbols, "reply \(String(describing: reply))")
            #expect(!r.reason.isEmpty)
        }
    }

    @Test("inside tmux or screen, auto uses symbols and says why", arguments: [
        ["TERM": "screen-256color", "TMUX": "/tmp/tmux-0/default,123,0"],
        ["TERM": "tmux-256color"],
        ["TERM": "xterm-256color", "TMUX": "/tmp/tmux-0/default,1,0"],
    ])
    func tmux(env: [String: String]) {
        let r = resolve(env, Self.sixelReply)
        #expect(r.mode == .symbols)
        #expect(r.reason == "inside tmux: sixel needs passthrough; using symbols (--images sixel to force)")
    }

    @Test("plain screen is named as screen")
    func screen() {
        let r = resolve(["TERM": "screen"], Self.sixelReply)
        #expect(r.mode == .symbols && r.reason.contains("inside screen"))
    }

    @Test("an empty TMUX variable does not count")
    func emptyTmux() {
        #expect(resolve(["TERM": "xterm", "TMUX": ""], Self.sixelReply).mode == .sixel)
    }

    @Test("a dumb or unknown terminal gets ascii without colour")
    func dumb() {
        for env in [["TERM": "dumb"], [:], ["TERM": ""]] {
            let r = resolve(env, Self.sixelReply, colors: 256)
            #expect(r.mode == .ascii && r.depth == .monochrome, "\(env)")
        }
    }

    @Test("explicit modes are used as asked")
    func forced() {
        let tmux = ["TERM": "tmux-256color", "TMUX": "x"]
        #expect(resolve(tmux, nil, requested: .sixel).mode == .sixel)
        #expect(resolve(["TERM": "xterm"], Self.sixelReply, requested: .symbols).mode == .symbols)
        #expect(resolve(["TERM": "xterm"], Self.sixelReply, requested: .ascii).mode == .ascii)
        #expect(resolve(["TERM": "xterm"], Self.sixelReply, requested: .none).mode == .none)
        #expect(resolve(["TERM": "dumb"], nil, requested: .symbols).mode == .symbols)
    }

    @Test("colour depth comes from COLORTERM, then the colour count")
    func depth() {
        #expect(resolve(["TERM": "xterm", "COLORTERM": "truecolor"], nil, colors: 8).depth == .trueColor)
        #expect(resolve(["TERM": "xterm", "COLORTERM": "24bit"], nil, colors: 256).depth == .trueColor)
        #expect(resolve(["TERM": "xterm", "COLORTERM": "yes"], nil, colors: 256).depth == .colors256)
        #expect(resolve(["TERM": "xterm"], nil, colors: 256).depth == .colors256)
        #expect(resolve(["TERM": "rxvt"], nil, colors: 88).depth == .colors16)
        #expect(resolve(["TERM": "xterm"], nil, colors: 16).depth == .colors16)
        #expect(resolve(["TERM": "xterm"], nil, colors: 8).depth == .colors8)
        #expect(resolve(["TERM": "xterm"], nil, colors: 2).depth == .monochrome)
        #expect(resolve(["TERM": "xterm"], nil, colors: -1).depth == .monochrome)
    }

    @Test("the resolved mode names its symbol style")
    func styles() {
        #expect(ResolvedImageMode.ascii.symbolStyle == .ascii)
        #expect(ResolvedImageMode.symbols.symbolStyle == .blocks)
    }
}
