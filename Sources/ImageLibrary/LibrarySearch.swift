/// Retrieves library images for a caption (the job the original's remote "similar image"
/// service did): BM25 over each image's caption plus its file name, optionally blended with
/// the cosine similarity of caption embeddings.
public enum LibrarySearch {
    /// The weight of normalised BM25 in the blended score; the cosine gets the rest.
    public static let bm25Weight = 0.5

    /// The `limit` best images for `caption`, best first, never one whose path is in
    /// `excluding` (images already placed). Statistics (document frequencies, average length)
    /// come from all of `images`, so excluding some does not change the others' scores.
    ///
    /// Without embeddings only images sharing a word with the caption come back. With
    /// `embeddings` (keyed by path) and a `queryEmbedding`, score = 0.5 · BM25 / best BM25 +
    /// 0.5 · cosine, and images with an embedding can match on it alone. Equal scores are
    /// ordered by path, so the result is the same every time.
    public static func rank(caption: String, in images: [LibraryImage], excluding: Set<String> = [],
                            limit: Int = 4, embeddings: [String: [Float]]? = nil,
                            queryEmbedding: [Float]? = nil) -> [ScoredImage] {
        guard limit > 0 else { return [] }
        let index = BM25(documents: images.map(documentTokens))
        let query = SearchTokenizer.tokens(caption)
        let scores = images.indices.map { index.score(query: query, document: $0) }
        let best = scores.max() ?? 0
        var results: [ScoredImage] = []
        for (position, image) in images.enumerated() where !excluding.contains(image.path) {
            let bm25 = scores[position]
            let normalised = best > 0 ? bm25 / best : 0
            var cosine: Double?
            if let queryEmbedding, let vector = embeddings?[image.path] {
                let value = cosineSimilarity(queryEmbedding, vector)
                cosine = value.isFinite ? value : 0
            }
            guard bm25 > 0 || cosine != nil else { continue }
            let score = cosine.map { bm25Weight * normalised + (1 - bm25Weight) * $0 } ?? normalised
            results.append(ScoredImage(image: image, bm25: bm25, cosine: cosine, score: score))
        }
        results.sort { $0.score != $1.score ? $0.score > $1.score : $0.image.path < $1.image.path }
        return Array(results.prefix(limit))
    }

    /// The tokens an image is found by: its caption's and its file name's (without extension).
    public static func documentTokens(_ image: LibraryImage) -> [String] {
        SearchTokenizer.tokens(image.caption ?? "") + SearchTokenizer.tokens(PathParts.stem(of: image.fileName))
    }

    /// cos(a, b); 0 when the lengths differ or either vector is zero.
    static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var dot = 0.0, normA = 0.0, normB = 0.0
        for index in a.indices {
            let x = Double(a[index]), y = Double(b[index])
            dot += x * y
            normA += x * x
            normB += y * y
        }
        guard normA > 0, normB > 0 else { return 0 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}
