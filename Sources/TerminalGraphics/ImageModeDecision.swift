/// Decides how to show images from the user's request and what is known about the terminal.
///
/// Pure: the caller gathers the environment, the DA1 reply (`TerminalProbe.queryDA1`) and the
/// colour count (curses' `COLORS`) and passes them in, so every case is testable.
public enum ImageModeDecision {
    /// - Parameters:
    ///   - requested: the `--images` choice.
    ///   - environment: the process environment (`TERM`, `COLORTERM`, `TMUX` are read).
    ///   - da1Reply: the raw reply to `ESC [ c`, or nil when there was none (not a tty, timeout).
    ///   - colors: how many colours the terminal has (curses' `COLORS`; 0 or less for none).
    /// - Returns: the mode to draw with, the colour depth for symbols, and a one-line reason to
    ///   show the user (e.g. in the status line or `--verbose` output).
    ///
    /// Rules: an explicit mode is used as asked. `auto` picks ascii when `TERM` is `dumb` or
    /// unset; symbols inside tmux or screen (`$TMUX` set, or `TERM` starting with `tmux` or
    /// `screen`), whose DA1 reply is their own and which need passthrough for sixel; sixel when
    /// the DA1 reply has a parameter exactly 4; symbols otherwise. The depth is true colour when
    /// `COLORTERM` is `truecolor` or `24bit`, else follows `colors`; monochrome for a dumb or
    /// unknown terminal.
    public static func resolve(requested: ImageMode, environment: [String: String], da1Reply: [UInt8]?,
                               colors: Int) -> (mode: ResolvedImageMode, depth: ColorDepth, reason: String) {
        let term = environment["TERM"] ?? ""
        let dumb = term.isEmpty || term == "dumb"
        let depth = dumb ? .monochrome : colorDepth(environment: environment, colors: colors)

        switch requested {
        case .none: return (.none, depth, "images off (--images none)")
        case .sixel: return (.sixel, depth, "sixel as requested (--images sixel)")
        case .symbols: return (.symbols, depth, "symbols as requested (--images symbols)")
        case .ascii: return (.ascii, depth, "ascii as requested (--images ascii)")
        case .auto: break
        }

        if dumb {
            let what = term.isEmpty ? "TERM is unset" : "TERM is dumb"
            return (.ascii, depth, "\(what): using ascii (--images symbols to override)")
        }
        if let multiplexer = multiplexer(environment: environment) {
            return (.symbols, depth,
                    "inside \(multiplexer): sixel needs passthrough; using symbols (--images sixel to force)")
        }
        guard let reply = da1Reply else {
            return (.symbols, depth, "no reply to the device-attributes query: using symbols")
        }
        guard let parameters = DA1Reply.parse(reply) else {
            return (.symbols, depth, "unreadable device-attributes reply: using symbols")
        }
        if DA1Reply.reportsSixel(parameters) {
            return (.sixel, depth, "terminal reports sixel graphics: using sixel")
        }
        return (.symbols, depth, "terminal does not report sixel graphics: using symbols")
    }

    /// True colour from `COLORTERM`, else the depth that `colors` allows.
    static func colorDepth(environment: [String: String], colors: Int) -> ColorDepth {
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
        switch colors {
        case 256...: return .colors256
        case 16...: return .colors16
        case 8...: return .colors8
        default: return .monochrome
        }
    }

    /// "tmux" or "screen" when running inside one, else nil.
    static func multiplexer(environment: [String: String]) -> String? {
        let term = environment["TERM"] ?? ""
        if let tmux = environment["TMUX"], !tmux.isEmpty { return "tmux" }
        if term.hasPrefix("tmux") { return "tmux" }
        if term.hasPrefix("screen") { return "screen" }
        return nil
    }
}
