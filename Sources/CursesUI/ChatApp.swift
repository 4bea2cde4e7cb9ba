import AppCore
import CNcursesw
import Glibc
import TerminalGraphics

/// Carries out the chat state's effects: the model side, living outside the UI module.
public protocol ChatBackend: AnyObject {
    /// Called on the UI thread; must return at once and report back through `inbox`.
    func perform(_ effect: ChatEffect, inbox: ChatInbox)
    /// Stops the engine; called once as the app exits.
    func shutdown()
}

/// How the app looks and what it may do with the terminal.
public struct ChatAppOptions {
    public var theme: Theme
    public var imageMode: ImageMode
    public var mouse: Bool
    /// Where to write latency figures at exit (the UI benchmark reads them).
    public var latencyLogPath: String?

    public init(theme: Theme, imageMode: ImageMode, mouse: Bool, latencyLogPath: String?) {
        self.theme = theme
        self.imageMode = imageMode
        self.mouse = mouse
        self.latencyLogPath = latencyLogPath
    }
}

/// The terminal app: a curses loop on the main thread that feeds keys and engine events into the
/// chat state, performs its effects, and redraws when something changed.
public final class ChatApp {
    private var state: ChatState
    private let backend: ChatBackend
    private let options: ChatAppOptions
    public let inbox = ChatInbox()
    private let latency = LatencyRecorder()

    /// Where the user asked to go as the chat closed (`/compose`, `/open FILE.md`, `/drafts`).
    public var handoff: ChatHandoff? { state.handoff }

    public init(state: ChatState, backend: ChatBackend, options: ChatAppOptions) {
        self.state = state
        self.backend = backend
        self.options = options
    }

    /// Runs until the user quits or a termination signal arrives; returns the exit status.
    public func run() -> Int32 {
        let da1 = TerminalPictures.probe(for: options.imageMode)
        let curses = Curses(mouse: options.mouse)
        curses.start()
        defer { curses.stop() }
        let pictures = TerminalPictures(requested: options.imageMode, da1Reply: da1, curses: curses)
        let previews = pictures.previews
        let usesSixels = pictures.usesSixels
        let painter = ScreenPainter(palette: Palette(theme: options.theme, colors: curses.colors), previews: previews,
                                    leavesPictureToSixels: usesSixels)
        let sixels = SixelOverlay()
        var helpWasShown = false
        state.imageModeReason = pictures.reason
        let showImages = pictures.mode != ResolvedImageMode.none
        if !showImages { state.imagePaneVisible = false }
        let keys = KeyReader()
        var size = curses.size
        _ = state.apply(.resized(columns: size.columns, rows: size.rows))
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
            let readAt = MonotonicClock.seconds()
            var keyPressed = false
            for input in keys.readAvailable() {
                switch input {
                case .resize:
                    size = curses.size
                    sixels.needsRepaint = true
                    perform(state.apply(.resized(columns: size.columns, rows: size.rows)))
                case let .key(key):
                    keyPressed = true
                    perform(state.apply(.key(key)))
                }
                dirty = true
            }
            var tokenPostTimes: [Double] = []
            for posted in inbox.drain() {
                if case .engine(.text) = posted.event { tokenPostTimes.append(posted.postedAt) }
                perform(state.apply(posted.event))
                dirty = true
            }
            let now = MonotonicClock.seconds()
            if now - lastTick >= 0.5 {
                lastTick = now
                let hadNotice = state.notice != nil
                perform(state.apply(.tick(residentBytes: ProcessEnvironment.residentBytes())))
                if hadNotice || state.activity.isBusy { dirty = true }
                if case .loading = state.activity { dirty = true }
            }
            if state.shouldQuit { break }
            if dirty {
                let maxScroll = painter.draw(state, size: size, now: now)
                state.scrollFromBottom = min(state.scrollFromBottom, maxScroll)
                doupdate()
                if usesSixels {
                    if state.showHelp != helpWasShown { sixels.needsRepaint = true }
                    helpWasShown = state.showHelp
                    if let picture = painter.lastPicture, case let .success(image) = previews.image(for: picture.path) {
                        sixels.show(path: picture.path, image: image, x: picture.area.x, y: picture.area.y,
                                    columns: picture.area.width, rows: picture.area.height, curses: curses)
                    } else {
                        sixels.forget()
                    }
                }
                let shown = MonotonicClock.seconds()
                for postedAt in tokenPostTimes { latency.recordToken(shown - postedAt) }
                if keyPressed { latency.recordKey(shown - readAt) }
                dirty = false
            }
            inbox.waitForKeyOrEvent(timeoutMilliseconds: state.activity.isBusy ? 100 : 250)
        }
        if let save = state.finalSave() { backend.perform(save, inbox: inbox) }
        backend.shutdown()
        if let path = options.latencyLogPath { latency.write(to: path) }
        return status
    }

    private func perform(_ effects: [ChatEffect]) {
        for effect in effects where effect != .quit {
            backend.perform(effect, inbox: inbox)
        }
    }

}

/// Facts about the process the app reads at start and while it runs.
enum ProcessEnvironment {
    static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// Resident memory from /proc/self/statm.
    static func residentBytes() -> Int? {
        guard let file = fopen("/proc/self/statm", "r") else { return nil }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard fscanf_statm(file, &size, &resident) else { return nil }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_statm(_ file: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, 128, file) != nil else { return false }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let s = Int(fields[0]), let r = Int(fields[1]) else { return false }
        size = s
        resident = r
        return true
    }
}
