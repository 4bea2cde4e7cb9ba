/// The best `capacity` (score, index) pairs of a stream, for beam search's candidate selection.
///
/// Order: higher score first, and on equal scores the lower index first (the flattened
/// `beam × vocabulary + token` index, matching the layout transformers runs `topk` over).
/// A heap with the worst kept pair at the root, so a stream of n pairs costs O(n log capacity).
struct TopCandidates {
    let capacity: Int
    private(set) var scores: [Float] = []
    private(set) var indices: [Int] = []

    init(capacity: Int) {
        self.capacity = capacity
        scores.reserveCapacity(capacity)
        indices.reserveCapacity(capacity)
    }

    mutating func removeAll() {
        scores.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
    }

    @inline(__always) private static func precedes(_ s1: Float, _ i1: Int, _ s2: Float, _ i2: Int) -> Bool {
        s1 > s2 || (s1 == s2 && i1 < i2)
    }

    /// Offers one pair; it is kept if there is room or it beats the worst kept pair.
    @inline(__always) mutating func offer(score: Float, index: Int) {
        if scores.count < capacity {
            scores.append(score)
            indices.append(index)
            siftUp(scores.count - 1)
        } else if capacity > 0, Self.precedes(score, index, scores[0], indices[0]) {
            scores[0] = score
            indices[0] = index
            siftDown(0)
        }
    }

    /// The kept pairs, best first.
    func sortedBestFirst() -> [(score: Float, index: Int)] {
        zip(scores, indices).map { (score: $0.0, index: $0.1) }
            .sorted { Self.precedes($0.score, $0.index, $1.score, $1.index) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            // The root is the worst: a child that comes after its parent moves up.
            guard Self.precedes(scores[parent], indices[parent], scores[child], indices[child]) else { return }
            scores.swapAt(parent, child)
            indices.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = scores.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var worst = left
            let right = left + 1
            if right < count, Self.precedes(scores[left], indices[left], scores[right], indices[right]) {
                worst = right
            }
            guard Self.precedes(scores[parent], indices[parent], scores[worst], indices[worst]) else { return }
            scores.swapAt(parent, worst)
            indices.swapAt(parent, worst)
            parent = worst
        }
    }
}
