/// One piece of a prompt that mixes text and precomputed vectors: token ids looked up in the
/// model's embedding table, or rows fed straight into the first layer (an image's vectors).
public enum PromptPart: Sendable, Equatable {
    case tokens([Int32])
    /// `count` rows of the model's embedding width, row-major.
    case embeddings(values: [Float], count: Int)

    /// Positions this part takes in the sequence.
    public var count: Int {
        switch self {
        case let .tokens(ids): return ids.count
        case let .embeddings(_, count): return count
        }
    }

    /// Token ids of a prompt made of parts, with `placeholder` standing for each embedding
    /// row (for repetition penalties and context bookkeeping that count positions).
    public static func flattened(_ parts: [PromptPart], placeholder: Int32) -> [Int32] {
        parts.flatMap { part -> [Int32] in
            switch part {
            case let .tokens(ids): return ids
            case let .embeddings(_, count): return Array(repeating: placeholder, count: count)
            }
        }
    }

    /// `parts` cut into consecutive runs of at most `size` positions (an embedding block may be
    /// split between runs; `width` floats make one row).
    public static func chunks(_ parts: [PromptPart], size: Int, width: Int) -> [[PromptPart]] {
        precondition(size > 0, "chunks hold at least one position")
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

/// A language model whose prompt may contain precomputed embedding rows besides token ids.
public protocol EmbeddingPromptModel: CausalLanguageModel {
    /// Width of one embedding row.
    var embeddingWidth: Int { get }

    /// Feeds the parts, in order, into slot `slot` from `position` on and returns the logits
    /// after the last row, as `prefill(tokens:…)` does.
    func prefill(parts: [PromptPart], slot: Int, position: Int,
                 shouldCancel: () -> Bool) throws -> UnsafeBufferPointer<Float>
}

/// Why an embedding part cannot go into the model.
public enum EmbeddingInputError: Error, Equatable, CustomStringConvertible {
    /// The part's values are not `count × width`.
    case shape(values: Int, count: Int, width: Int)

    public var description: String {
        switch self {
        case let .shape(values, count, width):
            return "an embedding part of \(count) rows needs \(count * width) values of width \(width), got \(values)"
        }
    }
}
