import Glibc

/// Asks the terminal about itself. The only I/O in this module; everything it learns is
/// interpreted by pure code (`DA1Reply`, `ImageModeDecision`).
public enum TerminalProbe {
    /// Sends Primary Device Attributes (`ESC [ c`) and collects the reply.
    ///
    /// Puts the input tty in raw mode (no echo, no line buffering) while waiting and always
    /// restores its previous settings. Reads until a complete `ESC [ ? … c` reply has arrived,
    /// `timeoutMilliseconds` have passed, or 256 bytes came in. Call it before curses starts (or
    /// while it is suspended), since it reads the terminal directly.
    /// - Returns: the bytes read (possibly incomplete after a timeout, empty when the terminal
    ///   said nothing); nil when either descriptor is not a terminal or the query could not be
    ///   sent.
    public static func queryDA1(inputFD: Int32, outputFD: Int32, timeoutMilliseconds: Int) -> [UInt8]? {
        guard isatty(inputFD) == 1, isatty(outputFD) == 1 else { return nil }
        var saved = termios()
        guard tcgetattr(inputFD, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(inputFD, TCSANOW, &raw) == 0 else { return nil }
        defer { _ = tcsetattr(inputFD, TCSANOW, &saved) }

        let query: [UInt8] = [0x1B, UInt8(ascii: "["), UInt8(ascii: "c")]
        guard writeAll(query, to: outputFD) else { return nil }

        let deadline = monotonicMilliseconds() + max(timeoutMilliseconds, 0)
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64)
        while reply.count < 256 {
            let remaining = deadline - monotonicMilliseconds()
            if remaining <= 0 { break }
            var descriptor = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: remaining))
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { break }
            let count = chunk.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            if count == 0 { break }
            reply += chunk[0..<count]
            if reply.last == UInt8(ascii: "c"), DA1Reply.parse(reply) != nil { break }
        }
        return reply
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    private static func monotonicMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }
}
