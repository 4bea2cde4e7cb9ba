import AppCore
import Glibc
import Synchronization

/// The chat screen's inbox.
public typealias ChatInbox = EventInbox<ChatEvent>

/// Where other threads leave events for the UI thread, with a pipe that wakes its `poll`.
public final class EventInbox<Event: Sendable>: Sendable {
    struct Posted: Sendable {
        var event: Event
        /// Monotonic seconds when it was posted, for the token-to-screen latency figures.
        var postedAt: Double
    }
    private let queue = Mutex<[Posted]>([])
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    /// Queues an event from any thread and wakes the UI.
    public func post(_ event: Event) {
        let now = MonotonicClock.seconds()
        queue.withLock { $0.append(Posted(event: event, postedAt: now)) }
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)
    }

    /// Sleeps until a key, a posted event, a signal or the timeout.
    func waitForKeyOrEvent(timeoutMilliseconds: Int32) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, timeoutMilliseconds)
    }

    /// Takes everything queued so far.
    func drain() -> [Posted] {
        var sink = [UInt8](repeating: 0, count: 256)
        while read(wakeReadFD, &sink, sink.count) > 0 {}
        return queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}

/// Seconds on the monotonic clock.
public enum MonotonicClock {
    public static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
