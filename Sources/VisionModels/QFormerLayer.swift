import CKernels
import Tensors

/// One post-norm BERT layer of the perceive sampler, query path only: self-attention over the
/// queries, cross-attention to the image tokens in every `freq`-th layer, then the query FFN,
/// each followed by `LN(sublayer + input)`.
struct QFormerLayer: Sendable {
    /// Q, K, V, the output dense layer and its LayerNorm of one attention sublayer.
    struct AttentionWeights: Sendable {
        let query, key, value, output: DenseLinear
        let norm: LayerNorm
    }

    let selfAttention: AttentionWeights
    /// Present in layers where `layer % freq == 0`; its key and value read the encoder width.
    let crossAttention: AttentionWeights?
    let up, down: DenseLinear
    let feedForwardNorm: LayerNorm
    let heads: Int

    init(reader: any VisionWeightSource, configuration c: VisionConfiguration, index: Int) throws(VisionLoadError) {
        typealias N = XComposerGGUFNames.QFormerTensor
        let prefix = N.block(index)
        let d = c.qformerWidth, e = c.encoderWidth, f = c.qformerFeedForwardLength
        func attention(_ q: String, _ k: String, _ v: String, _ out: String, _ ln: String,
                       keyInputs: Int) throws(VisionLoadError) -> AttentionWeights {
            AttentionWeights(query: try reader.linear(prefix + q, outputs: d, inputs: d),
                             key: try reader.linear(prefix + k, outputs: d, inputs: keyInputs),
                             value: try reader.linear(prefix + v, outputs: d, inputs: keyInputs),
                             output: try reader.linear(prefix + out, outputs: d, inputs: d),
                             norm: try reader.layerNorm(prefix + ln, width: d, epsilon: c.qformerNormEpsilon))
        }
        selfAttention = try attention(N.selfQuery, N.selfKey, N.selfValue, N.selfOutput, N.selfNorm, keyInputs: d)
        crossAttention = c.hasCrossAttention(index)
            ? try attention(N.crossQuery, N.crossKey, N.crossValue, N.crossOutput, N.crossNorm, keyInputs: e)
            : nil
        up = try reader.linear(prefix + N.feedForwardUp, outputs: f, inputs: d)
        down = try reader.linear(prefix + N.feedForwardDown, outputs: d, inputs: f)
        feedForwardNorm = try reader.layerNorm(prefix + N.feedForwardNorm, width: d, epsilon: c.qformerNormEpsilon)
        heads = c.qformerHeadCount
    }

    /// This layer's cross-attention keys and values (`imageTokens × D` each) for one image.
    /// They depend only on the image, so they are computed once per image, before the layers run.
    func crossKeysAndValues(image: UnsafePointer<Float>, tokens: Int, pool: ComputePool)
        -> (keys: FloatBuffer, values: FloatBuffer)?
    {
        guard let crossAttention else { return nil }
        let d = crossAttention.key.outputs
        let keys = FloatBuffer(count: tokens * d), values = FloatBuffer(count: tokens * d)
        crossAttention.key.apply(image, rows: tokens, into: keys.pointer, pool: pool)
        crossAttention.value.apply(image, rows: tokens, into: values.pointer, pool: pool)
        return (keys, values)
    }

    /// Updates the `queries × D` hidden states `h` in place. `cross` holds this layer's keys and
    /// values from `crossKeysAndValues` (ignored in layers without cross-attention).
    func apply(_ h: UnsafeMutablePointer<Float>, queries n: Int,
               cross: (keys: FloatBuffer, values: FloatBuffer, count: Int)?,
               scratch: QFormerScratch, pool: ComputePool) {
        let d = selfAttention.query.outputs, hd = d / heads
        let s = scratch
        // Self-attention.
        let w = selfAttention
        w.query.apply(h, rows: n, into: s.query.pointer, pool: pool)
        w.key.apply(h, rows: n, into: s.key.pointer, pool: pool)
        w.value.apply(h, rows: n, into: s.value.pointer, pool: pool)
        attendAndNormalize(w, h, queries: n, keys: UnsafePointer(s.key.pointer),
                           values: UnsafePointer(s.value.pointer), keyCount: n, headDimension: hd,
                           scratch: s, pool: pool)
        // Cross-attention to the image.
        if let c = crossAttention, let cross {
            c.query.apply(h, rows: n, into: s.query.pointer, pool: pool)
            attendAndNormalize(c, h, queries: n, keys: UnsafePointer(cross.keys.pointer),
                               values: UnsafePointer(cross.values.pointer), keyCount: cross.count,
                               headDimension: hd, scratch: s, pool: pool)
        }
        // Query feed-forward.
        up.apply(h, rows: n, into: s.hidden.pointer, pool: pool)
        ck_gelu_erf_f32(s.hidden.pointer, Int64(n * up.outputs))
        down.apply(s.hidden.pointer, rows: n, into: s.context.pointer, pool: pool)
        ck_add_f32(s.context.pointer, h, Int64(n * d))
        feedForwardNorm.apply(s.context.pointer, rows: n, into: h, pool: pool)
    }

    /// `h = LN(dense(softmax(Q Kᵀ / √hd) V) + h)`, with Q already in `scratch.query`.
    private func attendAndNormalize(_ w: AttentionWeights, _ h: UnsafeMutablePointer<Float>, queries n: Int,
                                    keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyCount: Int,
                                    headDimension hd: Int, scratch s: QFormerScratch, pool: ComputePool) {
        let d = w.output.outputs
        MultiHeadAttention.attend(
            queries: .init(base: UnsafePointer(s.query.pointer), stride: d), keys: .init(base: keys, stride: d),
            values: .init(base: values, stride: d), queryCount: n, keyCount: keyCount,
            heads: heads, headDimension: hd, into: s.context.pointer, outputStride: d, pool: pool)
        w.output.apply(s.context.pointer, rows: n, into: s.projected.pointer, pool: pool)
        ck_add_f32(s.projected.pointer, h, Int64(n * d))
        w.norm.apply(s.projected.pointer, rows: n, into: h, pool: pool)
    }
}

/// Activation buffers of one sampler forward pass.
final class QFormerScratch: Sendable {
    let query, key, value, context, projected, hidden: FloatBuffer

    init(queries n: Int, width d: Int, feedForward f: Int) {
        query = FloatBuffer(count: n * d)
        key = FloatBuffer(count: n * d)
        value = FloatBuffer(count: n * d)
        context = FloatBuffer(count: n * d)
        projected = FloatBuffer(count: n * d)
        hidden = FloatBuffer(count: n * f)
    }
}
