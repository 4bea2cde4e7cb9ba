import CKernels
import COpenBLAS
import Tensors

/// The two ceilings the synthetic benchmark compares against, measured in the same run: what
/// OpenBLAS's sgemm reaches on this machine, and how fast memory streams.
enum HardwareProbes {
    /// Best GFLOP/s of OpenBLAS's own threaded sgemm on `size × size` matrices over `threads`
    /// threads, out of `repetitions` runs after a warm-up. Leaves OpenBLAS at one thread, as the
    /// models expect (their pool supplies the parallelism).
    static func sgemmPeak(size n: Int, threads: Int, repetitions: Int = 5) -> Double {
        let count = n * n
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        var generator = SplitMix64(seed: 7)
        for i in 0..<count {
            a[i] = Float(generator.next() >> 40) / Float(1 << 24) - 0.5
            b[i] = Float(generator.next() >> 40) / Float(1 << 24) - 0.5
        }
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        var best = Double.infinity
        for _ in 0...max(1, repetitions) {
            let start = ProcessStats.now
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(n), blasint(n), blasint(n),
                        1, a, blasint(n), b, blasint(n), 0, c, blasint(n))
            best = min(best, ProcessStats.now - start)
        }
        return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
    }

    /// Best GB/s of reading a `bytes`-long buffer (far larger than the caches) once, split over
    /// the pool's threads as the decoder's matrix products are. A dot product of the buffer with
    /// itself loads every cache line once and does too little arithmetic to be the limit.
    static func streamingRead(bytes: Int, pool: ComputePool, repetitions: Int = 3) -> Double {
        let count = bytes / MemoryLayout<Float>.stride
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { buffer.deallocate() }
        // Written first, so every page is resident before timing.
        let address = Int(bitPattern: buffer)
        pool.parallelFor(count, granularity: 4096) { range in
            let base = UnsafeMutablePointer<Float>(bitPattern: address)!
            for i in range { base[i] = Float(i & 1023) * 1e-3 }
        }
        var best = Double.infinity
        var sink: Float = 0
        for _ in 0..<max(1, repetitions) {
            let sums = UnsafeMutablePointer<Float>.allocate(capacity: pool.threadCount)
            sums.initialize(repeating: 0, count: pool.threadCount)
            let sumsAddress = Int(bitPattern: sums)
            let start = ProcessStats.now
            pool.run { part, parts in
                let base = UnsafePointer<Float>(bitPattern: address)!
                let lower = count * part / parts, upper = count * (part + 1) / parts
                UnsafeMutablePointer<Float>(bitPattern: sumsAddress)![part] =
                    ck_dot_f32(base + lower, base + lower, Int64(upper - lower))
            }
            best = min(best, ProcessStats.now - start)
            for i in 0..<pool.threadCount { sink += sums[i] }
            sums.deallocate()
        }
        blackHole(sink)
        return Double(count * MemoryLayout<Float>.stride) / best / 1e9
    }

    @inline(never) private static func blackHole(_ value: Float) { _ = value }
}
