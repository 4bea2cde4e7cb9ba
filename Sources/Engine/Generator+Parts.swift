import LanguageModels

extension Generator {
    /// Feeds a prompt of parts into slot 0 in chunks of `prefillChunkSize` positions, reporting
    /// progress after each, as the token prefill does.
    func prefill(parts: [PromptPart], shouldCancel: () -> Bool,
                 onEvent: (EngineEvent) -> Void) throws -> UnsafeBufferPointer<Float> {
        guard let model = model as? any EmbeddingPromptModel else {
            throw EngineError.model("this model cannot take image embeddings in its prompt")
        }
        for case let .embeddings(values, count) in parts where values.count != count * model.embeddingWidth {
            throw EmbeddingInputError.shape(values: values.count, count: count, width: model.embeddingWidth)
        }
        let total = parts.reduce(0) { $0 + $1.count }
        onEvent(.progress(done: 0, total: total))
        var done = 0
        var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
        for chunk in Self.chunks(parts, size: prefillChunkSize, width: model.embeddingWidth) {
            if shouldCancel() { throw ModelError.cancelled }
            logits = try model.prefill(parts: chunk, slot: 0, position: done, shouldCancel: shouldCancel)
            done += chunk.reduce(0) { $0 + $1.count }
            onEvent(.progress(done: done, total: total))
        }
        return logits
    }

    /// `parts` cut into consecutive runs of at most `size` positions (an embedding block may be
    /// split between runs; `width` floats make one row).
    static func chunks(_ parts: [PromptPart], size: Int, width: Int) -> [[PromptPart]] {
        var result: [[PromptPart]] = []
        var current: [PromptPart] = []
        var room = size
        for part in parts {
            var start = 0
            while start < part.count {
                let take = min(room, part.count - start)
                switch part {
                case let .tokens(ids):
                    current.append(.tokens(Array(ids[start..<(start + take)])))
                case let .embeddings(values, _):
                    current.append(.embeddings(values: Array(values[(start * width)..<((start + take) * width)]),
                                               count: take))
                }
                start += take
                room -= take
                if room == 0 {
                    result.append(current)
                    current = []
                    room = size
                }
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
