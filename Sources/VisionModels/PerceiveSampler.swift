import Tensors

/// The perceive sampler: a BLIP-2 Q-Former whose learned queries, after the embedding
/// LayerNorm, read the normalised image tokens through the layers' cross-attention.
struct PerceiveSampler: Sendable {
    /// `Q × D`
    let queryEmbedding: FloatBuffer
    let embeddingNorm: LayerNorm
    let layers: [QFormerLayer]
    let configuration: VisionConfiguration

    init(reader: any VisionWeightSource, configuration c: VisionConfiguration) throws(VisionLoadError) {
        typealias N = XComposerGGUFNames.QFormerTensor
        queryEmbedding = try reader.vector(N.queryEmbedding, shape: [1, c.queryCount, c.qformerWidth])
        embeddingNorm = LayerNorm(weight: try reader.vector(N.embeddingNormWeight, shape: [c.qformerWidth]),
                                  bias: try reader.vector(N.embeddingNormBias, shape: [c.qformerWidth]),
                                  epsilon: c.qformerNormEpsilon)
        var layers: [QFormerLayer] = []
        for index in 0..<c.qformerBlockCount {
            layers.append(try QFormerLayer(reader: reader, configuration: c, index: index))
        }
        self.layers = layers
        configuration = c
    }

    /// The `Q × D` last hidden state for the `T × E` normalised image tokens.
    func sample(image: FloatBuffer, pool: ComputePool, shouldCancel: () -> Bool) throws(VisionCancelled) -> FloatBuffer {
        let c = configuration
        let n = c.queryCount, t = c.visionTokenCount
        // Every layer's keys and values over the image first: they never change within an image.
        let cross = layers.map { layer in
            layer.crossKeysAndValues(image: UnsafePointer(image.pointer), tokens: t, pool: pool)
                .map { (keys: $0.keys, values: $0.values, count: t) }
        }
        let h = FloatBuffer(count: n * c.qformerWidth)
        embeddingNorm.apply(queryEmbedding.pointer, rows: n, into: h.pointer, pool: pool)
        let scratch = QFormerScratch(queries: n, width: c.qformerWidth, feedForward: c.qformerFeedForwardLength)
        for (index, layer) in layers.enumerated() {
            if shouldCancel() { throw VisionCancelled() }
            layer.apply(h.pointer, queries: n, cross: cross[index], scratch: scratch, pool: pool)
        }
        return h
    }
}
