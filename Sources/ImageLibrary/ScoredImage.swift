/// A retrieved image and why: its BM25 score, its embedding cosine (when embeddings were
/// given) and the blended `score` results are ordered by.
public struct ScoredImage: Sendable, Equatable {
    public var image: LibraryImage
    public var bm25: Double
    public var cosine: Double?
    /// BM25 divided by the best BM25 of the query (0...1), averaged with the cosine when
    /// there is one.
    public var score: Double

    public init(image: LibraryImage, bm25: Double, cosine: Double?, score: Double) {
        self.image = image
        self.bm25 = bm25
        self.cosine = cosine
        self.score = score
    }
}
