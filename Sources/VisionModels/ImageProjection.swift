import Tensors

/// `internlm_proj` into the language model's width, and the learned start and end flags that
/// wrap each image's vectors (parameters of their own, not token embeddings).
struct ImageProjection: Sendable {
    let projection: DenseLinear
    /// `H` each.
    let start, end: FloatBuffer

    init(reader: any VisionWeightSource, configuration c: VisionConfiguration) throws(VisionLoadError) {
        typealias N = XComposerGGUFNames.ProjectionTensor
        projection = DenseLinear(weight: try reader.matrix(N.weight, shape: [c.languageWidth, c.qformerWidth]),
                                 bias: try reader.vector(N.bias, shape: [c.languageWidth]))
        start = try reader.vector(N.imageStart, shape: [1, 1, c.languageWidth])
        end = try reader.vector(N.imageEnd, shape: [1, 1, c.languageWidth])
    }

    /// `(Q + 2) × H`: the start flag, the `Q` projected queries, the end flag.
    func wrap(_ queries: FloatBuffer, count q: Int, pool: ComputePool) -> FloatBuffer {
        let h = projection.outputs
        let out = FloatBuffer(count: (q + 2) * h)
        out.pointer.update(from: start.pointer, count: h)
        projection.apply(queries.pointer, rows: q, into: out.pointer + h, pool: pool)
        (out.pointer + (q + 1) * h).update(from: end.pointer, count: h)
        return out
    }
}
