/// Prompts with precomputed embedding rows (XComposer's image vectors): the rows go straight
/// into the first layer instead of through the token embedding table.
extension LlamaModel: EmbeddingPromptModel {
    public var embeddingWidth: Int { configuration.embeddingLength }

    /// Feeds `count` rows of `embeddingWidth` floats at `embeddings` into slot `slot` at
    /// positions `position ..< position + count`, and returns the logits after the last row.
    public func prefill(embeddings: UnsafePointer<Float>, count: Int, slot: Int, position: Int,
                        shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float> {
        let values = Array(UnsafeBufferPointer(start: embeddings, count: count * embeddingWidth))
        return try prefill(parts: [.embeddings(values: values, count: count)], slot: slot,
                           position: position, shouldCancel: shouldCancel)
    }

    public func prefill(parts: [PromptPart], slot: Int, position: Int,
                        shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float> {
        let d = configuration.embeddingLength
        guard slot >= 0, slot < sequenceSlots else { throw ModelError.invalidSlot(slot) }
        let total = parts.reduce(0) { $0 + $1.count }
        guard total > 0 else { return UnsafeBufferPointer(start: scratch.logits, count: 0) }
        guard position >= 0, position + total <= contextLength else {
            throw ModelError.contextFull(needed: position + total, available: contextLength)
        }
        for part in parts {
            switch part {
            case let .tokens(ids):
                for token in ids where token < 0 || Int(token) >= vocabularySize {
                    throw ModelError.invalidToken(token, vocabularySize: vocabularySize)
                }
            case let .embeddings(values, count):
                guard values.count == count * d else {
                    throw EmbeddingInputError.shape(values: values.count, count: count, width: d)
                }
            }
        }
        // Rows are written into the chunk's input buffer as they come, whichever kind they are.
        var filled = 0, done = 0
        func flush() throws {
            guard filled > 0 else { return }
            if shouldCancel() { throw ModelError.cancelled }
            try forward(count: filled, embedded: true, shouldCancel: shouldCancel)
            done += filled
            filled = 0
        }
        for part in parts {
            var row = 0
            while row < part.count {
                let take = min(part.count - row, Self.prefillChunk - filled)
                for i in 0..<take {
                    scratch.slots[filled + i] = slot
                    scratch.positions[filled + i] = position + done + filled + i
                }
                let destination = scratch.x + filled * d
                switch part {
                case let .tokens(ids):
                    for i in 0..<take {
                        let token = Int(ids[row + i])
                        scratch.tokens[filled + i] = ids[row + i]
                        weights.tokenEmbedding.dequantizeRows(token..<(token + 1), into: destination + i * d)
                    }
                case let .embeddings(values, _):
                    values.withUnsafeBufferPointer { source in
                        destination.update(from: source.baseAddress! + row * d, count: take * d)
                    }
                }
                filled += take
                row += take
                if filled == Self.prefillChunk { try flush() }
            }
        }
        try flush()
        // The last row sits in the last chunk's rows.
        let last = scratch.x + ((total - 1) % Self.prefillChunk) * d
        return logits(rows: UnsafePointer(last), count: 1)
    }
}
