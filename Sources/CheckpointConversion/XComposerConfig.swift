import Foundation

/// The hyper-parameters of an InternLM-XComposer v1 checkpoint, from its `config.json`.
///
/// The language model's sizes are required keys, as in the real file. The vision tower and
/// Q-Former sizes are hard-coded in the original code, so the real file does not carry them:
/// the optional `vision_config` / `qformer_config` keys of spec section 12 let reduced test
/// checkpoints say theirs, and every absent key takes the real model's value.
public struct XComposerConfig: Sendable, Equatable {
    public struct Vision: Sendable, Equatable {
        public var imageSize = 224
        public var patchSize = 14
        public var channels = 3
        public var hiddenSize = 1408
        public var layerCount = 39
        public var headCount = 16
        public var intermediateSize = 6144
        /// LayerNorms inside the blocks.
        public var layerNormEpsilon = 1e-6
        /// `ln_vision`, after the last block (PyTorch's default eps).
        public var postNormEpsilon = 1e-5

        /// Patches per image plus the class token.
        public var tokenCount: Int { (imageSize / patchSize) * (imageSize / patchSize) + 1 }

        public init() {}
    }

    public struct QFormer: Sendable, Equatable {
        public var hiddenSize = 768
        public var layerCount = 12
        public var headCount = 12
        public var intermediateSize = 3072
        /// Cross-attention in layers where `layer % crossAttentionFrequency == 0`.
        public var crossAttentionFrequency = 2
        /// Width of the image tokens the cross-attention reads; the vision width when absent.
        public var encoderWidth = 1408
        public var layerNormEpsilon = 1e-12
        public var maxPositionEmbeddings = 512

        public init() {}

        public func hasCrossAttention(layer: Int) -> Bool { layer % crossAttentionFrequency == 0 }
    }

    /// The LoRA adapters shipped unmerged (`internlm_lora`).
    public struct LoRA: Sendable, Equatable {
        public var rank: Int
        public var alpha: Double
        /// The projections that carry an adapter: names of `self_attn` (`q_proj`...) and `mlp`
        /// (`up_proj`, `down_proj`) modules.
        public var modules: Set<String>

        /// `alpha / rank`, the factor of `B @ A` in the merge.
        public var scale: Double { alpha / Double(rank) }
    }

    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    public var rmsNormEpsilon = 1e-5
    public var maxPositionEmbeddings = 2048
    public var ropeTheta = 10000.0
    /// q/k/v/o carry biases (`kqvo_bias`; true in the real model).
    public var hasAttentionBias = true
    public var tieWordEmbeddings = false
    public var queryTokenCount = 64
    public var lora: LoRA?
    /// Overrides of the ids of `<TOKENS_UNUSED_0>` / `<TOKENS_UNUSED_1>`.
    public var endOfHumanTokenID: Int?
    public var endOfAnswerTokenID: Int?
    public var name: String?
    public var vision = Vision()
    public var qformer = QFormer()

    public var headDimension: Int { hiddenSize / headCount }

    /// Parses `config.json` at `path`.
    public init(contentsOf path: String) throws(CheckpointError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .missingFile(path: path, what: "the model configuration")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(json: data, path: path)
    }

    /// Parses the bytes of a `config.json`; `path` names it in errors.
    public init(json data: Data, path: String) throws(CheckpointError) {
        guard let parsed = try? JSONSerialization.jsonObject(with: data), let object = parsed as? [String: Any] else {
            throw .corrupt(path: path, offset: nil, reason: "not a JSON object")
        }
        let keys = ConfigKeys(object: object, path: path, prefix: "")
        hiddenSize = try keys.required("hidden_size")
        layerCount = try keys.required("num_hidden_layers")
        headCount = try keys.required("num_attention_heads")
        kvHeadCount = try keys.integer("num_key_value_heads") ?? headCount
        intermediateSize = try keys.required("intermediate_size")
        vocabularySize = try keys.required("vocab_size")
        rmsNormEpsilon = try keys.number("rms_norm_eps") ?? rmsNormEpsilon
        maxPositionEmbeddings = try keys.integer("max_position_embeddings") ?? maxPositionEmbeddings
        ropeTheta = try keys.number("rope_theta") ?? ropeTheta
        hasAttentionBias = try keys.bool("kqvo_bias") ?? hasAttentionBias
        tieWordEmbeddings = try keys.bool("tie_word_embeddings") ?? tieWordEmbeddings
        queryTokenCount = try keys.integer("num_query_token") ?? queryTokenCount
        endOfHumanTokenID = try keys.integer("eoh_token_id", allowZero: true)
        endOfAnswerTokenID = try keys.integer("eoa_token_id", allowZero: true)
        name = object["_name_or_path"] as? String
        // The decoder computes SiLU gates only, as InternLM uses.
        if let activation = object["hidden_act"], !(activation is NSNull) {
            guard let text = activation as? String, text == "silu" else {
                throw .badConfig(path: path, key: "hidden_act", reason: "is \(activation), but only silu is supported")
            }
        }

        guard hiddenSize % headCount == 0 else {
            throw .badConfig(path: path, key: "num_attention_heads", reason: "(\(headCount)) does not divide hidden_size \(hiddenSize)")
        }
        guard headCount % kvHeadCount == 0 else {
            throw .badConfig(path: path, key: "num_key_value_heads", reason: "(\(kvHeadCount)) does not divide num_attention_heads \(headCount)")
        }
        guard headDimension % 2 == 0 else {
            throw .badConfig(path: path, key: "num_attention_heads", reason: "gives an odd head dimension \(headDimension); RoPE needs an even one")
        }

        if let loraObject = object["internlm_lora"], !(loraObject is NSNull) {
            guard let fields = loraObject as? [String: Any] else {
                throw .badConfig(path: path, key: "internlm_lora", reason: "is not an object or null")
            }
            let loraKeys = ConfigKeys(object: fields, path: path, prefix: "internlm_lora.")
            let rank = try loraKeys.required("lora_r")
            let alpha = try loraKeys.number("lora_alpha") ?? Double(rank)
            guard let learned = fields["learn_param"] as? [String] else {
                throw .badConfig(path: path, key: "internlm_lora.learn_param", reason: "is not a list of strings")
            }
            var modules = Set<String>()
            for parameter in learned {
                switch parameter {
                case "q", "k", "v", "o": modules.insert("\(parameter)_proj")
                // `ffn` means up and down only: gate has no adapter (InternLMMLP).
                case "ffn": modules.formUnion(["up_proj", "down_proj"])
                default:
                    throw .badConfig(path: path, key: "internlm_lora.learn_param", reason: "names '\(oneLine(parameter))' (q, k, v, o or ffn expected)")
                }
            }
            lora = LoRA(rank: rank, alpha: alpha, modules: modules)
        }

        if let visionObject = object["vision_config"] {
            guard let fields = visionObject as? [String: Any] else {
                throw .badConfig(path: path, key: "vision_config", reason: "is not an object")
            }
            let v = ConfigKeys(object: fields, path: path, prefix: "vision_config.")
            vision.imageSize = try v.integer("image_size") ?? vision.imageSize
            vision.patchSize = try v.integer("patch_size") ?? vision.patchSize
            vision.channels = try v.integer("num_channels") ?? vision.channels
            vision.hiddenSize = try v.integer("hidden_size") ?? vision.hiddenSize
            vision.layerCount = try v.integer("num_hidden_layers") ?? vision.layerCount
            vision.headCount = try v.integer("num_attention_heads") ?? vision.headCount
            vision.intermediateSize = try v.integer("intermediate_size") ?? vision.intermediateSize
            vision.layerNormEpsilon = try v.number("layer_norm_eps") ?? vision.layerNormEpsilon
            vision.postNormEpsilon = try v.number("ln_vision_eps") ?? vision.postNormEpsilon
        }
        guard vision.imageSize % vision.patchSize == 0 else {
            throw .badConfig(path: path, key: "vision_config.patch_size", reason: "(\(vision.patchSize)) does not divide image_size \(vision.imageSize)")
        }
        guard vision.hiddenSize % vision.headCount == 0 else {
            throw .badConfig(path: path, key: "vision_config.num_attention_heads",
                             reason: "(\(vision.headCount)) does not divide the vision hidden_size \(vision.hiddenSize)")
        }

        qformer.encoderWidth = vision.hiddenSize
        if let qformerObject = object["qformer_config"] {
            guard let fields = qformerObject as? [String: Any] else {
                throw .badConfig(path: path, key: "qformer_config", reason: "is not an object")
            }
            let q = ConfigKeys(object: fields, path: path, prefix: "qformer_config.")
            qformer.hiddenSize = try q.integer("hidden_size") ?? qformer.hiddenSize
            qformer.layerCount = try q.integer("num_hidden_layers") ?? qformer.layerCount
            qformer.headCount = try q.integer("num_attention_heads") ?? qformer.headCount
            qformer.intermediateSize = try q.integer("intermediate_size") ?? qformer.intermediateSize
            qformer.crossAttentionFrequency = try q.integer("cross_attention_freq") ?? qformer.crossAttentionFrequency
            qformer.encoderWidth = try q.integer("encoder_width") ?? qformer.encoderWidth
            qformer.layerNormEpsilon = try q.number("layer_norm_eps") ?? qformer.layerNormEpsilon
            qformer.maxPositionEmbeddings = try q.integer("max_position_embeddings") ?? qformer.maxPositionEmbeddings
        }
        guard qformer.hiddenSize % qformer.headCount == 0 else {
            throw .badConfig(path: path, key: "qformer_config.num_attention_heads",
                             reason: "(\(qformer.headCount)) does not divide the Q-Former hidden_size \(qformer.hiddenSize)")
        }
        // The vision code reads the encoder width from the vision tower; a different value
        // would make the cross-attention shapes inconsistent with the tower.
        guard qformer.encoderWidth == vision.hiddenSize else {
            throw .badConfig(path: path, key: "qformer_config.encoder_width",
                             reason: "(\(qformer.encoderWidth)) differs from the vision hidden_size \(vision.hiddenSize)")
        }
    }
}

/// Typed look-ups in one JSON object of the configuration, with errors naming the key.
private struct ConfigKeys {
    let object: [String: Any]
    let path: String
    let prefix: String

    /// A positive integer, or nil when absent (or null).
    func integer(_ key: String, allowZero: Bool = false) throws(CheckpointError) -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !isBool(number), Double(number.int64Value) == number.doubleValue else {
            throw .badConfig(path: path, key: prefix + key, reason: "is not an integer")
        }
        let integer = number.int64Value
        guard integer > 0 || (allowZero && integer == 0), integer < 1 << 31 else {
            throw .badConfig(path: path, key: prefix + key, reason: "is \(integer), out of range")
        }
        return Int(integer)
    }

    func required(_ key: String) throws(CheckpointError) -> Int {
        guard let value = try integer(key) else { throw .badConfig(path: path, key: prefix + key, reason: "is missing") }
        return value
    }

    /// A positive number, or nil when absent.
    func number(_ key: String) throws(CheckpointError) -> Double? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !isBool(number), number.doubleValue > 0, number.doubleValue.isFinite else {
            throw .badConfig(path: path, key: prefix + key, reason: "is not a positive number")
        }
        return number.doubleValue
    }

    func bool(_ key: String) throws(CheckpointError) -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, isBool(number) else {
            throw .badConfig(path: path, key: prefix + key, reason: "is not true or false")
        }
        return number.boolValue
    }

    /// Whether JSON wrote `true`/`false`: Foundation gives bools and numbers both as NSNumber,
    /// a bool with the C type code of `char` (JSON numbers never get it).
    private func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
