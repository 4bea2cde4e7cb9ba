import CKernels
import Glibc
import COpenBLAS
import ModelFiles
import Tensors

/// A LLaMA-family decoder (LLaMA 1–3, SmolLM, TinyLlama, InternLM v1) running on the CPU.
///
/// One forward pass handles a batch of tokens, each with its own sequence slot and position:
/// a prompt chunk (one slot, consecutive positions) or one token for each of several beams.
/// Matrix products go through `MatrixMultiplier` (quantised kernels for a few vectors,
/// dequantise + sgemm for many); attention reads the f32 `KVCache`.
public final class LlamaModel: CausalLanguageModel {
    public let configuration: LlamaConfiguration
    public let weights: LlamaWeights
    public let contextLength: Int
    public let sequenceSlots: Int
    public var vocabularySize: Int { configuration.vocabularySize }

    /// Tokens per forward pass during prefill; longer prompts are processed in chunks.
    public static let prefillChunk = 512

    private let file: GGUFFile
    private let multiplier: MatrixMultiplier
    private let cache: KVCache
    private let scratch: ForwardScratch
    /// `base^(-2i/d) / factor_i` for each rotated pair.
    private let inverseFrequencies: [Double]
    /// Each layer's products, bound to the scratch buffers once.
    private let layerGroups: [LayerGroups]
    private let headGroup: LinearGroup

    struct LayerGroups {
        let queryKeyValue, output, gateUp, down: LinearGroup
    }

    /// Binds the weights of an opened GGUF file.
    /// - Parameters:
    ///   - contextLength: positions per sequence (at most the trained context).
    ///   - sequenceSlots: independent sequences the cache holds (beam search needs one per beam).
    ///   - precise: exact f32 activations on the decode path instead of llama.cpp's Q8 ones.
    public init(file: GGUFFile, contextLength: Int?, sequenceSlots: Int = 1, pool: ComputePool,
                precise: Bool = false) throws(ModelLoadError) {
        let name = ModelLoader.displayName(file.path)
        let configuration = try LlamaConfiguration(metadata: file.metadata, file: name)
        self.file = file
        self.configuration = configuration
        let weights = try LlamaWeights(file: file, configuration: configuration, name: name)
        self.weights = weights
        let requested = contextLength ?? configuration.trainedContextLength
        self.contextLength = max(1, min(requested, configuration.trainedContextLength))
        self.sequenceSlots = max(1, sequenceSlots)
        multiplier = MatrixMultiplier(pool: pool, precise: precise)
        guard let cache = KVCache(slots: self.sequenceSlots, layers: configuration.layerCount,
                                  positions: self.contextLength, width: configuration.kvWidth) else {
            throw .unsupportedFeature(file: name, feature: "a KV cache of \(self.contextLength) positions (out of address space)")
        }
        self.cache = cache
        scratch = ForwardScratch(configuration: configuration, batch: Self.prefillChunk,
                                 logitRows: max(self.sequenceSlots, MatrixMultiplier.directPathMaxVectors),
                                 contextLength: self.contextLength, threads: pool.threadCount)
        let s = scratch, c = configuration
        layerGroups = weights.layers.map { layer in
            LayerGroups(
                queryKeyValue: LinearGroup([layer.query, layer.key, layer.value], outputs: [s.q, s.k, s.v],
                                           outputStrides: [c.queryWidth, c.kvWidth, c.kvWidth]),
                output: LinearGroup([layer.output], outputs: [s.xb], outputStrides: [c.embeddingLength]),
                gateUp: LinearGroup([layer.gate, layer.up], outputs: [s.gate, s.up],
                                    outputStrides: [c.feedForwardLength, c.feedForwardLength]),
                down: LinearGroup([layer.down], outputs: [s.xb], outputStrides: [c.embeddingLength]))
        }
        headGroup = LinearGroup([weights.output], outputs: [s.logits], outputStrides: [c.vocabularySize])
        let pairs = configuration.ropeDimensions / 2
        inverseFrequencies = (0..<pairs).map { i in
            let factor = Double(weights.ropeFrequencyFactors?[i] ?? 1)
            return pow(configuration.ropeBase, -2.0 * Double(i) / Double(configuration.ropeDimensions)) / factor
        }
    }

    // MARK: - CausalLanguageModel

    public func prefill(tokens: [Int32], slot: Int, position: Int,
                        shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float> {
        guard slot >= 0, slot < sequenceSlots else { throw ModelError.invalidSlot(slot) }
        guard !tokens.isEmpty else { return UnsafeBufferPointer(start: scratch.logits, count: 0) }
        guard position >= 0, position + tokens.count <= contextLength else {
            throw ModelError.contextFull(needed: position + tokens.count, available: contextLength)
        }
        try validate(tokens)
        var done = 0
        while done < tokens.count {
            if shouldCancel() { throw ModelError.cancelled }
            let count = min(Self.prefillChunk, tokens.count - done)
            for i in 0..<count {
                scratch.tokens[i] = tokens[done + i]
                scratch.slots[i] = slot
                scratch.positions[i] = position + done + i
            }
            try forward(count: count, shouldCancel: shouldCancel)
            done += count
        }
        // Logits of the last token only; it sits in the last chunk's rows.
        let d = configuration.embeddingLength
        let last = scratch.x + ((tokens.count - 1) % Self.prefillChunk) * d
        return logits(rows: UnsafePointer(last), count: 1)
    }

    public func decode(tokens: [Int32], slots: [Int], positions: [Int]) throws -> UnsafeBufferPointer<Float> {
        precondition(tokens.count == slots.count && slots.count == positions.count)
        guard tokens.count <= scratch.logitRows else {
            throw ModelError.invalidSlot(tokens.count)
        }
        try validate(tokens)
        for i in 0..<tokens.count {
            guard slots[i] >= 0, slots[i] < sequenceSlots else { throw ModelError.invalidSlot(slots[i]) }
            guard positions[i] >= 0, positions[i] < contextLength else {
                throw ModelError.contextFull(needed: positions[i] + 1, available: contextLength)
            }
            scratch.tokens[i] = tokens[i]
            scratch.slots[i] = slots[i]
            scratch.positions[i] = positions[i]
        }
        try forward(count: tokens.count, shouldCancel: { false })
        return logits(rows: UnsafePointer(scratch.x), count: tokens.count)
    }

    public func copySequence(from source: Int, to destination: Int, length: Int) {
        cache.copy(from: source, to: destination, length: min(length, contextLength))
    }

    private func validate(_ tokens: [Int32]) throws {
        for token in tokens where token < 0 || Int(token) >= vocabularySize {
            throw ModelError.invalidToken(token, vocabularySize: vocabularySize)
        }
    }

    // MARK: - Forward pass

    /// Runs all layers on `scratch.tokens[0..<count]`, leaving the final hidden states in
    /// `scratch.x` (before the output norm).
    private func forward(count n: Int, shouldCancel: () -> Bool) throws {
        let c = configuration
        let d = c.embeddingLength
        let s = scratch
        for i in 0..<n {
            let token = Int(s.tokens[i])
            weights.tokenEmbedding.dequantizeRows(token..<(token + 1), into: s.x + i * d)
        }
        computeRotations(count: n)
        for (index, layer) in weights.layers.enumerated() {
            if n > 1, shouldCancel() { throw ModelError.cancelled }
            // Attention block.
            for i in 0..<n {
                ck_rmsnorm_f32(s.x + i * d, layer.attentionNorm, s.xb + i * d, Int64(d), c.normEpsilon)
            }
            let groups = layerGroups[index]
            multiplier.multiply(groups.queryKeyValue, input: s.xb, inputStride: d, vectors: n)
            addBias(layer.queryBias, to: s.q, width: c.queryWidth, rows: n)
            addBias(layer.keyBias, to: s.k, width: c.kvWidth, rows: n)
            addBias(layer.valueBias, to: s.v, width: c.kvWidth, rows: n)
            applyRotations(to: s.q, heads: c.headCount, rows: n)
            applyRotations(to: s.k, heads: c.kvHeadCount, rows: n)
            if HACK16 { for j in 0..<(n*c.queryWidth) { s.q[j] = Float(Float16(s.q[j])) } }
            storeKeysAndValues(layer: index, count: n)
            attention(layer: index, count: n)
            multiplier.multiply(groups.output, input: s.attention, inputStride: c.queryWidth, vectors: n)
            addBias(layer.outputBias, to: s.xb, width: d, rows: n)
            ck_add_f32(s.x, s.xb, Int64(n * d))
            // Feed-forward block.
            for i in 0..<n {
                ck_rmsnorm_f32(s.x + i * d, layer.feedForwardNorm, s.xb + i * d, Int64(d), c.normEpsilon)
            }
            let f = c.feedForwardLength
            multiplier.multiply(groups.gateUp, input: s.xb, inputStride: d, vectors: n)
            ck_silu_mul_f32(s.gate, s.up, Int64(n * f))
            multiplier.multiply(groups.down, input: s.gate, inputStride: f, vectors: n)
            ck_add_f32(s.x, s.xb, Int64(n * d))
        }
    }

    /// Final norm and output head for `count` hidden-state rows.
    private func logits(rows: UnsafePointer<Float>, count: Int) -> UnsafeBufferPointer<Float> {
        let d = configuration.embeddingLength
        for i in 0..<count {
            ck_rmsnorm_f32(rows + i * d, weights.outputNorm, scratch.xb + i * d, Int64(d),
                           configuration.normEpsilon)
        }
        multiplier.multiply(headGroup, input: scratch.xb, inputStride: d, vectors: count)
        return UnsafeBufferPointer(start: scratch.logits, count: count * vocabularySize)
    }

    private func addBias(_ bias: [Float]?, to rows: UnsafeMutablePointer<Float>, width: Int, rows n: Int) {
        guard let bias else { return }
        bias.withUnsafeBufferPointer { b in
            for i in 0..<n { ck_add_f32(rows + i * width, b.baseAddress!, Int64(width)) }
        }
    }

    // MARK: RoPE

    /// Fills `scratch.cos/sin[i * pairs + j]` for each token's position.
    private func computeRotations(count n: Int) {
        let pairs = inverseFrequencies.count
        let scale = 1.0 / configuration.ropeLinearFactor
        for i in 0..<n {
            let position = Double(scratch.positions[i]) * scale
            for j in 0..<pairs {
                let angle = position * inverseFrequencies[j]
                scratch.cos[i * pairs + j] = Float(cos(angle))
                scratch.sin[i * pairs + j] = Float(sin(angle))
            }
        }
    }

    private func applyRotations(to rows: UnsafeMutablePointer<Float>, heads: Int, rows n: Int) {
        let hd = configuration.headDimension
        let pairs = inverseFrequencies.count
        let width = heads * hd
        for i in 0..<n {
            let cosines = scratch.cos + i * pairs
            let sines = scratch.sin + i * pairs
            for h in 0..<heads {
                let head = rows + i * width + h * hd
                switch configuration.ropeStyle {
                case .adjacentPairs:
                    for j in 0..<pairs {
                        let a = head[2 * j], b = head[2 * j + 1]
                        head[2 * j] = a * cosines[j] - b * sines[j]
                        head[2 * j + 1] = a * sines[j] + b * cosines[j]
                    }
                case .halves:
                    let half = configuration.ropeDimensions / 2
                    for j in 0..<pairs {
                        let a = head[j], b = head[j + half]
                        head[j] = a * cosines[j] - b * sines[j]
                        head[j + half] = a * sines[j] + b * cosines[j]
                    }
                }
            }
        }
    }

    // MARK: Attention

    private func storeKeysAndValues(layer: Int, count n: Int) {
        let w = configuration.kvWidth
        for i in 0..<n {
            let slot = scratch.slots[i], position = scratch.positions[i]
            (cache.keys(slot: slot, layer: layer) + position * w).update(from: scratch.k + i * w, count: w)
            (cache.values(slot: slot, layer: layer) + position * w).update(from: scratch.v + i * w, count: w)
            if HACK16 {
                let kk = cache.keys(slot: slot, layer: layer) + position * w
                let vv = cache.values(slot: slot, layer: layer) + position * w
                for j in 0..<w { kk[j] = Float(Float16(kk[j])); vv[j] = Float(Float16(vv[j])) }
            }
        }
    }

    /// Causal attention of every token in the batch over its own slot's cached positions.
    ///
    /// Work items: for a run of consecutive positions in one slot (a prompt chunk), one item per
    /// query head, each an [m × L] score matrix by sgemm; for single tokens (decode), one item per
    /// (token, KV head), the query heads sharing that KV head stacked into one sgemm.
    private func attention(layer: Int, count n: Int) {
        let c = configuration
        let s = scratch
        let hd = c.headDimension
        let scale = Float(1.0 / Double(hd).squareRoot())
        let cache = self.cache
        // A prompt chunk is one run (prefill always passes one slot, consecutive positions).
        let isRun = n > 1 && (1..<n).allSatisfy { s.slots[$0] == s.slots[0] && s.positions[$0] == s.positions[0] + $0 }
        let items = isRun ? c.headCount : n * c.kvHeadCount
        multiplier.pool.run { part, parts in
            let scores = s.scores[part]
            for item in ComputePool.split(items, parts: parts, part: part) {
                if isRun {
                    let head = item, kvHead = head / c.groupSize
                    let start = s.positions[0], slot = s.slots[0]
                    let length = start + n
                    let keys = cache.keys(slot: slot, layer: layer) + kvHead * hd
                    let values = cache.values(slot: slot, layer: layer) + kvHead * hd
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(length), blasint(hd),
                                scale, s.q + head * hd, blasint(c.queryWidth), keys, blasint(c.kvWidth),
                                0, scores, blasint(length))
                    for t in 0..<n {
                        let row = scores + t * length
                        let visible = start + t + 1
                        ck_softmax_f32(row, Int64(visible))
                        if visible < length { (row + visible).update(repeating: 0, count: length - visible) }
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(n), blasint(hd), blasint(length),
                                1, scores, blasint(length), values, blasint(c.kvWidth),
                                0, s.attention + head * hd, blasint(c.queryWidth))
                } else {
                    let token = item / c.kvHeadCount, kvHead = item % c.kvHeadCount
                    let slot = s.slots[token], length = s.positions[token] + 1
                    let group = c.groupSize
                    let queries = s.q + token * c.queryWidth + kvHead * group * hd
                    let keys = cache.keys(slot: slot, layer: layer) + kvHead * hd
                    let values = cache.values(slot: slot, layer: layer) + kvHead * hd
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(group), blasint(length), blasint(hd),
                                scale, queries, blasint(hd), keys, blasint(c.kvWidth),
                                0, scores, blasint(length))
                    for g in 0..<group { ck_softmax_f32(scores + g * length, Int64(length)) }
                    if HACK16 { for j in 0..<(group*length) { scores[j] = Float(Float16(scores[j])) } }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(group), blasint(hd), blasint(length),
                                1, scores, blasint(length), values, blasint(c.kvWidth),
                                0, s.attention + token * c.queryWidth + kvHead * group * hd, blasint(hd))
                }
            }
        }
    }
}

/// Activation buffers of the forward pass, allocated once per model.
final class ForwardScratch: @unchecked Sendable {
    let tokens: UnsafeMutablePointer<Int32>
    let slots: UnsafeMutablePointer<Int>
    let positions: UnsafeMutablePointer<Int>
    /// (batch, embedding) residual stream and normed copy.
    let x, xb: UnsafeMutablePointer<Float>
    /// (batch, queryWidth), (batch, kvWidth) ×2, (batch, queryWidth) attention output.
    let q, k, v, attention: UnsafeMutablePointer<Float>
    /// (batch, feedForward) ×2
    let gate, up: UnsafeMutablePointer<Float>
    /// (batch, ropeDimensions / 2) ×2
    let cos, sin: UnsafeMutablePointer<Float>
    /// (logitRows, vocabulary)
    let logits: UnsafeMutablePointer<Float>
    let logitRows: Int
    /// One (max(batch, group), contextLength) score matrix per thread.
    let scores: [UnsafeMutablePointer<Float>]
    private var all: [UnsafeMutableRawPointer] = []

    init(configuration c: LlamaConfiguration, batch: Int, logitRows: Int, contextLength: Int, threads: Int) {
        func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        let rows = max(batch, logitRows)
        tokens = .allocate(capacity: rows)
        slots = .allocate(capacity: rows)
        positions = .allocate(capacity: rows)
        x = floats(rows * c.embeddingLength)
        xb = floats(rows * c.embeddingLength)
        q = floats(rows * c.queryWidth)
        k = floats(rows * c.kvWidth)
        v = floats(rows * c.kvWidth)
        attention = floats(rows * c.queryWidth)
        gate = floats(rows * c.feedForwardLength)
        up = floats(rows * c.feedForwardLength)
        cos = floats(rows * c.ropeDimensions / 2)
        sin = floats(rows * c.ropeDimensions / 2)
        self.logitRows = logitRows
        logits = floats(logitRows * c.vocabularySize)
        // Score rows are touched only up to the positions in use, so reserve lazily.
        scores = (0..<threads).map { _ in
            UnsafeMutablePointer<Float>.allocate(capacity: max(batch, c.groupSize) * contextLength)
        }
        let floatBuffers = [x, xb, q, k, v, attention, gate, up, cos, sin, logits] + scores
        all = floatBuffers.map { UnsafeMutableRawPointer($0) }
            + [UnsafeMutableRawPointer(tokens), UnsafeMutableRawPointer(slots), UnsafeMutableRawPointer(positions)]
    }

    deinit { for pointer in all { pointer.deallocate() } }
}

let HACK16 = getenv("HACK16") != nil
