import Foundation
import ModelFiles
import Tokenizers
import VisionModels

/// A stop-gap stand-in for `xcomposer convert`, in the test target only: turns the tiny
/// safetensors checkpoint into an all-f32 GGUF with the names of `XComposerGGUFNames`, the LoRA
/// merged (`W + (alpha/r) B A`), so the vision and prompt tests can run before the converter
/// library lands. The tokenizer metadata comes from `tokenizer.model` through
/// `SentencePieceModelFile.ggufMetadata()`.
enum StopGapConversion {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A tensor in PyTorch order (outermost dimension first).
    struct Loaded {
        let shape: [Int]
        var values: [Float]
    }

    static func readSafetensors(folder: URL) throws -> [String: Loaded] {
        let indexData = try Data(contentsOf: folder.appendingPathComponent("model.safetensors.index.json"))
        guard let index = try JSONSerialization.jsonObject(with: indexData) as? [String: Any],
              let map = index["weight_map"] as? [String: String] else { throw Failure(description: "bad index") }
        var tensors: [String: Loaded] = [:]
        for shard in Set(map.values).sorted() {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(shard)))
            let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
            let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any] ?? [:]
            let base = 8 + headerLength
            for (name, entry) in header where name != "__metadata__" {
                guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                      let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int]
                else { throw Failure(description: "\(shard): bad entry \(name)") }
                let data = bytes[(base + offsets[0])..<(base + offsets[1])]
                let count = shape.reduce(1, *)
                let values: [Float]
                switch dtype {
                case "F32":
                    values = data.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
                case "F16":
                    values = data.withUnsafeBytes { raw in
                        (0..<count).map { Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
                    }
                default: continue  // int64 position ids: unused
                }
                tensors[name] = Loaded(shape: shape, values: values)
            }
        }
        return tensors
    }

    /// The GGUF name of a Hugging Face vision / Q-Former / projection tensor.
    static func visionName(_ name: String) -> String? {
        typealias V = XComposerGGUFNames.VisionTensor
        typealias Q = XComposerGGUFNames.QFormerTensor
        typealias P = XComposerGGUFNames.ProjectionTensor
        let fixed: [String: String] = [
            "visual_encoder.patch_embed.proj.weight": V.patchWeight, "visual_encoder.patch_embed.proj.bias": V.patchBias,
            "visual_encoder.cls_token": V.classEmbedding, "visual_encoder.pos_embed": V.positionEmbedding,
            "ln_vision.weight": V.postNormWeight, "ln_vision.bias": V.postNormBias,
            "query_tokens": Q.queryEmbedding,
            "Qformer.bert.embeddings.LayerNorm.weight": Q.embeddingNormWeight,
            "Qformer.bert.embeddings.LayerNorm.bias": Q.embeddingNormBias,
            "internlm_proj.weight": P.weight, "internlm_proj.bias": P.bias,
            "flag_image_start": P.imageStart, "flag_image_end": P.imageEnd,
        ]
        if let name = fixed[name] { return name }
        let parts = name.split(separator: ".").map(String.init)
        if name.hasPrefix("visual_encoder.blocks."), parts.count >= 5, let n = Int(parts[2]) {
            let rest = parts[3...].joined(separator: ".")
            let suffixes: [String: String] = [
                "norm1.weight": V.norm1Weight, "norm1.bias": V.norm1Bias, "norm2.weight": V.norm2Weight,
                "norm2.bias": V.norm2Bias, "attn.qkv.weight": V.qkvWeight, "attn.q_bias": V.queryBias,
                "attn.v_bias": V.valueBias, "attn.proj.weight": V.outputWeight, "attn.proj.bias": V.outputBias,
                "mlp.fc1.weight": V.upWeight, "mlp.fc1.bias": V.upBias, "mlp.fc2.weight": V.downWeight,
                "mlp.fc2.bias": V.downBias,
            ]
            return suffixes[rest].map { V.block(n) + $0 }
        }
        if name.hasPrefix("Qformer.bert.encoder.layer."), parts.count >= 7, let n = Int(parts[4]) {
            let kind = parts.last!  // weight or bias
            let module = parts[5..<(parts.count - 1)].joined(separator: ".")
            let modules: [String: String] = [
                "attention.self.query": Q.selfQuery, "attention.self.key": Q.selfKey, "attention.self.value": Q.selfValue,
                "attention.output.dense": Q.selfOutput, "attention.output.LayerNorm": Q.selfNorm,
                "crossattention.self.query": Q.crossQuery, "crossattention.self.key": Q.crossKey,
                "crossattention.self.value": Q.crossValue, "crossattention.output.dense": Q.crossOutput,
                "crossattention.output.LayerNorm": Q.crossNorm, "intermediate_query.dense": Q.feedForwardUp,
                "output_query.dense": Q.feedForwardDown, "output_query.LayerNorm": Q.feedForwardNorm,
            ]
            return modules[module].map { Q.block(n) + $0 + "." + kind }
        }
        return nil
    }

    /// The GGUF name of a language-model tensor, and whether it has a LoRA to merge.
    static func languageName(_ name: String) -> String? {
        let prefix = "internlm_model."
        guard name.hasPrefix(prefix), !name.contains("lora_"), !name.hasSuffix("inv_freq") else { return nil }
        let rest = String(name.dropFirst(prefix.count))
        let fixed = ["model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
                     "lm_head.weight": "output.weight"]
        if let name = fixed[rest] { return name }
        let parts = rest.split(separator: ".").map(String.init)
        guard parts.count >= 5, parts[1] == "layers", let n = Int(parts[2]) else { return nil }
        let module = parts[3..<(parts.count - 1)].joined(separator: ".")
        let modules = ["input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
                       "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
                       "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
                       "mlp.down_proj": "ffn_down"]
        return modules[module].map { "blk.\(n).\($0).\(parts.last!)" }
    }

    /// Writes the GGUF for the checkpoint folder `root` (the one holding config.json and
    /// checkpoint-safetensors/) to `output`.
    static func convert(root: URL, output: String) throws {
        let configData = try Data(contentsOf: root.appendingPathComponent("config.json"))
        guard let config = try JSONSerialization.jsonObject(with: configData) as? [String: Any],
              let vision = config["vision_config"] as? [String: Any],
              let qformer = config["qformer_config"] as? [String: Any],
              let lora = config["internlm_lora"] as? [String: Any] else { throw Failure(description: "bad config") }
        func int(_ d: [String: Any], _ key: String) -> Int { (d[key] as? NSNumber)?.intValue ?? 0 }
        func double(_ d: [String: Any], _ key: String) -> Double { (d[key] as? NSNumber)?.doubleValue ?? 0 }
        var tensors = try readSafetensors(folder: root.appendingPathComponent("checkpoint-safetensors"))
        // Merge the LoRA: W += (alpha / r) · B A.
        let scale = Float(double(lora, "lora_alpha") / double(lora, "lora_r"))
        for name in tensors.keys.sorted() where name.hasSuffix(".lora_A.weight") {
            let base = String(name.dropLast(".lora_A.weight".count))
            guard let a = tensors[name], let b = tensors[base + ".lora_B.weight"],
                  var w = tensors[base + ".weight"] else { throw Failure(description: "incomplete LoRA \(base)") }
            let (r, inputs, outputs) = (a.shape[0], a.shape[1], b.shape[0])
            for o in 0..<outputs {
                for i in 0..<inputs {
                    var sum: Float = 0
                    for k in 0..<r { sum += b.values[o * r + k] * a.values[k * inputs + i] }
                    w.values[o * inputs + i] += scale * sum
                }
            }
            tensors[base + ".weight"] = w
        }
        var out: [GGUFWriter.Tensor] = []
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            guard let target = visionName(name) ?? languageName(name) else { continue }
            out.append(GGUFWriter.Tensor(name: target, dimensions: tensor.shape.reversed(), floats: tensor.values))
        }
        typealias V = XComposerGGUFNames.Vision
        typealias Q = XComposerGGUFNames.QFormer
        func u32(_ v: Int) -> GGUFValue { .uint32(UInt32(v)) }
        func floats(_ v: [Double]) -> GGUFValue {
            .array(elementType: GGUFValueType.float32, values: v.map { .float32(Float($0)) })
        }
        let tokenizer = try SentencePieceModelFile(contentsOf: root.appendingPathComponent("tokenizer.model").path)
            .ggufMetadata()
        let tokenizerEntries = tokenizer.keys.map { (key: $0, value: tokenizer[$0]!) }
        let metadata: [(key: String, value: GGUFValue)] = tokenizerEntries + [
            ("general.architecture", .string("internlm")),
            ("internlm.block_count", u32(int(config, "num_hidden_layers"))),
            ("internlm.embedding_length", u32(int(config, "hidden_size"))),
            ("internlm.feed_forward_length", u32(int(config, "intermediate_size"))),
            ("internlm.attention.head_count", u32(int(config, "num_attention_heads"))),
            ("internlm.context_length", u32(int(config, "max_position_embeddings"))),
            ("internlm.attention.layer_norm_rms_epsilon", .float32(Float(double(config, "rms_norm_eps")))),
            ("internlm.rope.freq_base", .float32(Float(double(config, "rope_theta")))),
            ("internlm.vocab_size", u32(int(config, "vocab_size"))),
            (V.imageSize, u32(int(vision, "image_size"))), (V.patchSize, u32(int(vision, "patch_size"))),
            (V.channels, u32(int(vision, "num_channels"))), (V.embeddingLength, u32(int(vision, "hidden_size"))),
            (V.blockCount, u32(int(vision, "num_hidden_layers"))),
            (V.headCount, u32(int(vision, "num_attention_heads"))),
            (V.feedForwardLength, u32(int(vision, "intermediate_size"))),
            (V.layerNormEpsilon, .float32(Float(double(vision, "layer_norm_eps")))),
            (V.postNormEpsilon, .float32(Float(double(vision, "ln_vision_eps")))),
            (V.imageMean, floats([0.48145466, 0.4578275, 0.40821073])),
            (V.imageStandardDeviation, floats([0.26862954, 0.26130258, 0.27577711])),
            (Q.embeddingLength, u32(int(qformer, "hidden_size"))), (Q.blockCount, u32(int(qformer, "num_hidden_layers"))),
            (Q.headCount, u32(int(qformer, "num_attention_heads"))),
            (Q.feedForwardLength, u32(int(qformer, "intermediate_size"))),
            (Q.crossAttentionFrequency, u32(int(qformer, "cross_attention_freq"))),
            (Q.encoderWidth, u32(int(qformer, "encoder_width"))),
            (Q.layerNormEpsilon, .float32(Float(double(qformer, "layer_norm_eps")))),
            (Q.queryCount, u32(int(config, "num_query_token"))),
            (XComposerGGUFNames.endOfHumanTokenID, u32(int(config, "eoh_token_id"))),
            (XComposerGGUFNames.endOfAnswerTokenID, u32(int(config, "eoa_token_id"))),
        ]
        try GGUFWriter.write(path: output, metadata: metadata, tensors: out)
    }
}
