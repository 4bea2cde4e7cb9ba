#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Token ids with scores in two parallel buffers, filtered in place by the sampler.
///
/// Owns its memory (vocabulary-sized, allocated once) so that filtering a whole vocabulary per token
/// allocates nothing. The order used throughout is total: a higher score first, and on equal scores
/// the lower id first, so every filter is deterministic even with tied logits.
final class CandidateBuffer {
    let capacity: Int
    let ids: UnsafeMutableBufferPointer<Int32>
    let scores: UnsafeMutableBufferPointer<Float>
    /// Candidates in use: `ids[0..<count]`, `scores[0..<count]`.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        ids = .allocate(capacity: max(capacity, 1))
        scores = .allocate(capacity: max(capacity, 1))
    }

    deinit {
        ids.deallocate()
        scores.deallocate()
    }

    /// Loads every id of `logits` in id order; NaN scores become -infinity so they never win.
    func load(_ logits: UnsafeBufferPointer<Float>) {
        count = min(logits.count, capacity)
        for i in 0..<count {
            ids[i] = Int32(truncatingIfNeeded: i)
            let value = logits[i]
            scores[i] = value.isNaN ? -.infinity : value
        }
    }

    /// Whether candidate `a` comes before candidate `b`.
    @inline(__always) func precedes(_ a: Int, _ b: Int) -> Bool {
        scores[a] > scores[b] || (scores[a] == scores[b] && ids[a] < ids[b])
    }

    @inline(__always) func swapAt(_ a: Int, _ b: Int) {
        let id = ids[a]; ids[a] = ids[b]; ids[b] = id
        let score = scores[a]; scores[a] = scores[b]; scores[b] = score
    }

    /// Index of the first candidate in the order (the argmax with the lowest id on ties).
    func best() -> Int {
        var best = 0
        for i in 1..<max(count, 1) where precedes(i, best) { best = i }
        return best
    }

    /// Highest score among the candidates.
    func maxScore() -> Float {
        var result = -Float.infinity
        for i in 0..<count where scores[i] > result { result = scores[i] }
        return result
    }

    /// Keeps the first `k` candidates in the order (unsorted afterwards).
    ///
    /// The first `k` slots are kept as a heap whose root is the worst kept candidate; each later
    /// candidate that beats the root replaces it. O(n log k) in the worst case.
    func keepBest(_ k: Int) {
        guard k > 0, k < count else { return }
        for i in stride(from: k / 2 - 1, through: 0, by: -1) { siftDownWorstFirst(i, size: k) }
        for i in k..<count where precedes(i, 0) {
            swapAt(i, 0)
            siftDownWorstFirst(0, size: k)
        }
        count = k
    }

    /// Keeps the smallest prefix of the order whose probability mass reaches `p`, sorted in the
    /// order (best first). Probabilities are the softmax of the current scores.
    func keepNucleus(_ p: Float) {
        guard count > 1 else { return }
        let top = maxScore()
        guard top > -.infinity else { return }
        var total = 0.0
        for i in 0..<count { total += Double(expf(scores[i] - top)) }
        // A heap whose root is the best candidate; popping moves the best to the end.
        for i in stride(from: count / 2 - 1, through: 0, by: -1) { siftDownBestFirst(i, size: count) }
        var end = count
        var mass = 0.0
        let target = Double(p)
        while end > 0 {
            swapAt(0, end - 1)
            mass += Double(expf(scores[end - 1] - top)) / total
            end -= 1
            siftDownBestFirst(0, size: end)
            if mass >= target { break }
        }
        // The kept candidates sit in `end..<count`, worst first; move them to the front best first.
        let kept = count - end
        var low = end, high = count - 1
        while low < high { swapAt(low, high); low += 1; high -= 1 }
        if end > 0 {
            for i in 0..<kept {
                ids[i] = ids[end + i]
                scores[i] = scores[end + i]
            }
        }
        count = kept
    }

    /// Drops candidates whose probability is below `minP` times the best one's, keeping the order.
    func keepAboveMinP(_ minP: Float) {
        guard count > 1, minP > 0 else { return }
        let top = maxScore()
        guard top > -.infinity else { return }
        let threshold = top + logf(minP)
        var kept = 0
        for i in 0..<count where scores[i] >= threshold {
            ids[kept] = ids[i]
            scores[kept] = scores[i]
            kept += 1
        }
        count = kept
    }

    /// Divides every score by `temperature`.
    func scale(byTemperature temperature: Float) {
        guard temperature != 1 else { return }
        for i in 0..<count { scores[i] /= temperature }
    }

    /// Picks a candidate with probability proportional to `exp(score)`, using `unit` in [0, 1).
    func draw(unit: Double) -> Int {
        let top = maxScore()
        guard count > 1, top > -.infinity else { return best() }
        var total = 0.0
        for i in 0..<count { total += Double(expf(scores[i] - top)) }
        let target = unit * total
        var mass = 0.0
        var lastPositive = 0
        for i in 0..<count {
            let weight = Double(expf(scores[i] - top))
            guard weight > 0 else { continue }
            mass += weight
            lastPositive = i
            if mass > target { return i }
        }
        return lastPositive
    }

    /// The softmax of the current candidates, best first; for inspection, so it allocates.
    func probabilities() -> [TokenProbability] {
        let top = maxScore()
        var order = Array(0..<count)
        order.sort { precedes($0, $1) }
        guard top > -.infinity else {
            return order.map { TokenProbability(token: ids[$0], probability: $0 == order.first ? 1 : 0) }
        }
        var total = 0.0
        for i in 0..<count { total += Double(expf(scores[i] - top)) }
        return order.map { TokenProbability(token: ids[$0], probability: Double(expf(scores[$0] - top)) / total) }
    }

    /// Restores the heap property below `index` for a heap whose root is the worst candidate.
    private func siftDownWorstFirst(_ index: Int, size: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < size else { return }
            var worst = left
            let right = left + 1
            if right < size, precedes(left, right) { worst = right }
            guard precedes(parent, worst) else { return }
            swapAt(parent, worst)
            parent = worst
        }
    }

    /// Restores the heap property below `index` for a heap whose root is the best candidate.
    private func siftDownBestFirst(_ index: Int, size: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < size else { return }
            var best = left
            let right = left + 1
            if right < size, precedes(right, left) { best = right }
            guard precedes(best, parent) else { return }
            swapAt(parent, best)
            parent = best
        }
    }
}

/// One entry of a filtered distribution.
public struct TokenProbability: Sendable, Equatable {
    public var token: Int32
    public var probability: Double

    public init(token: Int32, probability: Double) {
        self.token = token
        self.probability = probability
    }
}
