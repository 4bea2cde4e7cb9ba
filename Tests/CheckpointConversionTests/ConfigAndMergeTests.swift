import Foundation
import Testing
import Tensors
@testable import CheckpointConversion

/// `config.json` parsing with the real model's defaults, the tensor layout it implies, and the
/// LoRA merge against a direct loop.
@Suite struct ConfigAndMergeTests {
    /// The language-model keys of the real `internlm-xcomposer-7b` config.json (spec 1.4).
    static let realConfig = """
        {"architectures": ["InternLMXComposerForCausalLM"], "hidden_size": 4096, "num_hidden_layers": 32,
         "num_attention_heads": 32, "intermediate_size": 11008, "hidden_act": "silu", "vocab_size": 103168,
         "rms_norm_eps": 1e-05, "max_position_embeddings": 2048, "bos_token_id": 1, "eos_token_id": 2,
         "pad_token_id": -1, "tie_word_embeddings": false, "kqvo_bias": true, "intern_converted_llm": true,
         "num_query_token": 64, "_name_or_path": "chat",
         "internlm_lora": {"learn_param": ["q", "v", "ffn"], "lora_r": 256, "lora_alpha": 256, "lora_dropout": 0.05,
                           "freeze": false}}
        """

    func parse(_ json: String) throws(CheckpointError) -> XComposerConfig {
        try XComposerConfig(json: Data(json.utf8), path: "config.json")
    }

    @Test func realConfigTakesTheSpecDefaults() throws {
        let c = try parse(Self.realConfig)
        #expect(c.hiddenSize == 4096 && c.layerCount == 32 && c.headCount == 32 && c.kvHeadCount == 32)
        #expect(c.headDimension == 128 && c.intermediateSize == 11008 && c.vocabularySize == 103168)
        #expect(c.rmsNormEpsilon == 1e-5 && c.ropeTheta == 10000 && c.maxPositionEmbeddings == 2048)
        #expect(c.hasAttentionBias && !c.tieWordEmbeddings && c.queryTokenCount == 64)
        #expect(c.lora == XComposerConfig.LoRA(rank: 256, alpha: 256, modules: ["q_proj", "v_proj", "up_proj", "down_proj"]))
        #expect(c.lora?.scale == 1)
        #expect(c.endOfHumanTokenID == nil && c.endOfAnswerTokenID == nil)
        // Section 12: absent vision and Q-Former keys are the real model's sizes.
        let v = c.vision
        #expect(v.imageSize == 224 && v.patchSize == 14 && v.channels == 3 && v.hiddenSize == 1408)
        #expect(v.layerCount == 39 && v.headCount == 16 && v.intermediateSize == 6144 && v.tokenCount == 257)
        #expect(v.layerNormEpsilon == 1e-6 && v.postNormEpsilon == 1e-5)
        let q = c.qformer
        #expect(q.hiddenSize == 768 && q.layerCount == 12 && q.headCount == 12 && q.intermediateSize == 3072)
        #expect(q.crossAttentionFrequency == 2 && q.encoderWidth == 1408 && q.layerNormEpsilon == 1e-12)
        #expect(q.maxPositionEmbeddings == 512)
    }

    /// The layout of the real configuration has spec section 2's 1480 state-dict tensors less
    /// the dropped buffers (32 inv_freq and position_ids) and the 256 LoRA tensors merged away.
    @Test func realLayoutMatchesTheSpecTensorCount() throws {
        let entries = XComposerLayout.entries(for: try parse(Self.realConfig))
        let adapters = entries.filter { $0.lora != nil }.count
        #expect(adapters == 32 * 4)
        #expect(entries.count + 2 * adapters + 32 + 1 == 1480)
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.source, $0) })
        #expect(byName["visual_encoder.blocks.38.attn.qkv.weight"]?.shape == [4224, 1408])
        #expect(byName["visual_encoder.pos_embed"]?.shape == [1, 257, 1408])
        #expect(byName["Qformer.bert.encoder.layer.10.crossattention.self.key.weight"]?.shape == [768, 1408])
        #expect(byName["Qformer.bert.encoder.layer.11.crossattention.self.key.weight"] == nil)
        #expect(byName["internlm_model.model.layers.31.mlp.down_proj.weight"]?.shape == [4096, 11008])
        #expect(byName["internlm_model.model.layers.0.mlp.gate_proj.weight"]?.lora == nil)
        #expect(byName["internlm_model.model.layers.0.mlp.up_proj.weight"]?.lora?.b == "internlm_model.model.layers.0.mlp.up_proj.lora_B.weight")
        #expect(byName["internlm_model.model.layers.0.self_attn.k_proj.weight"]?.lora == nil)
        #expect(byName["internlm_model.lm_head.weight"]?.output == "output.weight")
        #expect(byName["query_tokens"]?.shape == [1, 64, 768])
        // GGUF caps names at 64 bytes.
        #expect(entries.allSatisfy { $0.output.utf8.count < 64 })
        #expect(Set(entries.map(\.output)).count == entries.count)
    }

    @Test func reducedConfigReadsTheOptionalKeys() throws {
        let json = """
            {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
             "intermediate_size": 128, "vocab_size": 1200, "rope_theta": 500000.0, "num_query_token": 8,
             "eoh_token_id": 1184, "eoa_token_id": 1185, "internlm_lora": null,
             "vision_config": {"image_size": 28, "patch_size": 14, "hidden_size": 48, "num_hidden_layers": 2,
                               "num_attention_heads": 4, "intermediate_size": 96, "layer_norm_eps": 1e-5, "ln_vision_eps": 1e-4},
             "qformer_config": {"hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 4, "intermediate_size": 64,
                                "cross_attention_freq": 3, "layer_norm_eps": 1e-6}}
            """
        let c = try parse(json)
        #expect(c.kvHeadCount == 2 && c.ropeTheta == 500000 && c.queryTokenCount == 8 && c.lora == nil)
        #expect(c.endOfHumanTokenID == 1184 && c.endOfAnswerTokenID == 1185)
        #expect(c.vision.tokenCount == 5 && c.vision.layerNormEpsilon == 1e-5 && c.vision.postNormEpsilon == 1e-4)
        #expect(c.qformer.encoderWidth == 48)  // the vision width when absent
        #expect(c.qformer.hasCrossAttention(layer: 0) && !c.qformer.hasCrossAttention(layer: 2) && c.qformer.hasCrossAttention(layer: 3))
        let entries = XComposerLayout.entries(for: c)
        #expect(entries.first { $0.source.hasSuffix("layers.0.self_attn.k_proj.weight") }?.shape == [32, 64])
        #expect(entries.allSatisfy { $0.lora == nil })
    }

    @Test func badConfigurations() throws {
        func failure(_ json: String) -> CheckpointError? {
            checkpointError { () throws(CheckpointError) in _ = try parse(json) }
        }
        let base = #""hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 10"#
        #expect(failure("{\(base)}") == .badConfig(path: "config.json", key: "num_attention_heads", reason: "is missing"))
        #expect(failure("{\(base), \"num_attention_heads\": 5}")?.description.contains("does not divide") == true)
        #expect(failure("{\(base), \"num_attention_heads\": \"4\"}") == .badConfig(path: "config.json", key: "num_attention_heads", reason: "is not an integer"))
        #expect(failure("{\(base), \"num_attention_heads\": 4.5}") != nil)
        #expect(failure("{\(base), \"num_attention_heads\": true}") != nil)
        #expect(failure("{\(base), \"num_attention_heads\": 4, \"kqvo_bias\": 1}")?.description.contains("true or false") == true)
        #expect(failure("{\(base), \"num_attention_heads\": 4, \"vision_config\": {\"patch_size\": 15}}")?.description.contains("vision_config.patch_size") == true)
        #expect(failure("{\(base), \"num_attention_heads\": 4, \"qformer_config\": {\"encoder_width\": 99}}")?.description.contains("encoder_width") == true)
        #expect(failure("{\(base), \"num_attention_heads\": 4, \"internlm_lora\": {\"lora_r\": 4, \"learn_param\": [\"x\"]}}")?
                    .description.contains("learn_param") == true)
        #expect(failure("{\(base), \"num_attention_heads\": 4, \"hidden_act\": \"gelu\"}")?.description
                == "config.json: 'hidden_act' is gelu, but only silu is supported")
        #expect(failure("[1, 2]") == .corrupt(path: "config.json", offset: nil, reason: "not a JSON object"))
        #expect(checkpointError { () throws(CheckpointError) in _ = try XComposerConfig(contentsOf: "/nonexistent/config.json") }
                == .missingFile(path: "/nonexistent/config.json", what: "the model configuration"))
    }

    // MARK: - LoRA

    /// `W + scale * B @ A` through sgemm equals the triple loop, at the real rank and at odd sizes.
    @Test(arguments: [(rows: 37, columns: 29, rank: 5, scale: Float(2)), (rows: 300, columns: 256, rank: 256, scale: 1),
                      (rows: 1, columns: 1, rank: 1, scale: 0.5)])
    func mergeEqualsTheDirectProduct(rows: Int, columns: Int, rank: Int, scale: Float) {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &generator) } }
        let weight = random(rows * columns), a = random(rank * columns), b = random(rows * rank)
        var merged = weight
        LoRAMerge.merge(into: &merged, rows: rows, columns: columns, a: a, b: b, rank: rank, scale: scale)
        var worst: Double = 0
        for i in 0..<rows {
            for j in 0..<columns {
                var sum: Double = 0
                for k in 0..<rank { sum += Double(b[i * rank + k]) * Double(a[k * columns + j]) }
                let expected = Double(weight[i * columns + j]) + Double(scale) * sum
                worst = max(worst, abs(Double(merged[i * columns + j]) - expected))
            }
        }
        #expect(worst < 1e-5 * Double(rank))
        #expect(merged != weight)
    }

    @Test func optionsRefuseTypesTheKernelsCannotWrite() throws {
        #expect(try ConversionOptions(languageTypeName: "q4_k", visionTypeName: "F16")
                == ConversionOptions(languageType: .q4_K, visionType: .f16))
        #expect(checkpointError { () throws(CheckpointError) in _ = try ConversionOptions(languageTypeName: "q2_k", visionTypeName: "f32") }?
                    .description.hasPrefix("--type: Q2_K cannot be written") == true)
        #expect(checkpointError { () throws(CheckpointError) in _ = try ConversionOptions(languageTypeName: "q9", visionTypeName: "f32") } != nil)
        #expect(checkpointError { () throws(CheckpointError) in _ = try ConversionOptions(languageTypeName: "f16", visionTypeName: "q8_0") }?
                    .description.hasPrefix("--vision-type") == true)
        // A quantised type needs whole blocks per row; narrower rows fall back to F16.
        let options = try ConversionOptions(languageType: .q4_K)
        let narrow = XComposerLayout.Entry(source: "s", output: "o", shape: [64, 64], role: .languageMatrix)
        #expect(options.storageType(of: narrow).type == .f16)
        #expect(options.storageType(of: narrow).fallback != nil)
        let wide = XComposerLayout.Entry(source: "s", output: "o", shape: [64, 512], role: .languageMatrix)
        #expect(options.storageType(of: wide).type == .q4_K)
        #expect(options.storageType(of: wide).fallback == nil)
    }
}
