import Glibc
import Synchronization

/// A fixed set of worker threads that run one parallel job at a time with very low latency.
///
/// A decode step of a small model issues ~150 parallel matrix products of a few microseconds
/// each, so waking threads through the OS for every one would cost more than the work. Workers
/// spin briefly on an atomic job counter after each job, then park on a condition variable, so
/// back-to-back jobs start within a microsecond and an idle pool costs no CPU.
///
/// The caller's thread is worker 0: `run` executes part 0 itself and returns when all parts are
/// done. `run` must not be called from two threads at once, nor from inside a job.
public final class ComputePool: @unchecked Sendable {
    /// Threads taking part in each job, including the caller's.
    public let threadCount: Int

    private let jobGeneration = Atomic<Int>(0)
    private let pendingWorkers = Atomic<Int>(0)
    private let sleepingWorkers = Atomic<Int>(0)
    private let shuttingDown = Atomic<Bool>(false)
    private var mutex = pthread_mutex_t()
    private var wakeCondition = pthread_cond_t()
    /// The current job, valid while `pendingWorkers > 0`. Written only by `run` before it
    /// publishes a new generation (release), read by workers after they observe it (acquire).
    nonisolated(unsafe) private var job: UnsafeRawPointer?
    private var threads: [pthread_t] = []

    /// How long a worker spins looking for the next job before it parks.
    private static let spinIterations = 20_000

    /// Creates a pool of `threadCount` threads (at least 1; 1 means everything runs inline).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wakeCondition, nil)
        for index in 1..<self.threadCount {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index))
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(index: context.index)
                return nil
            }, context.toOpaque())
            precondition(status == 0, "pthread_create failed: \(status)")
            threads.append(thread)
        }
    }

    deinit {
        shuttingDown.store(true, ordering: .releasing)
        pthread_mutex_lock(&mutex)
        jobGeneration.wrappingAdd(1, ordering: .releasing)
        pthread_cond_broadcast(&wakeCondition)
        pthread_mutex_unlock(&mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(&wakeCondition)
        pthread_mutex_destroy(&mutex)
    }

    /// Runs `body(part, partCount)` for every part in `0..<threadCount`, in parallel, and waits.
    public func run(_ body: (_ part: Int, _ partCount: Int) -> Void) {
        if threadCount == 1 { body(0, 1); return }
        withoutActuallyEscaping(body) { escapable in
            var box = JobBox(body: escapable)
            withUnsafePointer(to: &box) { pointer in
                job = UnsafeRawPointer(pointer)
                pendingWorkers.store(threadCount - 1, ordering: .relaxed)
                // Sequentially consistent on both sides (here and in the parking worker), so either
                // the worker sees the new generation or this thread sees it asleep and wakes it.
                jobGeneration.wrappingAdd(1, ordering: .sequentiallyConsistent)
                if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(&mutex)
                    pthread_cond_broadcast(&wakeCondition)
                    pthread_mutex_unlock(&mutex)
                }
                escapable(0, threadCount)
                while pendingWorkers.load(ordering: .acquiring) > 0 {}
                job = nil
            }
        }
    }

    /// Splits `0..<count` into `threadCount` contiguous ranges (multiples of `granularity`
    /// except the last) and runs `body` on each non-empty one in parallel.
    public func parallelFor(_ count: Int, granularity: Int = 1,
                            _ body: (_ range: Range<Int>) -> Void) {
        if count <= 0 { return }
        let parts = min(threadCount, max(1, count / max(1, granularity)))
        if parts == 1 { body(0..<count); return }
        run { part, _ in
            let range = Self.split(count, parts: parts, part: part, granularity: granularity)
            if !range.isEmpty { body(range) }
        }
    }

    /// The `part`-th of `parts` contiguous ranges covering `0..<count`, aligned to `granularity`.
    public static func split(_ count: Int, parts: Int, part: Int, granularity: Int = 1) -> Range<Int> {
        guard part < parts else { return count..<count }
        let units = (count + granularity - 1) / granularity
        let start = min(count, (units * part / parts) * granularity)
        let end = min(count, (units * (part + 1) / parts) * granularity)
        return start..<end
    }

    private func workerLoop(index: Int) {
        // Generation 0 is the pool's state before any job. Reading the counter here instead would
        // lose a job published before this thread got to run.
        var seen = 0
        while true {
            var spins = 0
            var current = jobGeneration.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins >= Self.spinIterations {
                    pthread_mutex_lock(&mutex)
                    sleepingWorkers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    while jobGeneration.load(ordering: .sequentiallyConsistent) == seen {
                        pthread_cond_wait(&wakeCondition, &mutex)
                    }
                    sleepingWorkers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(&mutex)
                    spins = 0
                }
                current = jobGeneration.load(ordering: .acquiring)
            }
            seen = current
            if shuttingDown.load(ordering: .acquiring) { return }
            if let job {
                job.assumingMemoryBound(to: JobBox.self).pointee.body(index, threadCount)
            }
            pendingWorkers.wrappingSubtract(1, ordering: .releasing)
        }
    }
}

private struct JobBox {
    let body: (Int, Int) -> Void
}

private final class WorkerContext {
    let pool: ComputePool
    let index: Int
    init(pool: ComputePool, index: Int) { self.pool = pool; self.index = index }
}
