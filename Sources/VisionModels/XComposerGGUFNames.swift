/// How a converted InternLM-XComposer checkpoint is laid out inside one GGUF file: the metadata
/// keys of the vision tower and the perceive sampler, and the tensor names of every part.
///
/// `xcomposer convert` writes these names and the vision code reads them, so this file is the one
/// contract between the two. GGUF caps names at 64 bytes, which the Hugging Face names
/// (`Qformer.bert.encoder.layer.10.crossattention.output.LayerNorm.weight`) exceed, hence the
/// short forms. The language model uses the standard `llama`-family names of the GGUF ecosystem
/// (`blk.N.attn_q.weight`, ...) under `general.architecture = "internlm"`, so the existing
/// decoder runs it; its Q/K rows are *not* permuted (InternLM rotates halves).
///
/// GGUF lists dimensions innermost first, so a PyTorch `[out, in]` Linear weight is stored with
/// dimensions `[in, out]`, and the patch embedding `[D, 3, 14, 14]` as `[14, 14, 3, D]`.
public enum XComposerGGUFNames {
    /// Metadata keys of the vision tower (EVA ViT-g/14 as BLIP-2 uses it).
    public enum Vision {
        public static let imageSize = "xcomposer.vision.image_size"
        public static let patchSize = "xcomposer.vision.patch_size"
        public static let channels = "xcomposer.vision.channels"
        public static let embeddingLength = "xcomposer.vision.embedding_length"
        public static let blockCount = "xcomposer.vision.block_count"
        public static let headCount = "xcomposer.vision.attention.head_count"
        public static let feedForwardLength = "xcomposer.vision.feed_forward_length"
        /// Epsilon of the LayerNorms inside the blocks (1e-6 in the real model).
        public static let layerNormEpsilon = "xcomposer.vision.attention.layer_norm_epsilon"
        /// Epsilon of `ln_vision`, applied after the last block (1e-5 in the real model).
        public static let postNormEpsilon = "xcomposer.vision.post_norm_epsilon"
        /// Per-channel normalisation of the pixels, RGB order (OpenAI CLIP constants).
        public static let imageMean = "xcomposer.vision.image_mean"
        public static let imageStandardDeviation = "xcomposer.vision.image_std"
    }

    /// Metadata keys of the perceive sampler (a BLIP-2 Q-Former, query path only).
    public enum QFormer {
        public static let embeddingLength = "xcomposer.qformer.embedding_length"
        public static let blockCount = "xcomposer.qformer.block_count"
        public static let headCount = "xcomposer.qformer.attention.head_count"
        public static let feedForwardLength = "xcomposer.qformer.feed_forward_length"
        /// Cross-attention sits in layers where `layer % freq == 0`.
        public static let crossAttentionFrequency = "xcomposer.qformer.cross_attention_freq"
        /// Width of the image tokens the cross-attention reads (the vision width).
        public static let encoderWidth = "xcomposer.qformer.encoder_width"
        public static let layerNormEpsilon = "xcomposer.qformer.attention.layer_norm_epsilon"
        public static let queryCount = "xcomposer.qformer.query_count"
    }

    /// Token ids that end a human turn and an assistant answer (`<TOKENS_UNUSED_0>`, `_1>`).
    public static let endOfHumanTokenID = "xcomposer.eoh_token_id"
    public static let endOfAnswerTokenID = "xcomposer.eoa_token_id"

    /// Tensor names of the vision tower; `v.blk.N.` prefixes the blocks.
    public enum VisionTensor {
        /// `visual_encoder.patch_embed.proj.weight` `[D,C,P,P]` and `.bias` `[D]`.
        public static let patchWeight = "v.patch_embd.weight"
        public static let patchBias = "v.patch_embd.bias"
        /// `visual_encoder.cls_token` `[1,1,D]`.
        public static let classEmbedding = "v.cls_embd"
        /// `visual_encoder.pos_embed` `[1,T,D]`, T = (S/P)² + 1.
        public static let positionEmbedding = "v.pos_embd"
        /// `ln_vision.weight` / `.bias` `[D]`.
        public static let postNormWeight = "v.post_ln.weight"
        public static let postNormBias = "v.post_ln.bias"

        public static func block(_ n: Int) -> String { "v.blk.\(n)." }
        // Suffixes after `block(n)`, with the Hugging Face name each one comes from.
        /// `norm1.weight` / `norm1.bias`
        public static let norm1Weight = "ln1.weight", norm1Bias = "ln1.bias"
        /// `norm2.weight` / `norm2.bias`
        public static let norm2Weight = "ln2.weight", norm2Bias = "ln2.bias"
        /// `attn.qkv.weight` `[3D,D]` (no bias tensor: q and v biases below, k's is zero).
        public static let qkvWeight = "attn_qkv.weight"
        /// `attn.q_bias` / `attn.v_bias` `[D]`.
        public static let queryBias = "attn_q.bias", valueBias = "attn_v.bias"
        /// `attn.proj.weight` / `.bias`.
        public static let outputWeight = "attn_out.weight", outputBias = "attn_out.bias"
        /// `mlp.fc1.weight` / `.bias`.
        public static let upWeight = "ffn_up.weight", upBias = "ffn_up.bias"
        /// `mlp.fc2.weight` / `.bias`.
        public static let downWeight = "ffn_down.weight", downBias = "ffn_down.bias"
    }

    /// Tensor names of the perceive sampler; `qf.blk.N.` prefixes the layers.
    public enum QFormerTensor {
        /// `query_tokens` `[1,Q,D]`.
        public static let queryEmbedding = "qf.query_embd"
        /// `Qformer.bert.embeddings.LayerNorm.weight` / `.bias`.
        public static let embeddingNormWeight = "qf.embd_ln.weight"
        public static let embeddingNormBias = "qf.embd_ln.bias"

        public static func block(_ n: Int) -> String { "qf.blk.\(n)." }
        // Suffixes after `block(n)`; each has `.weight` and `.bias`. From
        // `Qformer.bert.encoder.layer.N.`:
        /// `attention.self.query|key|value`
        public static let selfQuery = "self_q", selfKey = "self_k", selfValue = "self_v"
        /// `attention.output.dense`, `attention.output.LayerNorm`
        public static let selfOutput = "self_out", selfNorm = "self_ln"
        /// `crossattention.self.query|key|value` (key and value read the encoder width)
        public static let crossQuery = "cross_q", crossKey = "cross_k", crossValue = "cross_v"
        /// `crossattention.output.dense`, `crossattention.output.LayerNorm`
        public static let crossOutput = "cross_out", crossNorm = "cross_ln"
        /// `intermediate_query.dense`, `output_query.dense`, `output_query.LayerNorm`
        public static let feedForwardUp = "ffn_up", feedForwardDown = "ffn_down", feedForwardNorm = "ffn_ln"
    }

    /// The projection into the language model and the learned image delimiters.
    public enum ProjectionTensor {
        /// `internlm_proj.weight` `[H,Dq]` / `.bias` `[H]`.
        public static let weight = "mm.proj.weight"
        public static let bias = "mm.proj.bias"
        /// `flag_image_start` / `flag_image_end` `[1,1,H]`.
        public static let imageStart = "mm.image_start"
        public static let imageEnd = "mm.image_end"
    }
}
