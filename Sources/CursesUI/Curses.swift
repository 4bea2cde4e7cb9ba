import CNcursesw
import Glibc

/// Starts and stops curses, and owns the few terminal modes the app switches on beside it.
///
/// Only the main thread may use curses; `Curses` is therefore not Sendable.
public final class Curses {
    public private(set) var isActive = false
    public let mouseEnabled: Bool
    /// Colours the terminal reports once curses has started.
    public private(set) var colors: Int = 0

    public init(mouse: Bool) {
        self.mouseEnabled = mouse
    }

    /// Initialises the screen: raw keys (so Ctrl-C, Ctrl-S, Ctrl-Q and Ctrl-Z reach the app),
    /// no echo, keypad decoding, a short Esc delay, colours and bracketed paste.
    public func start() {
        setlocale(LC_ALL, "")
        TerminalGuard.install()
        _ = TerminalGuard.resetSequence.count
        initscr()
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(nc_stdscr(), true)
        set_escdelay(25)
        curs_set(1)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        colors = Int(nc_colors())
        if mouseEnabled {
            mousemask(nc_button4_pressed() | nc_button5_pressed(), nil)
            mouseinterval(0)
        }
        writeRaw("\u{1B}[?2004h")
    }

    /// Gives the terminal back as it was. Safe to call twice.
    public func stop() {
        guard isActive else { return }
        isActive = false
        writeRaw("\u{1B}[?2004l")
        if mouseEnabled { mousemask(0, nil) }
        endwin()
        TerminalGuard.restoreSavedSettings()
    }

    /// The terminal's size now.
    public var size: TerminalSize {
        TerminalSize(columns: Int(getmaxx(nc_stdscr())), rows: Int(getmaxy(nc_stdscr())))
    }

    /// Writes bytes to the terminal past curses (mode switches, sixels).
    public func writeRaw(_ text: String) { writeRaw(bytes: Array(text.utf8)) }

    public func writeRaw(bytes: [UInt8]) {
        fflush(nil)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }

    deinit { stop() }
}
