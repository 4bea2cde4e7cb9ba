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

    /// The arithmetic of this model's forward pass.
    public let numerics: Numerics
    /// RoPE computed exactly as llama.cpp does (plain adjacent-pair RoPE in llamaCpp numerics).
    private let usesLlamaRoPE: Bool
    /// Keeps the memory the weight matrices point into alive: the mapped file, or the buffers
    /// of synthetic weights.
    private let storage: AnyObject
    private let multiplier: MatrixMultiplier
    private let cache: KVCache
    let scratch: ForwardScratch
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
    ///   - numerics: llama.cpp's arithmetic (8-bit activations, f16 KV cache), or exact f32.
    public convenience init(file: GGUFFile, contextLength: Int?, sequenceSlots: Int = 1, pool: ComputePool,
                            numerics: Numerics = .llamaCpp) throws(ModelLoadError) {
        let name = ModelLoader.displayName(file.path)
        let configuration = try LlamaConfiguration(metadata: file.metadata, file: name)
        let weights = try LlamaWeights(file: file, configuration: configuration, name: name)
        try self.init(configuration: configuration, weights: weights, storage: file, name: name,
                      contextLength: contextLength, sequenceSlots: sequenceSlots, pool: pool, numerics: numerics)
    }

    /// Binds weights that already match `configuration` (synthetic ones, built in memory).
    /// - Parameters:
    ///   - storage: owns the memory the weight matrices point into; kept alive with the model.
    ///   - name: names the model in errors.
    public init(configuration: LlamaConfiguration, weights: LlamaWeights, storage: AnyObject, name: String,
                contextLength: Int?, sequenceSlots: Int = 1, pool: ComputePool,
                numerics: Numerics = .llamaCpp) throws(ModelLoadError) {
        self.storage = storage
        self.configuration = configuration
        self.weights = weights
        let requested = contextLength ?? configuration.trainedContextLength
        self.contextLength = max(1, min(requested, configuration.trainedContextLength))
        self.sequenceSlots = max(1, sequenceSlots)
        self.numerics = numerics
        multiplier = MatrixMultiplier(pool: pool, numerics: numerics)
        guard let cache = KVCache(slots: self.sequenceSlots, layers: configuration.layerCount,
                                  positions: self.contextLength, width: configuration.kvWidth,
                                  halfPrecision: numerics == .llamaCpp) else {
            throw .unsupportedFeature(file: name, feature: "a KV cache of \(self.contextLength) positions (out of address space)")
        }
        self.cache = cache
        scratch = ForwardScratch(configuration: configuration, batch: Self.prefillChunk,
                                 logitRows: max(self.sequenceSlots, MatrixMultiplier.directPathMaxVectors),
                                 contextLength: cache.positions, threads: pool.threadCount)
        usesLlamaRoPE = numerics == .llamaCpp && configuration.ropeStyle == .adjacentPairs
            && configuration.ropeLinearFactor == 1 && weights.ropeFrequencyFactors == nil
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
    /// `scratch.x` (before the output norm). With `embedded`, the input rows are already in
    /// `scratch.x` (precomputed embeddings such as image vectors) and no token is looked up.
    func forward(count n: Int, embedded: Bool = false, shouldCancel: () -> Bool) throws {
        let c = configuration
        let d = c.embeddingLength
        let s = scratch
        for i in 0..<n where !embedded {
            let token = Int(s.tokens[i])
            weights.tokenEmbedding.dequantizeRows(token..<(token + 1), into: s.x + i * d)
        }
        computeRotations(count: n)
        for (index, layer) in weights.layers.enumerated() {
            if n > 1, shouldCancel() { throw ModelError.cancelled }
            // Attention block.
            for i in 0..<n { normalize(s.x + i * d, layer.attentionNorm, into: s.xb + i * d) }
            let groups = layerGroups[index]
            multiplier.multiply(groups.queryKeyValue, input: s.xb, inputStride: d, vectors: n)
            addBias(layer.queryBias, to: s.q, width: c.queryWidth, rows: n)
            addBias(layer.keyBias, to: s.k, width: c.kvWidth, rows: n)
            addBias(layer.valueBias, to: s.v, width: c.kvWidth, rows: n)
            applyRotations(to: s.q, heads: c.headCount, rows: n)
            applyRotations(to: s.k, heads: c.kvHeadCount, rows: n)
            storeKeysAndValues(layer: index, count: n)
            attention(layer: index, count: n)
            multiplier.multiply(groups.output, input: s.attention, inputStride: c.queryWidth, vectors: n)
            addBias(layer.outputBias, to: s.xb, width: d, rows: n)
            ck_add_f32(s.x, s.xb, Int64(n * d))
            // Feed-forward block.
            for i in 0..<n { normalize(s.x + i * d, layer.feedForwardNorm, into: s.xb + i * d) }
            let f = c.feedForwardLength
            multiplier.multiply(groups.gateUp, input: s.xb, inputStride: d, vectors: n)
            if numerics == .llamaCpp {
                ck_lc_swiglu(s.gate, s.up, Int64(n * f))
            } else {
                ck_silu_mul_f32(s.gate, s.up, Int64(n * f))
            }
            multiplier.multiply(groups.down, input: s.gate, inputStride: f, vectors: n)
            ck_add_f32(s.x, s.xb, Int64(n * d))
        }
    }

    /// Final norm and output head for `count` hidden-state rows.
    func logits(rows: UnsafePointer<Float>, count: Int) -> UnsafeBufferPointer<Float> {
        let d = configuration.embeddingLength
        for i in 0..<count { normalize(rows + i * d, weights.outputNorm, into: scratch.xb + i * d) }
        multiplier.multiply(headGroup, input: scratch.xb, inputStride: d, vectors: count)
        return UnsafeBufferPointer(start: scratch.logits, count: count * vocabularySize)
    }

    /// RMSNorm of one row, in the model's numerics.
    private func normalize(_ row: UnsafePointer<Float>, _ weight: [Float], into output: UnsafeMutablePointer<Float>) {
        let d = Int64(configuration.embeddingLength)
        if numerics == .llamaCpp {
            ck_lc_rmsnorm(row, weight, output, d, configuration.normEpsilon)
        } else {
            ck_rmsnorm_f32(row, weight, output, d, configuration.normEpsilon)
        }
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
        if usesLlamaRoPE {
            for i in 0..<n {
                ck_lc_rope_cache(Float(configuration.ropeBase), Int32(configuration.ropeDimensions),
                                 Int64(scratch.positions[i]), scratch.cos + i * pairs, scratch.sin + i * pairs)
            }
            return
        }
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
            if usesLlamaRoPE {
                ck_lc_rope_adjacent(rows + i * width, Int32(heads), Int32(hd),
                                    Int32(configuration.ropeDimensions), cosines, sines)
                continue
            }
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
            cache.store(slot: scratch.slots[i], layer: layer, position: scratch.positions[i],
                        key: scratch.k + i * w, value: scratch.v + i * w)
        }
    }

    /// Causal attention of every token in the batch over its own slot's cached positions.
    ///
    /// Work items: for a run of consecutive positions in one slot (a prompt chunk), one item per
    /// query head, each an [m × L] score matrix by sgemm; for single tokens (decode) in precise
    /// numerics one item per (token, KV head), the query heads sharing that KV head stacked into
    /// one sgemm; in llamaCpp numerics one item per (token, query head), llama.cpp's f16 dot
    /// products over its padded cells, a thread's heads of one KV head done together.
    private func attention(layer: Int, count n: Int) {
        let s = scratch
        let c = configuration
        let isRun = n > 1 && (1..<n).allSatisfy { s.slots[$0] == s.slots[0] && s.positions[$0] == s.positions[0] + $0 }
        let llamaCpp = !isRun && cache.halfPrecision
        let items = isRun ? c.headCount : n * (llamaCpp ? c.headCount : c.kvHeadCount)
        multiplier.pool.run { part, parts in
            let mine = ComputePool.split(items, parts: parts, part: part)
            if llamaCpp {
                // Query heads are split between the threads (three KV heads would split 2:1 between
                // two); each thread's heads go in runs that share a KV head.
                var item = mine.lowerBound
                while item < mine.upperBound {
                    let token = item / c.headCount, head = item % c.headCount
                    let end = min(mine.upperBound, token * c.headCount + (head / c.groupSize + 1) * c.groupSize)
                    attendLlamaCpp(token: token, heads: head..<(head + end - item), layer: layer, part: part)
                    item = end
                }
                return
            }
            for item in mine {
                if isRun {
                    attendRun(head: item, layer: layer, count: n, part: part)
                } else {
                    attendPrecise(token: item / c.kvHeadCount, kvHead: item % c.kvHeadCount, layer: layer, part: part)
                }
            }
        }
    }

    /// One query head over a prompt chunk: scores by sgemm, causal softmax, values by sgemm.
    private func attendRun(head: Int, layer: Int, count n: Int, part: Int) {
        let c = configuration, s = scratch
        let hd = c.headDimension, kvHead = head / c.groupSize
        let start = s.positions[0], slot = s.slots[0], length = start + n
        let scale = Float(1.0 / Double(hd).squareRoot())
        let scores = s.scores[part]
        let keys: UnsafePointer<Float>, keyStride: Int
        let values: UnsafePointer<Float>, valuesTransposed: Bool, valueStride: Int
        if cache.halfPrecision {
            // Widen this head's cached f16 keys and (transposed) values for sgemm.
            let k32 = s.wideKeys[part], v32 = s.wideValues[part]
            let k16 = cache.halfKeys(slot: slot, layer: layer) + kvHead * hd
            for p in 0..<length { ck_lc_from_f16(k16 + p * c.kvWidth, k32 + p * hd, Int64(hd)) }
            let v16 = cache.halfValuesTransposed(slot: slot, layer: layer) + kvHead * hd * cache.positions
            for d in 0..<hd { ck_lc_from_f16(v16 + d * cache.positions, v32 + d * length, Int64(length)) }
            keys = UnsafePointer(k32); keyStride = hd
            values = UnsafePointer(v32); valuesTransposed = true; valueStride = length
        } else {
            keys = UnsafePointer(cache.keys(slot: slot, layer: layer) + kvHead * hd); keyStride = c.kvWidth
            values = UnsafePointer(cache.values(slot: slot, layer: layer) + kvHead * hd)
            valuesTransposed = false; valueStride = c.kvWidth
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(length), blasint(hd),
                    scale, s.q + head * hd, blasint(c.queryWidth), keys, blasint(keyStride),
                    0, scores, blasint(length))
        for t in 0..<n {
            let row = scores + t * length
            let visible = start + t + 1
            ck_softmax_f32(row, Int64(visible))
            if visible < length { (row + visible).update(repeating: 0, count: length - visible) }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, valuesTransposed ? CblasTrans : CblasNoTrans,
                    blasint(n), blasint(hd), blasint(length),
                    1, scores, blasint(length), values, blasint(valueStride),
                    0, s.attention + head * hd, blasint(c.queryWidth))
    }

    /// One token's query heads that share `kvHead`, in f32 (precise numerics).
    private func attendPrecise(token: Int, kvHead: Int, layer: Int, part: Int) {
        let c = configuration, s = scratch
        let hd = c.headDimension, group = c.groupSize
        let slot = s.slots[token], length = s.positions[token] + 1
        let scale = Float(1.0 / Double(hd).squareRoot())
        let scores = s.scores[part]
        let queries = s.q + token * c.queryWidth + kvHead * group * hd
        let keys = cache.keys(slot: slot, layer: layer) + kvHead * hd
        let values = cache.values(slot: slot, layer: layer) + kvHead * hd
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(group), blasint(length), blasint(hd),
                    scale, queries, blasint(hd), keys, blasint(c.kvWidth), 0, scores, blasint(length))
        for g in 0..<group { ck_softmax_f32(scores + g * length, Int64(length)) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(group), blasint(hd), blasint(length),
                    1, scores, blasint(length), values, blasint(c.kvWidth),
                    0, s.attention + token * c.queryWidth + kvHead * group * hd, blasint(hd))
    }

    /// Some of one token's query heads that share a KV head, exactly as llama.cpp computes them: the query
    /// rounded to f16, f16 dot products over the cells padded to a multiple of 32 (later cells
    /// masked), its softmax, probabilities rounded to f16, and one f16 dot product per output
    /// dimension over the transposed values.
    private func attendLlamaCpp(token: Int, heads: Range<Int>, layer: Int, part: Int) {
        let c = configuration, s = scratch
        let hd = c.headDimension
        let kvHead = heads.lowerBound / c.groupSize
        let slot = s.slots[token], position = s.positions[token]
        let cells = min(cache.positions, max(32, (position + 1 + 31) / 32 * 32))
        let scale = Float(1.0 / Double(hd).squareRoot())
        let scores = s.scores[part]
        let query16 = s.halfQuery[part], probabilities16 = s.halfProbabilities[part]
        let keys = cache.halfKeys(slot: slot, layer: layer) + kvHead * hd
        let valuesTransposed = cache.halfValuesTransposed(slot: slot, layer: layer)
        // The heads together: each cached key and value row is read once for all of them.
        let count = heads.count, firstHead = heads.lowerBound
        ck_lc_to_f16(s.q + token * c.queryWidth + firstHead * hd, query16, Int64(count * hd))
        ck_lc_dot_f16_heads(keys, Int64(c.kvWidth), query16, Int64(hd), Int32(count), Int64(hd), Int64(cells),
                            scores, Int64(cells))
        for g in 0..<count {
            ck_lc_softmax(scores + g * cells, Int64(cells), scale, Int64(position + 1))
            ck_lc_to_f16(scores + g * cells, probabilities16 + g * cells, Int64(cells))
        }
        ck_lc_dot_f16_heads(valuesTransposed + kvHead * hd * cache.positions, Int64(cache.positions),
                            probabilities16, Int64(cells), Int32(count), Int64(cells), Int64(hd),
                            s.attention + token * c.queryWidth + firstHead * hd, Int64(hd))
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
    /// Per thread: one head's keys (contextLength, headDimension) and transposed values
    /// (headDimension, contextLength) widened from the f16 cache for the sgemm path.
    let wideKeys, wideValues: [UnsafeMutablePointer<Float>]
    /// Per thread: the query heads of one KV head's group and their rows of probabilities, rounded
    /// to f16 (llama.cpp attention).
    let halfQuery, halfProbabilities: [UnsafeMutablePointer<UInt16>]
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
        wideKeys = (0..<threads).map { _ in .allocate(capacity: contextLength * c.headDimension) }
        wideValues = (0..<threads).map { _ in .allocate(capacity: contextLength * c.headDimension) }
        halfQuery = (0..<threads).map { _ in .allocate(capacity: c.groupSize * c.headDimension) }
        halfProbabilities = (0..<threads).map { _ in .allocate(capacity: c.groupSize * contextLength) }
        let floatBuffers = [x, xb, q, k, v, attention, gate, up, cos, sin, logits] + scores + wideKeys + wideValues
        all = floatBuffers.map { UnsafeMutableRawPointer($0) }
            + [UnsafeMutableRawPointer(tokens), UnsafeMutableRawPointer(slots), UnsafeMutableRawPointer(positions)]
            + (halfQuery + halfProbabilities).map { UnsafeMutableRawPointer($0) }
    }

    deinit { for pointer in all { pointer.deallocate() } }
}

