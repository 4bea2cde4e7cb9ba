/// The vectors one image contributes to a prompt: `count` rows of the language model's width
/// (the start flag, the projected queries, the end flag), row-major.
public struct ImageEmbedding: Sendable, Equatable {
    public let count: Int
    public let width: Int
    public let values: [Float]

    public init(count: Int, width: Int, values: [Float]) {
        precondition(values.count == count * width, "an embedding block needs count × width values")
        self.count = count
        self.width = width
        self.values = values
    }
}

/// Every intermediate of one image's encoding, for checking each stage against a reference.
public struct VisionStages: Sendable {
    /// The last ViT block's output, `T × Dv`, before `ln_vision`.
    public let vision: [Float]
    /// After `ln_vision`, `T × Dv`.
    public let visionNormalized: [Float]
    /// The sampler's last hidden state, `Q × Dq`.
    public let queries: [Float]
    /// The wrapped projection, `(Q + 2) × H`.
    public let embedding: ImageEmbedding
}
