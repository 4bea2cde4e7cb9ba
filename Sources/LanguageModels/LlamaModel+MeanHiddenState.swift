import CKernels

extension LlamaModel {
    /// A text's vector from the model itself: the final-norm hidden states (what the output
    /// head reads) averaged over its tokens. It uses slot 0 of this model's cache from
    /// position 0, so a model kept for embedding must not be generating at the same time.
    public func meanHiddenState(tokens: [Int32]) throws -> [Float] {
        let d = configuration.embeddingLength
        guard !tokens.isEmpty else { return [Float](repeating: 0, count: d) }
        guard tokens.count <= contextLength else {
            throw ModelError.contextFull(needed: tokens.count, available: contextLength)
        }
        for token in tokens where token < 0 || Int(token) >= vocabularySize {
            throw ModelError.invalidToken(token, vocabularySize: vocabularySize)
        }
        var sum = [Double](repeating: 0, count: d)
        var normalized = [Float](repeating: 0, count: d)
        let epsilon = configuration.normEpsilon
        var done = 0
        while done < tokens.count {
            let count = min(Self.prefillChunk, tokens.count - done)
            for i in 0..<count {
                scratch.tokens[i] = tokens[done + i]
                scratch.slots[i] = 0
                scratch.positions[i] = done + i
            }
            try forward(count: count, shouldCancel: { false })
            for i in 0..<count {
                ck_rmsnorm_f32(scratch.x + i * d, weights.outputNorm, &normalized, Int64(d), epsilon)
                for j in 0..<d { sum[j] += Double(normalized[j]) }
            }
            done += count
        }
        return sum.map { Float($0 / Double(tokens.count)) }
    }
}
