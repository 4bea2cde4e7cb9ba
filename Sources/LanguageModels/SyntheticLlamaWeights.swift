import CKernels
import Tensors

/// Random decoder weights of any configuration's sizes, quantised in memory to one stored type,
/// for measuring speed and memory at the real size without a checkpoint or a file.
///
/// Each matrix is generated and quantised row by row straight into its final buffer (one row of
/// f32 per thread at a time), so building never needs more memory than the quantised model.
/// Every row has its own seed, so the weights do not depend on the thread count. Matrix values
/// are uniform in ±1/√columns (activations stay in range through the layers), norms are the
/// identity, biases small. The outputs mean nothing.
public final class SyntheticLlamaWeights: @unchecked Sendable {
    public let weights: LlamaWeights
    /// Bytes of all matrices as stored (what a forward pass streams).
    public let matrixBytes: Int
    private let allocations: [UnsafeMutableRawPointer]

    /// - Parameter progress: called after each matrix with the fraction built so far.
    /// - Throws: `.unsupportedTensorType` when a row length is not a whole number of `type`'s blocks.
    public init(configuration c: LlamaConfiguration, type: GGMLType, seed: UInt64 = 1, pool: ComputePool,
                progress: (Double) -> Void = { _ in }) throws(ModelLoadError) {
        guard type.isComputable, type.blockElements != nil else {
            throw .unsupportedTensorType(file: "synthetic", name: "all matrices", type: type.name)
        }
        let d = c.embeddingLength, f = c.feedForwardLength
        let layerShapes = [(c.queryWidth, d), (c.kvWidth, d), (c.kvWidth, d), (d, c.queryWidth),
                           (f, d), (f, d), (d, f)]
        let totalElements = Double(2 * c.vocabularySize * d
            + c.layerCount * layerShapes.reduce(0) { $0 + $1.0 * $1.1 })
        var allocations: [UnsafeMutableRawPointer] = []
        var bytes = 0
        var built = 0.0
        var index: UInt64 = 0
        func matrix(_ name: String, rows: Int, columns: Int) throws(ModelLoadError) -> WeightMatrix {
            guard let rowBytes = type.byteCount(elements: columns) else {
                throw .unsupportedTensorType(file: "synthetic", name: name, type: type.name)
            }
            let data = UnsafeMutableRawPointer.allocate(byteCount: rows * rowBytes, alignment: 64)
            allocations.append(data)
            index += 1
            Self.fill(data, rows: rows, columns: columns, rowBytes: rowBytes, type: type,
                      seed: seed &* 0x1000_0000 &+ index, pool: pool)
            bytes += rows * rowBytes
            built += Double(rows * columns)
            progress(built / totalElements)
            return WeightMatrix(type: type, rows: rows, columns: columns, data: UnsafeRawPointer(data))
        }
        var state = seed
        func bias(_ count: Int) -> [Float] { (0..<count).map { _ in 0.02 * Self.uniform(&state) } }
        let ones = [Float](repeating: 1, count: d)

        do {
            let embedding = try matrix("token_embd.weight", rows: c.vocabularySize, columns: d)
            var layers: [LlamaLayerWeights] = []
            for i in 0..<c.layerCount {
                let p = "blk.\(i)."
                layers.append(LlamaLayerWeights(
                    attentionNorm: ones,
                    query: try matrix(p + "attn_q.weight", rows: c.queryWidth, columns: d),
                    key: try matrix(p + "attn_k.weight", rows: c.kvWidth, columns: d),
                    value: try matrix(p + "attn_v.weight", rows: c.kvWidth, columns: d),
                    output: try matrix(p + "attn_output.weight", rows: d, columns: c.queryWidth),
                    queryBias: bias(c.queryWidth), keyBias: bias(c.kvWidth), valueBias: bias(c.kvWidth),
                    outputBias: bias(d), feedForwardNorm: ones,
                    gate: try matrix(p + "ffn_gate.weight", rows: f, columns: d),
                    up: try matrix(p + "ffn_up.weight", rows: f, columns: d),
                    down: try matrix(p + "ffn_down.weight", rows: d, columns: f)))
            }
            let output = try matrix("output.weight", rows: c.vocabularySize, columns: d)
            weights = LlamaWeights(tokenEmbedding: embedding, layers: layers, outputNorm: ones, output: output)
        } catch {
            for allocation in allocations { allocation.deallocate() }
            throw error
        }
        self.allocations = allocations
        matrixBytes = bytes
    }

    deinit { for allocation in allocations { allocation.deallocate() } }

    /// Fills `rows` rows of `type` at `data`, split over the pool; row `r` comes from `seed + r`.
    private static func fill(_ data: UnsafeMutableRawPointer, rows: Int, columns: Int, rowBytes: Int,
                             type: GGMLType, seed: UInt64, pool: ComputePool) {
        let scale = 1 / Float(columns).squareRoot()
        let address = Int(bitPattern: data)
        pool.parallelFor(rows, granularity: 16) { range in
            guard !range.isEmpty else { return }
            let destination = UnsafeMutableRawPointer(bitPattern: address)!
            let row = UnsafeMutablePointer<Float>.allocate(capacity: columns)
            defer { row.deallocate() }
            for r in range {
                var state = (seed << 32) ^ UInt64(r) &* 0xD6E8_FEB8_6659_FD93
                for i in 0..<columns { row[i] = scale * uniform(&state) }
                _ = ck_quantize(type.ckType, row, destination + r * rowBytes, Int64(columns))
            }
        }
    }

    /// SplitMix64, mapped to [-1, 1).
    private static func uniform(_ state: inout UInt64) -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 23) - 1
    }
}

extension LlamaModel {
    /// A decoder of `configuration`'s sizes over synthetic weights (see `SyntheticLlamaWeights`),
    /// which the model keeps alive.
    public static func synthetic(_ synthetic: SyntheticLlamaWeights, configuration: LlamaConfiguration,
                                 contextLength: Int, pool: ComputePool,
                                 numerics: Numerics = .llamaCpp) throws(ModelLoadError) -> LlamaModel {
        try LlamaModel(configuration: configuration, weights: synthetic.weights, storage: synthetic,
                       name: "synthetic \(configuration.architecture)", contextLength: contextLength,
                       sequenceSlots: 1, pool: pool, numerics: numerics)
    }
}
