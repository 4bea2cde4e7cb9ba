import COpenBLAS
import ImageIO
import ModelFiles
import Tensors

/// XComposer's eyes, loaded from a converted GGUF: the image preprocessor, the EVA ViT with
/// `ln_vision`, the perceive sampler and the projection, turning one picture into the
/// `queries + 2` vectors that are spliced into the language model's input.
///
/// All weights are dequantised to f32 at load and never change; every Linear runs as one sgemm
/// over all tokens. The pool runs one job at a time, so encodings must not overlap: use the
/// model from one thread at a time (the engine's worker).
public final class XComposerVisionModel: @unchecked Sendable {
    public let configuration: VisionConfiguration
    public let preprocessor: ImagePreprocessor
    private let tower: VisionTransformer
    private let sampler: PerceiveSampler
    private let projection: ImageProjection
    private let pool: ComputePool
    /// Owns the memory the weight matrices point into (the mapped file, or synthetic weights).
    private let weights: any VisionWeightSource

    /// Whether `file` carries a vision tower at all (text-only models do not).
    public static func hasVisionTower(_ file: GGUFFile) -> Bool {
        file.metadata[XComposerGGUFNames.Vision.imageSize] != nil
    }

    /// Reads and checks the vision metadata and tensors of `file`.
    /// - Throws: one-line errors naming the file and the key or tensor; `.noVisionTower` for a
    ///   text-only model.
    public convenience init(file: GGUFFile, pool: ComputePool) throws(VisionLoadError) {
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        let configuration = try VisionConfiguration(metadata: file.metadata, file: name)
        guard configuration.channels == 3 else {
            throw .invalidMetadata(file: name, key: XComposerGGUFNames.Vision.channels,
                                   reason: "\(configuration.channels) channels; the preprocessor takes RGB")
        }
        try self.init(weights: VisionTensorReader(file: file, name: name), configuration: configuration, pool: pool)
    }

    /// A model of `configuration`'s sizes with random weights stored as `type` (f16 as a
    /// converted checkpoint has them, or a quantised type), for measuring encoding speed and
    /// memory at the real size without the checkpoint. Its outputs mean nothing.
    public static func synthetic(configuration: VisionConfiguration = .xcomposerV1, type: GGMLType = .f16,
                                 seed: UInt64 = 1, pool: ComputePool) throws(VisionLoadError) -> XComposerVisionModel {
        try XComposerVisionModel(weights: SyntheticVisionWeights(type: type, seed: seed),
                                 configuration: configuration, pool: pool)
    }

    private init(weights: any VisionWeightSource, configuration: VisionConfiguration,
                 pool: ComputePool) throws(VisionLoadError) {
        self.configuration = configuration
        preprocessor = ImagePreprocessor(configuration: configuration)
        tower = try VisionTransformer(reader: weights, configuration: configuration)
        sampler = try PerceiveSampler(reader: weights, configuration: configuration)
        projection = try ImageProjection(reader: weights, configuration: configuration)
        self.weights = weights
        self.pool = pool
        // The pool supplies the parallelism; OpenBLAS threads would compete with it.
        openblas_set_num_threads(1)
    }

    /// Multiply-adds ×2 of one encoding (every Linear, the attention products), for reporting
    /// GFLOP/s.
    public var floatingPointOperationsPerImage: Double {
        let c = configuration
        let t = Double(c.visionTokenCount), d = Double(c.visionWidth), f = Double(c.visionFeedForwardLength)
        let q = Double(c.queryCount), dq = Double(c.qformerWidth), fq = Double(c.qformerFeedForwardLength)
        let e = Double(c.encoderWidth)
        let patches = t - 1
        var total = 2 * patches * Double(c.patchInputs) * d
        total += Double(c.visionBlockCount) * 2 * t * (3 * d * d + d * d + 2 * d * f + 2 * t * d)
        for layer in 0..<c.qformerBlockCount {
            total += 2 * q * (4 * dq * dq + 2 * dq * fq + 2 * q * dq)
            if c.hasCrossAttention(layer) { total += 2 * (q * 2 * dq * dq + t * 2 * e * dq + 2 * q * t * dq) }
        }
        return total + 2 * q * dq * Double(c.languageWidth)
    }

    /// The image's vectors for the prompt.
    public func encode(_ image: RGBAImage, shouldCancel: () -> Bool = { false }) throws(VisionCancelled) -> ImageEmbedding {
        try stages(pixels: preprocessor.pixels(image), shouldCancel: shouldCancel).embedding
    }

    /// Every stage of the encoding of a preprocessed `C × S × S` pixel tensor.
    public func stages(pixels: [Float], shouldCancel: () -> Bool = { false }) throws(VisionCancelled) -> VisionStages {
        let c = configuration
        let vision = try tower.encode(pixels: pixels, pool: pool, shouldCancel: shouldCancel)
        let normalized = tower.normalize(vision, pool: pool)
        let queries = try sampler.sample(image: normalized, pool: pool, shouldCancel: shouldCancel)
        let wrapped = projection.wrap(queries, count: c.queryCount, pool: pool)
        return VisionStages(vision: vision.array, visionNormalized: normalized.array, queries: queries.array,
                            embedding: ImageEmbedding(count: c.imageEmbeddingCount, width: c.languageWidth,
                                                      values: wrapped.array))
    }
}
