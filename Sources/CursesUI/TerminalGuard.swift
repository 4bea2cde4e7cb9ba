import Glibc
import Synchronization

/// The last termination signal received (SIGTERM, SIGHUP, SIGINT), for the main loop to act on.
let receivedSignal = Atomic<Int32>(0)

/// The terminal's settings from before curses started, restored by the crash handler.
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var haveSavedTerminal = false

/// Makes sure the terminal is given back in a usable state however the program ends.
///
/// Ordinary exits go through `Curses.stop()`. Termination signals (SIGTERM, SIGHUP, and SIGINT
/// sent from outside; in raw mode the keyboard's Ctrl-C is a key) only set a flag that the main
/// loop checks, so the normal clean-up runs. Crashes (a Swift trap is SIGILL or SIGTRAP, plus
/// SIGSEGV, SIGBUS, SIGFPE, SIGABRT) cannot return to the loop: their handler restores the saved
/// termios and writes the reset sequences with async-signal-safe calls, then lets the signal
/// take its default course so the crash is still reported.
public enum TerminalGuard {
    /// What the crash handler writes: leave the alternate screen, show the cursor, reset
    /// attributes, stop mouse reporting and bracketed paste.
    static let resetSequence: [UInt8] = Array("\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[?2004l\r\n".utf8)

    /// Saves the terminal settings and installs the handlers. Call before curses starts.
    public static func install() {
        if tcgetattr(STDIN_FILENO, &savedTerminal) == 0 { haveSavedTerminal = true }
        for signalNumber in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in receivedSignal.store(number, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                TerminalGuard.restoreFromSignalHandler()
                signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
            sigaction(signalNumber, &action, nil)
        }
        // A closed terminal must not kill us with SIGPIPE before we can save and exit.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Restores the terminal from a signal handler: only async-signal-safe calls.
    static func restoreFromSignalHandler() {
        resetSequence.withUnsafeBytes { bytes in
            _ = write(STDOUT_FILENO, bytes.baseAddress, bytes.count)
        }
        if haveSavedTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal) }
    }

    /// Restores the saved settings after curses has stopped (belt and braces for odd terminals).
    public static func restoreSavedSettings() {
        if haveSavedTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal) }
    }

    /// Takes the pending termination signal, if any.
    public static func takeSignal() -> Int32? {
        let value = receivedSignal.exchange(0, ordering: .relaxed)
        return value == 0 ? nil : value
    }
}
