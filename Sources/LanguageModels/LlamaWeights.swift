import ModelFiles
import Tensors

/// The weights of one decoder layer, as views into the mapped file (norms and biases as f32
/// copies, which are tiny).
public struct LlamaLayerWeights: @unchecked Sendable {
    public let attentionNorm: [Float]
    public let query, key, value, output: WeightMatrix
    public let queryBias, keyBias, valueBias, outputBias: [Float]?
    public let feedForwardNorm: [Float]
    public let gate, up, down: WeightMatrix

    public init(attentionNorm: [Float], query: WeightMatrix, key: WeightMatrix, value: WeightMatrix,
                output: WeightMatrix, queryBias: [Float]?, keyBias: [Float]?, valueBias: [Float]?,
                outputBias: [Float]?, feedForwardNorm: [Float], gate: WeightMatrix, up: WeightMatrix,
                down: WeightMatrix) {
        self.attentionNorm = attentionNorm
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.queryBias = queryBias
        self.keyBias = keyBias
        self.valueBias = valueBias
        self.outputBias = outputBias
        self.feedForwardNorm = feedForwardNorm
        self.gate = gate
        self.up = up
        self.down = down
    }
}

/// All weights of a LLaMA-family model, bound by GGUF tensor name and checked against the
/// configuration's shapes.
public struct LlamaWeights: @unchecked Sendable {
    public let tokenEmbedding: WeightMatrix
    public let layers: [LlamaLayerWeights]
    public let outputNorm: [Float]
    /// The output head; the token embedding itself when the model ties them.
    public let output: WeightMatrix
    /// Per-frequency divisors of RoPE (`rope_freqs.weight`, Llama 3.1 style), if present.
    public let ropeFrequencyFactors: [Float]?

    /// Weights from memory the caller keeps alive (synthetic ones); shapes are the caller's
    /// responsibility, as `LlamaModel` trusts them.
    public init(tokenEmbedding: WeightMatrix, layers: [LlamaLayerWeights], outputNorm: [Float],
                output: WeightMatrix, ropeFrequencyFactors: [Float]? = nil) {
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.outputNorm = outputNorm
        self.output = output
        self.ropeFrequencyFactors = ropeFrequencyFactors
    }

    public init(file: GGUFFile, configuration c: LlamaConfiguration, name: String) throws(ModelLoadError) {
        let binder = TensorBinder(file: file, name: name)
        tokenEmbedding = try binder.matrix("token_embd.weight", rows: c.vocabularySize, columns: c.embeddingLength)
        var layers: [LlamaLayerWeights] = []
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            layers.append(LlamaLayerWeights(
                attentionNorm: try binder.vector(p + "attn_norm.weight", count: c.embeddingLength),
                query: try binder.matrix(p + "attn_q.weight", rows: c.queryWidth, columns: c.embeddingLength),
                key: try binder.matrix(p + "attn_k.weight", rows: c.kvWidth, columns: c.embeddingLength),
                value: try binder.matrix(p + "attn_v.weight", rows: c.kvWidth, columns: c.embeddingLength),
                output: try binder.matrix(p + "attn_output.weight", rows: c.embeddingLength, columns: c.queryWidth),
                queryBias: try binder.optionalVector(p + "attn_q.bias", count: c.queryWidth),
                keyBias: try binder.optionalVector(p + "attn_k.bias", count: c.kvWidth),
                valueBias: try binder.optionalVector(p + "attn_v.bias", count: c.kvWidth),
                outputBias: try binder.optionalVector(p + "attn_output.bias", count: c.embeddingLength),
                feedForwardNorm: try binder.vector(p + "ffn_norm.weight", count: c.embeddingLength),
                gate: try binder.matrix(p + "ffn_gate.weight", rows: c.feedForwardLength, columns: c.embeddingLength),
                up: try binder.matrix(p + "ffn_up.weight", rows: c.feedForwardLength, columns: c.embeddingLength),
                down: try binder.matrix(p + "ffn_down.weight", rows: c.embeddingLength, columns: c.feedForwardLength)
            ))
        }
        self.layers = layers
        outputNorm = try binder.vector("output_norm.weight", count: c.embeddingLength)
        if file.tensor(named: "output.weight") != nil {
            output = try binder.matrix("output.weight", rows: c.vocabularySize, columns: c.embeddingLength)
        } else {
            output = tokenEmbedding
        }
        ropeFrequencyFactors = try binder.optionalVector("rope_freqs.weight", count: c.ropeDimensions / 2)
    }
}

/// Looks tensors up by name and checks their type and shape, turning problems into
/// `ModelLoadError`s that name the file and tensor.
struct TensorBinder {
    let file: GGUFFile
    let name: String

    func info(_ tensorName: String) throws(ModelLoadError) -> GGUFTensorInfo {
        guard let info = file.tensor(named: tensorName) else {
            throw .missingTensor(file: name, name: tensorName)
        }
        return info
    }

    func matrix(_ tensorName: String, rows: Int, columns: Int) throws(ModelLoadError) -> WeightMatrix {
        let info = try info(tensorName)
        guard info.dimensions == [columns, rows] else {
            throw .tensorShape(file: name, name: tensorName, expected: [columns, rows], actual: info.dimensions)
        }
        guard info.type.isComputable else {
            throw .unsupportedTensorType(file: name, name: tensorName, type: info.type.name)
        }
        return WeightMatrix(type: info.type, rows: rows, columns: columns, data: file.data(of: info))
    }

    func vector(_ tensorName: String, count: Int) throws(ModelLoadError) -> [Float] {
        let info = try info(tensorName)
        guard info.elementCount == count else {
            throw .tensorShape(file: name, name: tensorName, expected: [count], actual: info.dimensions)
        }
        guard info.type.isComputable else {
            throw .unsupportedTensorType(file: name, name: tensorName, type: info.type.name)
        }
        let matrix = WeightMatrix(type: info.type, rows: 1, columns: count, data: file.data(of: info))
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            matrix.dequantizeRows(0..<1, into: buffer.baseAddress!)
            initialized = count
        }
    }

    func optionalVector(_ tensorName: String, count: Int) throws(ModelLoadError) -> [Float]? {
        file.tensor(named: tensorName) == nil ? nil : try vector(tensorName, count: count)
    }
}
