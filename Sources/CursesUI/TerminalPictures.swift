import Glibc
import TerminalGraphics

/// How a screen shows pictures on this terminal: sixels or symbols, at which colour depth, and
/// why; with the previewer that renders them. Both terminal apps decide it the same way.
struct TerminalPictures {
    let mode: ResolvedImageMode
    /// Why this mode (for the help screen): "symbols: inside tmux, …".
    let reason: String
    let previews: ImagePreviewer
    var usesSixels: Bool { mode == .sixel }

    /// Asks the terminal for its attributes (DA1) when the mode is automatic: it must run before
    /// curses starts, which would swallow the reply.
    static func probe(for requested: ImageMode) -> [UInt8]? {
        guard requested == .auto, isatty(STDIN_FILENO) != 0 else { return nil }
        return TerminalProbe.queryDA1(inputFD: STDIN_FILENO, outputFD: STDOUT_FILENO, timeoutMilliseconds: 150)
    }

    /// Decides once curses has started (it knows the colours). `capacity` rendered pictures are cached.
    init(requested: ImageMode, da1Reply: [UInt8]?, curses: Curses, capacity: Int = 16) {
        let decision = ImageModeDecision.resolve(requested: requested, environment: ProcessEnvironment.current(),
                                                 da1Reply: da1Reply, colors: curses.colors)
        // Curses can only show 24-bit cells through a direct-colour terminfo; elsewhere 256 it is.
        let depth = decision.depth == .trueColor && curses.colors < 1 << 24 ? ColorDepth.colors256 : decision.depth
        mode = decision.mode
        reason = decision.reason
        previews = ImagePreviewer(depth: depth, style: decision.mode.symbolStyle, capacity: capacity)
    }
}
