extension LlamaConfiguration {
    /// A configuration given directly rather than read from a file (synthetic models).
    /// `kvHeadCount` defaults to `headCount`, the head dimension to `embeddingLength / headCount`.
    public init(architecture: String, layerCount: Int, embeddingLength: Int, feedForwardLength: Int,
                headCount: Int, kvHeadCount: Int? = nil, vocabularySize: Int, trainedContextLength: Int = 2048,
                normEpsilon: Float = 1e-5, ropeBase: Double = 10000) {
        self.architecture = architecture
        self.layerCount = layerCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount ?? headCount
        headDimension = embeddingLength / headCount
        self.vocabularySize = vocabularySize
        self.trainedContextLength = trainedContextLength
        self.normEpsilon = normEpsilon
        self.ropeBase = ropeBase
        ropeDimensions = headDimension
        ropeLinearFactor = 1
        ropeStyle = architecture == "internlm" ? .halves : .adjacentPairs
    }

    /// InternLM-7B as XComposer v1 uses it (spec §1.1): 32 layers of 4096, an FFN of 11008, 32
    /// heads of 128, 103168 tokens, biases on q/k/v/o, RMSNorm ε 1e-5, 2048 trained positions.
    public static let internLM7B = LlamaConfiguration(
        architecture: "internlm", layerCount: 32, embeddingLength: 4096, feedForwardLength: 11008,
        headCount: 32, vocabularySize: 103168)
}
