import CKernels
import Tensors

/// The ViT stem: the `P×P` stride-`P` convolution written as im2col + one sgemm, the class token
/// in front, and the learned absolute position embedding added to every token.
struct PatchEmbedding: Sendable {
    /// The convolution as a Linear layer: `D × (C·P·P)`, inputs in PyTorch's (c, ky, kx) order.
    let projection: DenseLinear
    /// `D`
    let classEmbedding: FloatBuffer
    /// `T × D`
    let positionEmbedding: FloatBuffer
    let channels: Int
    let patchSize: Int
    let gridSize: Int

    init(reader: any VisionWeightSource, configuration c: VisionConfiguration) throws(VisionLoadError) {
        typealias N = XComposerGGUFNames.VisionTensor
        let p = c.patchSize
        projection = DenseLinear(weight: try reader.matrix(N.patchWeight, shape: [c.visionWidth, c.channels, p, p]),
                                 bias: try reader.vector(N.patchBias, shape: [c.visionWidth]))
        classEmbedding = try reader.vector(N.classEmbedding, shape: [1, 1, c.visionWidth])
        positionEmbedding = try reader.vector(N.positionEmbedding, shape: [1, c.visionTokenCount, c.visionWidth])
        channels = c.channels
        patchSize = p
        gridSize = c.gridSize
    }

    /// Writes the `T × D` token matrix for CHW `pixels` into `tokens`.
    func apply(pixels: UnsafePointer<Float>, into tokens: UnsafeMutablePointer<Float>, pool: ComputePool) {
        let p = patchSize, g = gridSize, side = g * p
        let inputs = projection.inputs, d = projection.outputs
        let patches = FloatBuffer(count: g * g * inputs)
        for gy in 0..<g {
            for gx in 0..<g {
                var column = patches.pointer + (gy * g + gx) * inputs
                for c in 0..<channels {
                    for ky in 0..<p {
                        let source = pixels + (c * side + gy * p + ky) * side + gx * p
                        column.update(from: source, count: p)
                        column += p
                    }
                }
            }
        }
        tokens.update(from: classEmbedding.pointer, count: d)
        projection.apply(patches.pointer, rows: g * g, into: tokens + d, pool: pool)
        ck_add_f32(tokens, positionEmbedding.pointer, Int64((g * g + 1) * d))
    }
}
