import Foundation
import Glibc
import Testing
import TerminalGraphics

/// Runs the probe against a pseudo-terminal whose other end plays the terminal.
/// Carries the responder thread's result back; read only after its semaphore is signalled.
final class QueryBox: @unchecked Sendable {
    var query: [UInt8] = []
}

@Suite(.serialized) struct TerminalProbeTests {
    /// A new pty pair: (controller, terminal side).
    ///
    /// The pty functions are not in Swift's Glibc module (they need _XOPEN_SOURCE), so they are
    /// looked up in the C library at run time.
    func openPTY() throws -> (Int32, Int32) {
        typealias IntFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        let libc = dlopen(nil, RTLD_NOW)
        let openpt = try #require(dlsym(libc, "posix_openpt"))
        let grant = try #require(dlsym(libc, "grantpt"))
        let unlock = try #require(dlsym(libc, "unlockpt"))
        let ptsname = try #require(dlsym(libc, "ptsname"))
        let controller = unsafeBitCast(openpt, to: IntFunction.self)(O_RDWR | O_NOCTTY)
        try #require(controller >= 0)
        try #require(unsafeBitCast(grant, to: IntFunction.self)(controller) == 0)
        try #require(unsafeBitCast(unlock, to: IntFunction.self)(controller) == 0)
        let name = try #require(unsafeBitCast(ptsname, to: NameFunction.self)(controller))
        let terminal = open(name, O_RDWR | O_NOCTTY)
        try #require(terminal >= 0)
        return (controller, terminal)
    }

    /// Reads what the probe sent, then answers with `reply`.
    func answer(on controller: Int32, with reply: [UInt8]) -> [UInt8] {
        var query: [UInt8] = []
        var byte: UInt8 = 0
        while query.count < 3, read(controller, &byte, 1) == 1 { query.append(byte) }
        _ = reply.withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
        return query
    }

    @Test("a pipe is not a terminal")
    func notATTY() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(TerminalProbe.queryDA1(inputFD: fds[0], outputFD: fds[1], timeoutMilliseconds: 100) == nil)
    }

    @Test("sends ESC [ c, reads the reply and restores the terminal settings")
    func roundTrip() async throws {
        let (controller, terminal) = try openPTY()
        defer { close(controller); close(terminal) }
        var before = termios()
        #expect(tcgetattr(terminal, &before) == 0)

        let reply = Array("\u{1B}[?62;4;22c".utf8)
        // A thread of its own, not a task: the probe blocks this thread, and with every core's
        // cooperative thread busy running other tests a task might not run before the timeout.
        let box = QueryBox()
        let done = DispatchSemaphore(value: 0)
        let responder = Thread { box.query = answer(on: controller, with: reply); done.signal() }
        responder.start()
        let got = TerminalProbe.queryDA1(inputFD: terminal, outputFD: terminal, timeoutMilliseconds: 5000)
        done.wait()
        let query = box.query

        #expect(query == [0x1B, UInt8(ascii: "["), UInt8(ascii: "c")])
        #expect(got == reply)
        #expect(got.flatMap(DA1Reply.parse) == [62, 4, 22])
        var after = termios()
        #expect(tcgetattr(terminal, &after) == 0)
        #expect(after.c_lflag == before.c_lflag)
        #expect(after.c_lflag & tcflag_t(ICANON) != 0, "canonical mode is back on")
    }

    @Test("a silent terminal times out with no bytes")
    func timeout() throws {
        let (controller, terminal) = try openPTY()
        defer { close(controller); close(terminal) }
        let start = Date()
        let got = TerminalProbe.queryDA1(inputFD: terminal, outputFD: terminal, timeoutMilliseconds: 150)
        let elapsed = Date().timeIntervalSince(start)
        #expect(got == [])
        #expect(elapsed >= 0.1 && elapsed < 2)
    }
}
