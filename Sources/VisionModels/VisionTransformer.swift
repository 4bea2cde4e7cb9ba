import Tensors

/// The EVA ViT-g/14 image tower as BLIP-2 uses it: patch embedding, the pre-norm blocks, and no
/// final norm of its own (XComposer's `ln_vision` follows, kept apart so both outputs can be
/// checked against the reference).
struct VisionTransformer: Sendable {
    let embedding: PatchEmbedding
    let blocks: [VisionBlock]
    /// `ln_vision`.
    let postNorm: LayerNorm
    let configuration: VisionConfiguration

    init(reader: any VisionWeightSource, configuration c: VisionConfiguration) throws(VisionLoadError) {
        typealias N = XComposerGGUFNames.VisionTensor
        embedding = try PatchEmbedding(reader: reader, configuration: c)
        var blocks: [VisionBlock] = []
        for index in 0..<c.visionBlockCount {
            blocks.append(try VisionBlock(reader: reader, configuration: c, index: index))
        }
        self.blocks = blocks
        postNorm = LayerNorm(weight: try reader.vector(N.postNormWeight, shape: [c.visionWidth]),
                             bias: try reader.vector(N.postNormBias, shape: [c.visionWidth]),
                             epsilon: c.postNormEpsilon)
        configuration = c
    }

    /// The last block's `T × D` output for CHW `pixels`.
    func encode(pixels: [Float], pool: ComputePool, shouldCancel: () -> Bool) throws(VisionCancelled) -> FloatBuffer {
        let c = configuration
        let n = c.visionTokenCount
        precondition(pixels.count == c.channels * c.imageSize * c.imageSize, "pixel tensor of the wrong size")
        let x = FloatBuffer(count: n * c.visionWidth)
        pixels.withUnsafeBufferPointer { embedding.apply(pixels: $0.baseAddress!, into: x.pointer, pool: pool) }
        let scratch = VisionScratch(tokens: n, width: c.visionWidth, feedForward: c.visionFeedForwardLength)
        for block in blocks {
            if shouldCancel() { throw VisionCancelled() }
            block.apply(x.pointer, tokens: n, scratch: scratch, pool: pool)
        }
        return x
    }

    /// `ln_vision` of the tower's output.
    func normalize(_ tokens: FloatBuffer, pool: ComputePool) -> FloatBuffer {
        let out = FloatBuffer(count: tokens.count)
        postNorm.apply(tokens.pointer, rows: configuration.visionTokenCount, into: out.pointer, pool: pool)
        return out
    }
}

/// Thrown when an image encoding is cancelled between layers.
public struct VisionCancelled: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "image encoding cancelled" }
}
