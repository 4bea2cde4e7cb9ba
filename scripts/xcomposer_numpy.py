"""Independent NumPy (float64) forward pass of InternLM-XComposer v1, written from
docs/xcomposer-v1-spec.md (sections 1, 2, 12) only.

`weights` is a mapping from the checkpoint's tensor names (spec section 2) to numpy arrays of
any float dtype; everything is computed in float64. LoRA stays unmerged:
y = W x + b + (alpha/r) * B(A x).
"""
import math

import numpy as np
from PIL import Image

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073])
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711])

_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x):
    """Exact (erf) GELU."""
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def silu(x):
    return x / (1.0 + np.exp(-x))


def softmax(x, axis=-1):
    x = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def layer_norm(x, w, b, eps):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * w


class Model:
    def __init__(self, config, weights):
        self.c = config
        self.w = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()
                  if np.asarray(v).dtype.kind == "f"}
        v = config.get("vision_config", {})
        q = config.get("qformer_config", {})
        self.v_image = v.get("image_size", 224)
        self.v_patch = v.get("patch_size", 14)
        self.v_channels = v.get("num_channels", 3)
        self.v_dim = v.get("hidden_size", 1408)
        self.v_layers = v.get("num_hidden_layers", 39)
        self.v_heads = v.get("num_attention_heads", 16)
        self.v_eps = v.get("layer_norm_eps", 1e-6)
        self.ln_vision_eps = v.get("ln_vision_eps", 1e-5)
        self.q_dim = q.get("hidden_size", 768)
        self.q_layers = q.get("num_hidden_layers", 12)
        self.q_heads = q.get("num_attention_heads", 12)
        self.q_freq = q.get("cross_attention_freq", 2)
        self.q_eps = q.get("layer_norm_eps", 1e-12)
        self.h_dim = config["hidden_size"]
        self.h_layers = config["num_hidden_layers"]
        self.h_heads = config["num_attention_heads"]
        self.rms_eps = config["rms_norm_eps"]
        self.rope_theta = config.get("rope_theta", 10000.0)
        lora = config.get("internlm_lora") or None
        self.lora_scale = (lora["lora_alpha"] / lora["lora_r"]) if lora else None

    # ------------------------------------------------------------------ image preprocessing

    def resize(self, path):
        img = Image.open(path).convert("RGB")
        return np.asarray(img.resize((self.v_image, self.v_image), Image.BICUBIC), dtype=np.uint8)

    @staticmethod
    def normalize(resized):
        x = resized.astype(np.float64) / 255.0          # ToTensor: [0,1]
        x = (x - CLIP_MEAN) / CLIP_STD                    # Normalize (per channel)
        return x.transpose(2, 0, 1)                       # HWC -> CHW

    # ------------------------------------------------------------------ helpers

    def linear(self, x, prefix, bias=True):
        y = x @ self.w[prefix + ".weight"].T
        if bias:
            y = y + self.w[prefix + ".bias"]
        return y

    def lora_linear(self, x, prefix, bias):
        y = self.linear(x, prefix, bias=bias)
        a = prefix + ".lora_A.weight"
        if a in self.w:
            y = y + self.lora_scale * ((x @ self.w[a].T) @ self.w[prefix + ".lora_B.weight"].T)
        return y

    @staticmethod
    def attention(q, k, v, heads, mask=None):
        """q [Lq, D], k/v [Lk, D]; heads split contiguous columns; returns [Lq, D]."""
        lq, d = q.shape
        lk = k.shape[0]
        hd = d // heads
        qh = q.reshape(lq, heads, hd).transpose(1, 0, 2)
        kh = k.reshape(lk, heads, hd).transpose(1, 0, 2)
        vh = v.reshape(lk, heads, hd).transpose(1, 0, 2)
        s = qh @ kh.transpose(0, 2, 1) / math.sqrt(hd)
        if mask is not None:
            s = np.where(mask, s, -np.inf)
        p = softmax(s, axis=-1)
        return (p @ vh).transpose(1, 0, 2).reshape(lq, d)

    # ------------------------------------------------------------------ vision

    def vit(self, pixels, trace=None):
        """pixels [C, S, S] -> last block output [1 + (S/P)^2, Dv] (no final norm)."""
        p, c, s = self.v_patch, self.v_channels, self.v_image
        g = s // p
        w = self.w
        # Conv2d(k=P, s=P) as a GEMM over patches in row-major grid order.
        patches = pixels.reshape(c, g, p, g, p).transpose(1, 3, 0, 2, 4).reshape(g * g, c * p * p)
        x = patches @ w["visual_encoder.patch_embed.proj.weight"].reshape(self.v_dim, -1).T
        x = x + w["visual_encoder.patch_embed.proj.bias"]
        x = np.concatenate([w["visual_encoder.cls_token"].reshape(1, -1), x], axis=0)
        x = x + w["visual_encoder.pos_embed"].reshape(g * g + 1, self.v_dim)
        if trace is not None:
            trace["vit_embed"] = x
        d, heads = self.v_dim, self.v_heads
        hd = d // heads
        for n in range(self.v_layers):
            b = f"visual_encoder.blocks.{n}"
            h = layer_norm(x, w[b + ".norm1.weight"], w[b + ".norm1.bias"], self.v_eps)
            qkv_bias = np.concatenate([w[b + ".attn.q_bias"], np.zeros(d), w[b + ".attn.v_bias"]])
            qkv = h @ w[b + ".attn.qkv.weight"].T + qkv_bias
            q, k, v = qkv[:, :d], qkv[:, d:2 * d], qkv[:, 2 * d:]
            # q * hd^-0.5 then unscaled QK^T is the same as QK^T / sqrt(hd).
            ctx = self.attention(q, k, v, heads)
            x = x + self.linear(ctx, b + ".attn.proj")
            h = layer_norm(x, w[b + ".norm2.weight"], w[b + ".norm2.bias"], self.v_eps)
            x = x + self.linear(gelu(self.linear(h, b + ".mlp.fc1")), b + ".mlp.fc2")
            if trace is not None:
                trace[f"vit_block{n}"] = x
        assert hd * heads == d
        return x

    def ln_vision(self, x):
        return layer_norm(x, self.w["ln_vision.weight"], self.w["ln_vision.bias"], self.ln_vision_eps)

    def qformer(self, image, trace=None):
        """image [Li, Dv] (after ln_vision) -> last_hidden_state [Nq, Dq]."""
        w = self.w
        e = "Qformer.bert.embeddings.LayerNorm"
        h = layer_norm(w["query_tokens"][0], w[e + ".weight"], w[e + ".bias"], self.q_eps)
        if trace is not None:
            trace["qformer_embed"] = h
        for n in range(self.q_layers):
            p = f"Qformer.bert.encoder.layer.{n}"
            a = p + ".attention"
            ctx = self.attention(self.linear(h, a + ".self.query"), self.linear(h, a + ".self.key"),
                                 self.linear(h, a + ".self.value"), self.q_heads)
            h = layer_norm(self.linear(ctx, a + ".output.dense") + h,
                           w[a + ".output.LayerNorm.weight"], w[a + ".output.LayerNorm.bias"],
                           self.q_eps)
            if n % self.q_freq == 0:
                a = p + ".crossattention"
                ctx = self.attention(self.linear(h, a + ".self.query"),
                                     self.linear(image, a + ".self.key"),
                                     self.linear(image, a + ".self.value"), self.q_heads)
                h = layer_norm(self.linear(ctx, a + ".output.dense") + h,
                               w[a + ".output.LayerNorm.weight"], w[a + ".output.LayerNorm.bias"],
                               self.q_eps)
            f = gelu(self.linear(h, p + ".intermediate_query.dense"))
            h = layer_norm(self.linear(f, p + ".output_query.dense") + h,
                           w[p + ".output_query.LayerNorm.weight"],
                           w[p + ".output_query.LayerNorm.bias"], self.q_eps)
            if trace is not None:
                trace[f"qformer_layer{n}"] = h
        return h

    def image_embeds(self, qformer_out):
        proj = self.linear(qformer_out, "internlm_proj")
        return np.concatenate([self.w["flag_image_start"].reshape(1, -1), proj,
                               self.w["flag_image_end"].reshape(1, -1)], axis=0)

    def encode_image(self, path, trace=None):
        out = {"resized": self.resize(path)}
        out["pixels"] = self.normalize(out["resized"])
        out["vit"] = self.vit(out["pixels"], trace)
        out["vit_ln"] = self.ln_vision(out["vit"])
        out["qformer"] = self.qformer(out["vit_ln"], trace)
        out["image_embeds"] = self.image_embeds(out["qformer"])
        return out

    # ------------------------------------------------------------------ LLM

    def embed(self, ids):
        return self.w["internlm_model.model.embed_tokens.weight"][np.asarray(ids, dtype=np.int64)]

    def rope(self, x, positions, inv_freq):
        """x [L, heads, hd]: rotate-half (NeoX) rotary embedding."""
        hd = x.shape[-1]
        ang = positions[:, None] * inv_freq[None, :]           # [L, hd/2]
        cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
        x1, x2 = x[..., :hd // 2], x[..., hd // 2:]
        return np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)

    def llm_logits(self, embeds, inv_freq=None, trace=None):
        """embeds [L, H] -> logits [L, V] (full causal recompute, positions 0..L-1)."""
        w = self.w
        L, d = embeds.shape
        heads = self.h_heads
        hd = d // heads
        if inv_freq is None:
            inv_freq = self.rope_theta ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
        pos = np.arange(L, dtype=np.float64)
        mask = np.tril(np.ones((L, L), dtype=bool))
        x = embeds.astype(np.float64)
        for n in range(self.h_layers):
            p = f"internlm_model.model.layers.{n}"
            h = rms_norm(x, w[p + ".input_layernorm.weight"], self.rms_eps)
            q = self.lora_linear(h, p + ".self_attn.q_proj", bias=True)
            k = self.lora_linear(h, p + ".self_attn.k_proj", bias=True)
            v = self.lora_linear(h, p + ".self_attn.v_proj", bias=True)
            q = self.rope(q.reshape(L, heads, hd), pos, inv_freq).reshape(L, d)
            k = self.rope(k.reshape(L, heads, hd), pos, inv_freq).reshape(L, d)
            ctx = self.attention(q, k, v, heads, mask=mask)
            x = x + self.lora_linear(ctx, p + ".self_attn.o_proj", bias=True)
            h = rms_norm(x, w[p + ".post_attention_layernorm.weight"], self.rms_eps)
            g = self.lora_linear(h, p + ".mlp.gate_proj", bias=False)
            u = self.lora_linear(h, p + ".mlp.up_proj", bias=False)
            x = x + self.lora_linear(silu(g) * u, p + ".mlp.down_proj", bias=False)
            if trace is not None:
                trace[f"llm_layer{n}"] = x
        x = rms_norm(x, w["internlm_model.model.norm.weight"], self.rms_eps)
        if trace is not None:
            trace["llm_final_norm"] = x
        return x @ w["internlm_model.lm_head.weight"].T

    def greedy(self, embeds, steps, inv_freq=None):
        """Greedy continuation: returns (ids, gaps between the top two logits, first logits)."""
        ids, gaps = [], []
        seq = embeds
        first = None
        for _ in range(steps):
            logits = self.llm_logits(seq, inv_freq)[-1]
            if first is None:
                first = logits
            top2 = np.argsort(logits)[-2:]
            ids.append(int(top2[1]))
            gaps.append(float(logits[top2[1]] - logits[top2[0]]))
            seq = np.concatenate([seq, self.embed([ids[-1]])], axis=0)
        return ids, gaps, first
