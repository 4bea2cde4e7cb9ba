import ModelFiles

/// The sizes of the vision tower (EVA ViT), the perceive sampler (Q-Former) and the projection,
/// read from the `xcomposer.vision.*` / `xcomposer.qformer.*` metadata of a converted GGUF.
public struct VisionConfiguration: Sendable, Equatable {
    // Vision tower.
    public var imageSize: Int
    public var patchSize: Int
    public var channels: Int
    public var visionWidth: Int
    public var visionBlockCount: Int
    public var visionHeadCount: Int
    public var visionFeedForwardLength: Int
    public var visionNormEpsilon: Float
    /// Epsilon of `ln_vision` after the last block.
    public var postNormEpsilon: Float
    /// Per-channel pixel mean and standard deviation, one entry per channel.
    public var imageMean: [Float]
    public var imageStandardDeviation: [Float]

    // Perceive sampler.
    public var qformerWidth: Int
    public var qformerBlockCount: Int
    public var qformerHeadCount: Int
    public var qformerFeedForwardLength: Int
    public var crossAttentionFrequency: Int
    public var encoderWidth: Int
    public var qformerNormEpsilon: Float
    public var queryCount: Int

    /// Width of the language model's embeddings, which the projection writes.
    public var languageWidth: Int

    /// Patches along one side of the (square) image.
    public var gridSize: Int { imageSize / patchSize }
    /// Patch tokens plus the class token.
    public var visionTokenCount: Int { gridSize * gridSize + 1 }
    /// Inputs of one patch: channels × patch × patch.
    public var patchInputs: Int { channels * patchSize * patchSize }
    public var visionHeadDimension: Int { visionWidth / visionHeadCount }
    public var qformerHeadDimension: Int { qformerWidth / qformerHeadCount }
    /// Vectors one image contributes to a prompt: the start flag, the queries and the end flag.
    public var imageEmbeddingCount: Int { queryCount + 2 }

    /// Whether layer `layer` of the sampler has cross-attention (BLIP-2: `layer % freq == 0`).
    public func hasCrossAttention(_ layer: Int) -> Bool { layer % crossAttentionFrequency == 0 }

    /// InternLM-XComposer v1's real sizes (spec §1.2–1.3): EVA ViT-g/14 with 39 blocks of 1408,
    /// the 12-layer Q-Former of 768 with 64 queries, projected into a 4096-wide language model.
    public static let xcomposerV1 = VisionConfiguration(
        imageSize: 224, patchSize: 14, channels: 3, visionWidth: 1408, visionBlockCount: 39,
        visionHeadCount: 16, visionFeedForwardLength: 6144, visionNormEpsilon: 1e-6, postNormEpsilon: 1e-5,
        imageMean: [0.48145466, 0.4578275, 0.40821073], imageStandardDeviation: [0.26862954, 0.26130258, 0.27577711],
        qformerWidth: 768, qformerBlockCount: 12, qformerHeadCount: 12, qformerFeedForwardLength: 3072,
        crossAttentionFrequency: 2, encoderWidth: 1408, qformerNormEpsilon: 1e-12, queryCount: 64,
        languageWidth: 4096)
}

extension VisionConfiguration {
    /// Reads the configuration; `file` names the model in errors.
    /// - Throws: `.noVisionTower` when the file has no vision metadata at all.
    public init(metadata: GGUFMetadata, file: String) throws(VisionLoadError) {
        typealias V = XComposerGGUFNames.Vision
        typealias Q = XComposerGGUFNames.QFormer
        guard metadata[V.imageSize] != nil else { throw .noVisionTower(file: file) }
        func count(_ key: String) throws(VisionLoadError) -> Int {
            guard let value = metadata.integer(key) else { throw .missingMetadata(file: file, key: key) }
            guard value > 0, value < 1 << 20 else {
                throw .invalidMetadata(file: file, key: key, reason: "value \(value) is out of range")
            }
            return value
        }
        func epsilon(_ key: String) throws(VisionLoadError) -> Float {
            guard let value = metadata.float(key) else { throw .missingMetadata(file: file, key: key) }
            guard value > 0, value < 1 else {
                throw .invalidMetadata(file: file, key: key, reason: "epsilon \(value) is not in (0, 1)")
            }
            return Float(value)
        }
        func divides(_ part: Int, _ whole: Int, _ key: String, _ what: String) throws(VisionLoadError) {
            guard whole % part == 0 else {
                throw .invalidMetadata(file: file, key: key, reason: "\(part) does not divide \(what) \(whole)")
            }
        }
        imageSize = try count(V.imageSize)
        patchSize = try count(V.patchSize)
        try divides(patchSize, imageSize, V.patchSize, "the image size")
        let channels = try count(V.channels)
        self.channels = channels
        visionWidth = try count(V.embeddingLength)
        visionBlockCount = try count(V.blockCount)
        visionHeadCount = try count(V.headCount)
        try divides(visionHeadCount, visionWidth, V.headCount, "the vision width")
        visionFeedForwardLength = try count(V.feedForwardLength)
        visionNormEpsilon = try epsilon(V.layerNormEpsilon)
        postNormEpsilon = try epsilon(V.postNormEpsilon)
        func channelValues(_ key: String) throws(VisionLoadError) -> [Float] {
            guard let values = metadata.floatArray(key) else { throw .missingMetadata(file: file, key: key) }
            guard values.count == channels else {
                throw .invalidMetadata(file: file, key: key,
                                       reason: "\(values.count) values for \(channels) channels")
            }
            return values
        }
        imageMean = try channelValues(V.imageMean)
        imageStandardDeviation = try channelValues(V.imageStandardDeviation)
        guard imageStandardDeviation.allSatisfy({ $0 > 0 }) else {
            throw .invalidMetadata(file: file, key: V.imageStandardDeviation, reason: "must be positive")
        }

        qformerWidth = try count(Q.embeddingLength)
        qformerBlockCount = try count(Q.blockCount)
        qformerHeadCount = try count(Q.headCount)
        try divides(qformerHeadCount, qformerWidth, Q.headCount, "the Q-Former width")
        qformerFeedForwardLength = try count(Q.feedForwardLength)
        crossAttentionFrequency = try count(Q.crossAttentionFrequency)
        encoderWidth = try count(Q.encoderWidth)
        guard encoderWidth == visionWidth else {
            throw .invalidMetadata(file: file, key: Q.encoderWidth,
                                   reason: "\(encoderWidth) differs from the vision width \(visionWidth)")
        }
        qformerNormEpsilon = try epsilon(Q.layerNormEpsilon)
        queryCount = try count(Q.queryCount)

        // The projection writes the language model's embeddings.
        let arch = metadata.string("general.architecture") ?? "internlm"
        languageWidth = try count("\(arch).embedding_length")
    }
}
