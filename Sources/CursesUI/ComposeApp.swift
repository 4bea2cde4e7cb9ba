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
        let da1 = TerminalPictures.probe(for: options.imageMode)
        let curses = Curses(mouse: options.mouse)
        curses.start()
        defer { curses.stop() }
        // Every slot shows up to five pictures: cache enough renderings for a screenful.
        let pictures = TerminalPictures(requested: options.imageMode, da1Reply: da1, curses: curses, capacity: 96)
        let previews = pictures.previews
        let usesSixels = pictures.usesSixels
        let painter = ComposePainter(palette: Palette(theme: options.theme, colors: curses.colors), previews: previews,
                                     leavesPicturesToSixels: usesSixels)
        let sixels = SixelOverlay()
        var shownSixels: [PicturePlacement] = []
        var overlayWasShown = false
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
                    sixels.needsRepaint = true
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
                if usesSixels {
                    // Sixels survive frames that leave their cells alone; anything that moved
                    // them, or an overlay opening or closing, paints them all again.
                    let overlay = state.showHelp || { if case .choosingDraft = state.mode { return true } else { return false } }()
                    let placements = overlay ? [] : painter.sixelPlacements
                    if placements != shownSixels || overlay != overlayWasShown || sixels.needsRepaint {
                        for picture in placements {
                            if case let .success(image) = previews.image(for: picture.path) {
                                sixels.paint(path: picture.path, image: image, x: picture.x, y: picture.row,
                                             columns: picture.width, rows: picture.rows, centred: picture.centred, curses: curses)
                            }
                        }
                        shownSixels = placements
                        overlayWasShown = overlay
                        sixels.needsRepaint = false
                    }
                }
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
