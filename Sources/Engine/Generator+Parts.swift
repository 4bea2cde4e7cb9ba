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
        for chunk in PromptPart.chunks(parts, size: prefillChunkSize, width: model.embeddingWidth) {
            if shouldCancel() { throw ModelError.cancelled }
            logits = try model.prefill(parts: chunk, slot: 0, position: done, shouldCancel: shouldCancel)
            done += chunk.reduce(0) { $0 + $1.count }
            onEvent(.progress(done: done, total: total))
        }
        return logits
    }
}
