import Synchronization
import Tensors
import Testing

@Suite struct ComputePoolTests {
    @Test(arguments: [1, 2, 3, 4])
    func everyPartRunsExactlyOnce(threads: Int) {
        let pool = ComputePool(threadCount: threads)
        for _ in 0..<2_000 {
            let hits = Mutex([Int](repeating: 0, count: threads))
            pool.run { part, parts in
                #expect(parts == threads)
                hits.withLock { $0[part] += 1 }
            }
            #expect(hits.withLock { $0 } == [Int](repeating: 1, count: threads))
        }
    }

    @Test(arguments: [0, 1, 7, 64, 1000, 1001])
    func parallelForCoversTheRangeOnce(count: Int) {
        let pool = ComputePool(threadCount: 2)
        let seen = Mutex([Int](repeating: 0, count: count))
        pool.parallelFor(count, granularity: 4) { range in
            seen.withLock { for i in range { $0[i] += 1 } }
        }
        #expect(seen.withLock { $0 }.allSatisfy { $0 == 1 })
    }

    @Test func splitIsContiguousAlignedAndComplete() {
        for count in [0, 1, 5, 63, 64, 65, 1000] {
            for parts in 1...5 {
                var next = 0
                for part in 0..<parts {
                    let range = ComputePool.split(count, parts: parts, part: part, granularity: 8)
                    #expect(range.lowerBound == next)
                    if range.upperBound != count { #expect(range.upperBound % 8 == 0) }
                    next = range.upperBound
                }
                #expect(next == count)
            }
        }
    }

    /// Workers that parked after a quiet spell wake up for the next job.
    @Test func wakesAfterIdling() async throws {
        let pool = ComputePool(threadCount: 2)
        try await Task.sleep(for: .milliseconds(200))
        let total = Mutex(0)
        pool.run { part, _ in total.withLock { $0 += part + 1 } }
        #expect(total.withLock { $0 } == 3)
    }
}
