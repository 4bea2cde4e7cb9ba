import AppCore
import CNcursesw
import Glibc
import TerminalGraphics

/// The compose screen's inbox.
public typealias ComposeInbox = EventInbox<ComposeEvent>

/// Carries out the compose state's effects: the model, the library, drafts and files.
public protocol ComposeBackend: AnyObject {
    /// Called on the UI thread; must return at once and report back through `inbox`.
    func perform(_ effect: ComposeEffect, inbox: ComposeInbox)
    /// Stops the engine and finishes pending saves; called once as the app exits.
    func shutdown()
}

/// The article editor: a curses loop that feeds keys and pipeline events into the compose state,
/// performs its effects and redraws when something changed. Pictures are drawn as symbols
/// (libchafa), in the article and in each slot's candidate strip.
public final class ComposeApp {
    private var state: ComposeState
    private let backend: ComposeBackend
    private let options: ChatAppOptions
    public let inbox = ComposeInbox()

    public init(state: ComposeState, backend: ComposeBackend, options: ChatAppOptions) {
        self.state = state
        self.backend = backend
        self.options = options
    }

    /// Events to apply before the first frame (a title to compose, a file to open).
    public func start(with effects: [ComposeEffect]) {
        perform(effects)
    }

    /// Runs until the user quits or a termination signal arrives; returns the exit status.
    public func run() -> Int32 {
        let environment = ProcessEnvironment.current()
        let curses = Curses(mouse: options.mouse)
        curses.start()
        defer { curses.stop() }
        let decision = ImageModeDecision.resolve(requested: options.imageMode == .sixel ? .auto : options.imageMode,
                                                 environment: environment, da1Reply: nil, colors: curses.colors)
        let depth = decision.depth == .trueColor && curses.colors < 1 << 24 ? ColorDepth.colors256 : decision.depth
        let previews = ImagePreviewer(depth: depth, style: decision.mode.symbolStyle, capacity: 96)
        let painter = ComposePainter(palette: Palette(theme: options.theme, colors: curses.colors), previews: previews)
        let keys = KeyReader()
        var size = curses.size
        perform(state.apply(.resized(columns: size.columns, rows: size.rows)))
        var dirty = true
        var lastTick = 0.0
        var status: Int32 = 0
        while true {
            if let signalNumber = TerminalGuard.takeSignal() {
                if signalNumber == SIGINT {
                    perform(state.apply(.interrupt))
                    dirty = true
                } else {
                    status = 128 + signalNumber
                    break
                }
            }
            for input in keys.readAvailable() {
                switch input {
                case .resize:
                    size = curses.size
                    perform(state.apply(.resized(columns: size.columns, rows: size.rows)))
                case let .key(key):
                    perform(state.apply(.key(key)))
                }
                dirty = true
            }
            for posted in inbox.drain() {
                perform(state.apply(posted.event))
                dirty = true
            }
            let now = MonotonicClock.seconds()
            if now - lastTick >= 0.25 {
                lastTick = now
                perform(state.apply(.tick))
                if state.isBusy || state.notice != nil { dirty = true }
            }
            if state.shouldQuit { break }
            if dirty {
                painter.draw(state, size: size, now: now)
                doupdate()
                dirty = false
            }
            inbox.waitForKeyOrEvent(timeoutMilliseconds: state.isBusy ? 100 : 250)
        }
        if let save = state.finalSave() { backend.perform(save, inbox: inbox) }
        backend.shutdown()
        return status
    }

    private func perform(_ effects: [ComposeEffect]) {
        for effect in effects where effect != .quit {
            backend.perform(effect, inbox: inbox)
        }
    }
}
