import ModelFiles

/// How rotary position embeddings pair up the dimensions of a head.
public enum RoPEStyle: Sendable, Equatable {
    /// Adjacent pairs (x[2i], x[2i+1]): GGUF `llama` files, whose Q/K rows the converter permuted.
    case adjacentPairs
    /// Halves (x[i], x[i + d/2]), "rotate-half" as GPT-NeoX and Hugging Face write it; InternLM v1
    /// checkpoints converted without permuting Q/K.
    case halves
}

/// The hyper-parameters of a LLaMA-family decoder, read from GGUF metadata.
public struct LlamaConfiguration: Sendable, Equatable {
    public var architecture: String
    public var layerCount: Int
    public var embeddingLength: Int
    public var feedForwardLength: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDimension: Int
    public var vocabularySize: Int
    /// Positions the model was trained on (`{arch}.context_length`).
    public var trainedContextLength: Int
    public var normEpsilon: Float
    public var ropeBase: Double
    /// Dimensions of each head that are rotated (the rest pass through).
    public var ropeDimensions: Int
    /// Positions are divided by this factor ("linear" RoPE scaling); 1 for none.
    public var ropeLinearFactor: Double
    public var ropeStyle: RoPEStyle

    /// Architectures this decoder runs.
    public static let supportedArchitectures: Set<String> = ["llama", "internlm"]

    /// Reads the configuration; `file` names the model in errors.
    public init(metadata: GGUFMetadata, file: String) throws(ModelLoadError) {
        guard let arch = metadata.string("general.architecture") else {
            throw .missingMetadata(file: file, key: "general.architecture")
        }
        guard Self.supportedArchitectures.contains(arch) else {
            throw .unsupportedArchitecture(file: file, architecture: arch)
        }
        func required(_ key: String) throws(ModelLoadError) -> Int {
            guard let value = metadata.integer("\(arch).\(key)") else {
                throw .missingMetadata(file: file, key: "\(arch).\(key)")
            }
            guard value > 0, value < 1 << 24 else {
                throw .invalidMetadata(file: file, key: "\(arch).\(key)", reason: "value \(value) is out of range")
            }
            return value
        }
        architecture = arch
        layerCount = try required("block_count")
        embeddingLength = try required("embedding_length")
        feedForwardLength = try required("feed_forward_length")
        headCount = try required("attention.head_count")
        kvHeadCount = metadata.integer("\(arch).attention.head_count_kv") ?? headCount
        guard kvHeadCount > 0, headCount % kvHeadCount == 0 else {
            throw .invalidMetadata(file: file, key: "\(arch).attention.head_count_kv",
                                   reason: "\(kvHeadCount) does not divide the \(headCount) query heads")
        }
        headDimension = metadata.integer("\(arch).attention.key_length") ?? embeddingLength / headCount
        guard headDimension > 0, headDimension % 2 == 0 else {
            throw .invalidMetadata(file: file, key: "\(arch).attention.key_length",
                                   reason: "head dimension \(headDimension) must be even and positive")
        }
        vocabularySize = metadata.integer("\(arch).vocab_size")
            ?? metadata.stringArray("tokenizer.ggml.tokens")?.count ?? 0
        trainedContextLength = metadata.integer("\(arch).context_length") ?? 2048
        normEpsilon = Float(metadata.float("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5)
        ropeBase = metadata.float("\(arch).rope.freq_base") ?? 10000
        ropeDimensions = metadata.integer("\(arch).rope.dimension_count") ?? headDimension
        guard ropeDimensions > 0, ropeDimensions <= headDimension, ropeDimensions % 2 == 0 else {
            throw .invalidMetadata(file: file, key: "\(arch).rope.dimension_count",
                                   reason: "\(ropeDimensions) does not fit a head of \(headDimension)")
        }
        let scaling = metadata.string("\(arch).rope.scaling.type") ?? "none"
        switch scaling {
        case "none", "":
            ropeLinearFactor = 1
        case "linear":
            ropeLinearFactor = metadata.float("\(arch).rope.scaling.factor") ?? 1
            guard ropeLinearFactor > 0 else {
                throw .invalidMetadata(file: file, key: "\(arch).rope.scaling.factor",
                                       reason: "must be positive")
            }
        default:
            throw .unsupportedFeature(file: file, feature: "RoPE scaling '\(scaling)'")
        }
        ropeStyle = arch == "internlm" ? .halves : .adjacentPairs
    }

    /// Width of the query projection output.
    public var queryWidth: Int { headCount * headDimension }
    /// Width of the key and value projection outputs.
    public var kvWidth: Int { kvHeadCount * headDimension }
    /// Query heads that share one key/value head.
    public var groupSize: Int { headCount / kvHeadCount }
}
