/// Every tensor an InternLM-XComposer v1 checkpoint holds (spec section 2), with the shape
/// its configuration implies and the GGUF name it is written under.
///
/// The GGUF names are those of `VisionModels.XComposerGGUFNames` for the vision tower,
/// Q-Former and projection (restated here because this target must not depend on the vision
/// code; the tests check the two agree) and the GGUF `llama` names the language model loader
/// binds.
public enum XComposerLayout {
    /// How a tensor is stored in the GGUF.
    public enum Role: Sendable, Equatable {
        /// A 2-D weight matrix of the language model: stored as `--type`.
        case languageMatrix
        /// A weight matrix (or the patch-embedding kernel) of the vision tower, Q-Former or
        /// projection: stored as `--vision-type`.
        case visionMatrix
        /// Norms, biases, embeddings of the vision side and the image flags: always f32.
        case float32
    }

    /// One tensor to write.
    public struct Entry: Sendable, Equatable {
        /// The Hugging Face state-dict name.
        public var source: String
        public var output: String
        /// PyTorch order, outermost first.
        public var shape: [Int]
        public var role: Role
        /// The LoRA adapter to merge into this weight, by state-dict names (`A` is [r, in],
        /// `B` is [out, r]).
        public var lora: (a: String, b: String)?

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.source == rhs.source && lhs.output == rhs.output && lhs.shape == rhs.shape && lhs.role == rhs.role
                && lhs.lora?.a == rhs.lora?.a && lhs.lora?.b == rhs.lora?.b
        }
    }

    static let llm = "internlm_model.model."
    static let qformerLayer = "Qformer.bert.encoder.layer."

    /// The tensors to write, in the order they go into the file: the language model first
    /// (in the order the loader reads), then the vision tower, the Q-Former and the projection.
    public static func entries(for c: XComposerConfig) -> [Entry] {
        var list: [Entry] = []
        func add(_ source: String, _ output: String, _ shape: [Int], _ role: Role, lora: (a: String, b: String)? = nil) {
            list.append(Entry(source: source, output: output, shape: shape, role: role, lora: lora))
        }
        let h = c.hiddenSize, q = c.headCount * c.headDimension, kv = c.kvHeadCount * c.headDimension
        add(llm + "embed_tokens.weight", "token_embd.weight", [c.vocabularySize, h], .languageMatrix)
        for n in 0..<c.layerCount {
            let s = "\(llm)layers.\(n).", o = "blk.\(n)."
            func adapter(_ module: String, _ path: String) -> (a: String, b: String)? {
                guard let lora = c.lora, lora.modules.contains(module) else { return nil }
                return (s + path + ".lora_A.weight", s + path + ".lora_B.weight")
            }
            add(s + "input_layernorm.weight", o + "attn_norm.weight", [h], .float32)
            for (module, name, rows, columns) in [("q_proj", "attn_q", q, h), ("k_proj", "attn_k", kv, h),
                                                   ("v_proj", "attn_v", kv, h), ("o_proj", "attn_output", h, q)] {
                add(s + "self_attn.\(module).weight", o + "\(name).weight", [rows, columns], .languageMatrix,
                    lora: adapter(module, "self_attn.\(module)"))
                if c.hasAttentionBias { add(s + "self_attn.\(module).bias", o + "\(name).bias", [rows], .float32) }
            }
            add(s + "post_attention_layernorm.weight", o + "ffn_norm.weight", [h], .float32)
            let i = c.intermediateSize
            for (module, name, rows, columns) in [("gate_proj", "ffn_gate", i, h), ("up_proj", "ffn_up", i, h),
                                                   ("down_proj", "ffn_down", h, i)] {
                add(s + "mlp.\(module).weight", o + "\(name).weight", [rows, columns], .languageMatrix,
                    lora: adapter(module, "mlp.\(module)"))
            }
        }
        add(llm + "norm.weight", "output_norm.weight", [h], .float32)
        if !c.tieWordEmbeddings {
            add("internlm_model.lm_head.weight", "output.weight", [c.vocabularySize, h], .languageMatrix)
        }

        let v = c.vision, d = v.hiddenSize
        add("visual_encoder.patch_embed.proj.weight", "v.patch_embd.weight", [d, v.channels, v.patchSize, v.patchSize], .visionMatrix)
        add("visual_encoder.patch_embed.proj.bias", "v.patch_embd.bias", [d], .float32)
        add("visual_encoder.cls_token", "v.cls_embd", [1, 1, d], .float32)
        add("visual_encoder.pos_embed", "v.pos_embd", [1, v.tokenCount, d], .float32)
        for n in 0..<v.layerCount {
            let s = "visual_encoder.blocks.\(n).", o = "v.blk.\(n)."
            add(s + "norm1.weight", o + "ln1.weight", [d], .float32)
            add(s + "norm1.bias", o + "ln1.bias", [d], .float32)
            add(s + "attn.qkv.weight", o + "attn_qkv.weight", [3 * d, d], .visionMatrix)
            add(s + "attn.q_bias", o + "attn_q.bias", [d], .float32)
            add(s + "attn.v_bias", o + "attn_v.bias", [d], .float32)
            add(s + "attn.proj.weight", o + "attn_out.weight", [d, d], .visionMatrix)
            add(s + "attn.proj.bias", o + "attn_out.bias", [d], .float32)
            add(s + "norm2.weight", o + "ln2.weight", [d], .float32)
            add(s + "norm2.bias", o + "ln2.bias", [d], .float32)
            add(s + "mlp.fc1.weight", o + "ffn_up.weight", [v.intermediateSize, d], .visionMatrix)
            add(s + "mlp.fc1.bias", o + "ffn_up.bias", [v.intermediateSize], .float32)
            add(s + "mlp.fc2.weight", o + "ffn_down.weight", [d, v.intermediateSize], .visionMatrix)
            add(s + "mlp.fc2.bias", o + "ffn_down.bias", [d], .float32)
        }
        add("ln_vision.weight", "v.post_ln.weight", [d], .float32)
        add("ln_vision.bias", "v.post_ln.bias", [d], .float32)

        let f = c.qformer, e = f.hiddenSize
        add("query_tokens", "qf.query_embd", [1, c.queryTokenCount, e], .float32)
        add("Qformer.bert.embeddings.LayerNorm.weight", "qf.embd_ln.weight", [e], .float32)
        add("Qformer.bert.embeddings.LayerNorm.bias", "qf.embd_ln.bias", [e], .float32)
        for n in 0..<f.layerCount {
            let s = "\(qformerLayer)\(n).", o = "qf.blk.\(n)."
            func linear(_ source: String, _ output: String, _ rows: Int, _ columns: Int) {
                add(s + source + ".weight", o + output + ".weight", [rows, columns], .visionMatrix)
                add(s + source + ".bias", o + output + ".bias", [rows], .float32)
            }
            func norm(_ source: String, _ output: String) {
                add(s + source + ".weight", o + output + ".weight", [e], .float32)
                add(s + source + ".bias", o + output + ".bias", [e], .float32)
            }
            linear("attention.self.query", "self_q", e, e)
            linear("attention.self.key", "self_k", e, e)
            linear("attention.self.value", "self_v", e, e)
            linear("attention.output.dense", "self_out", e, e)
            norm("attention.output.LayerNorm", "self_ln")
            if f.hasCrossAttention(layer: n) {
                linear("crossattention.self.query", "cross_q", e, e)
                linear("crossattention.self.key", "cross_k", e, f.encoderWidth)
                linear("crossattention.self.value", "cross_v", e, f.encoderWidth)
                linear("crossattention.output.dense", "cross_out", e, e)
                norm("crossattention.output.LayerNorm", "cross_ln")
            }
            linear("intermediate_query.dense", "ffn_up", f.intermediateSize, e)
            linear("output_query.dense", "ffn_down", e, f.intermediateSize)
            norm("output_query.LayerNorm", "ffn_ln")
        }

        add("internlm_proj.weight", "mm.proj.weight", [h, e], .visionMatrix)
        add("internlm_proj.bias", "mm.proj.bias", [h], .float32)
        add("flag_image_start", "mm.image_start", [1, 1, h], .float32)
        add("flag_image_end", "mm.image_end", [1, 1, h], .float32)
        return list
    }

    /// The LoRA adapter shapes of an entry: A [r, in], B [out, r].
    static func loraShapes(of entry: Entry, rank: Int) -> (a: [Int], b: [Int]) {
        ([rank, entry.shape[1]], [entry.shape[0], rank])
    }

    /// Buffers the original code keeps in its state dict that the converted model does not
    /// need: the Q-Former's `position_ids` (the query path never reads them) and each layer's
    /// RoPE `inv_freq` (recomputed from `rope_theta`; checked against it).
    public static func isDroppedBuffer(_ name: String) -> Bool {
        name == "Qformer.bert.embeddings.position_ids" || (name.hasPrefix(llm + "layers.") && name.hasSuffix(".self_attn.rotary_emb.inv_freq"))
    }
}
