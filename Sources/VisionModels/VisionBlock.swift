import CKernels
import Tensors

/// One pre-norm EVA ViT block: `x += proj(attn(norm1(x)))`, `x += fc2(gelu(fc1(norm2(x))))`.
///
/// The fused QKV product has no bias tensor: the query and value biases are stored apart and the
/// key bias is zero, so they are joined here once into one `3D` bias.
struct VisionBlock: Sendable {
    let norm1, norm2: LayerNorm
    /// `3D × D`, with the joined bias (q, zeros, v).
    let queryKeyValue: DenseLinear
    let output: DenseLinear
    let up: DenseLinear
    let down: DenseLinear
    let heads: Int

    init(reader: any VisionWeightSource, configuration c: VisionConfiguration, index: Int) throws(VisionLoadError) {
        typealias N = XComposerGGUFNames.VisionTensor
        let prefix = N.block(index)
        let d = c.visionWidth, f = c.visionFeedForwardLength
        norm1 = LayerNorm(weight: try reader.vector(prefix + N.norm1Weight, shape: [d]),
                          bias: try reader.vector(prefix + N.norm1Bias, shape: [d]), epsilon: c.visionNormEpsilon)
        norm2 = LayerNorm(weight: try reader.vector(prefix + N.norm2Weight, shape: [d]),
                          bias: try reader.vector(prefix + N.norm2Bias, shape: [d]), epsilon: c.visionNormEpsilon)
        let qkvWeight = try reader.matrix(prefix + N.qkvWeight, shape: [3 * d, d])
        let queryBias = try reader.vector(prefix + N.queryBias, shape: [d])
        let valueBias = try reader.vector(prefix + N.valueBias, shape: [d])
        let joined = FloatBuffer(count: 3 * d)
        joined.pointer.update(from: queryBias.pointer, count: d)
        (joined.pointer + 2 * d).update(from: valueBias.pointer, count: d)
        queryKeyValue = DenseLinear(weight: qkvWeight, bias: joined)
        output = DenseLinear(weight: try reader.matrix(prefix + N.outputWeight, shape: [d, d]),
                             bias: try reader.vector(prefix + N.outputBias, shape: [d]))
        up = DenseLinear(weight: try reader.matrix(prefix + N.upWeight, shape: [f, d]),
                         bias: try reader.vector(prefix + N.upBias, shape: [f]))
        down = DenseLinear(weight: try reader.matrix(prefix + N.downWeight, shape: [d, f]),
                           bias: try reader.vector(prefix + N.downBias, shape: [d]))
        heads = c.visionHeadCount
    }

    /// Updates the `tokens × D` residual stream `x` in place.
    func apply(_ x: UnsafeMutablePointer<Float>, tokens n: Int, scratch: VisionScratch, pool: ComputePool) {
        let d = output.outputs, hd = d / heads
        norm1.apply(x, rows: n, into: scratch.normed.pointer, pool: pool)
        queryKeyValue.apply(scratch.normed.pointer, rows: n, into: scratch.queryKeyValue.pointer, pool: pool)
        let qkv = UnsafePointer(scratch.queryKeyValue.pointer)
        MultiHeadAttention.attend(
            queries: .init(base: qkv, stride: 3 * d), keys: .init(base: qkv + d, stride: 3 * d),
            values: .init(base: qkv + 2 * d, stride: 3 * d), queryCount: n, keyCount: n,
            heads: heads, headDimension: hd, into: scratch.context.pointer, outputStride: d, pool: pool)
        output.apply(scratch.context.pointer, rows: n, into: scratch.normed.pointer, pool: pool)
        ck_add_f32(x, scratch.normed.pointer, Int64(n * d))
        norm2.apply(x, rows: n, into: scratch.normed.pointer, pool: pool)
        up.apply(scratch.normed.pointer, rows: n, into: scratch.hidden.pointer, pool: pool)
        let f = up.outputs
        pool.parallelFor(n) { range in
            ck_gelu_erf_f32(scratch.hidden.pointer + range.lowerBound * f, Int64(range.count * f))
        }
        down.apply(scratch.hidden.pointer, rows: n, into: scratch.normed.pointer, pool: pool)
        ck_add_f32(x, scratch.normed.pointer, Int64(n * d))
    }
}

/// Activation buffers of one ViT forward pass.
final class VisionScratch: Sendable {
    let normed: FloatBuffer
    let queryKeyValue: FloatBuffer
    let context: FloatBuffer
    let hidden: FloatBuffer

    init(tokens: Int, width: Int, feedForward: Int) {
        normed = FloatBuffer(count: tokens * width)
        queryKeyValue = FloatBuffer(count: tokens * 3 * width)
        context = FloatBuffer(count: tokens * width)
        hidden = FloatBuffer(count: tokens * feedForward)
    }
}
