import Glibc

/// Okapi BM25 over a fixed list of token lists.
///
/// score(D, Q) = Σ over distinct query terms t of
///   idf(t) · tf(t, D) · (k1 + 1) / (tf(t, D) + k1 · (1 − b + b · |D| / avgdl)),
/// with idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)) (the always-positive form Lucene uses),
/// N the number of documents and n(t) how many contain t.
public struct BM25: Sendable {
    public let k1: Double
    public let b: Double
    private let termCounts: [[String: Int]]
    private let lengths: [Int]
    private let documentFrequency: [String: Int]
    private let averageLength: Double

    public init(documents: [[String]], k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
        var counts: [[String: Int]] = []
        var frequency: [String: Int] = [:]
        for document in documents {
            var count: [String: Int] = [:]
            for token in document { count[token, default: 0] += 1 }
            for token in count.keys { frequency[token, default: 0] += 1 }
            counts.append(count)
        }
        termCounts = counts
        lengths = documents.map(\.count)
        documentFrequency = frequency
        let total = lengths.reduce(0, +)
        averageLength = documents.isEmpty ? 0 : Double(total) / Double(documents.count)
    }

    public func idf(_ term: String) -> Double {
        let n = Double(documentFrequency[term] ?? 0)
        let count = Double(lengths.count)
        return log(1 + (count - n + 0.5) / (n + 0.5))
    }

    /// The score of document `index` for the query tokens (repeats in the query count once).
    public func score(query: [String], document index: Int) -> Double {
        guard termCounts.indices.contains(index), averageLength > 0 else { return 0 }
        let length = Double(lengths[index])
        var score = 0.0
        for term in Set(query) {
            guard let tf = termCounts[index][term].map(Double.init) else { continue }
            score += idf(term) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / averageLength))
        }
        return score
    }
}
