#!/usr/bin/env python3
"""An independent NumPy forward pass for LLaMA-family GGUF models (arch `llama` or `internlm`).

The Swift engine is tested against this. It is written from the model specifications (LLaMA,
HF/InternLM v1, the GGUF format and ggml block layouts), not from the Swift code, and it keeps
the arithmetic as plain as possible so that it can serve as an "exact" reference:

  * weights are dequantised by this file's own decoders, in float64 when asked, so a Q4_1 value
    d*q + m is formed exactly (d and m are float16, q a 4-bit integer);
  * every operation then runs in the chosen float type: float64 (default, the "exact" reference)
    or float32 (closer to what an engine does; use --float32).

The model, per the specs:
  x      = token_embd[tokens]
  per layer:
    h    = RMSNorm(x) * attn_norm          RMSNorm(v) = v / sqrt(mean(v^2) + eps)
    q,k,v = h Wq^T + bq, h Wk^T + bk, h Wv^T + bv       (biases optional)
    RoPE on q and k, angle pos * base^(-2i/n_rot) for pair i (pos / linear factor, and divided by
         rope_freqs[i] when that tensor exists); pairs are (2i, 2i+1) for GGUF `llama` (the
         llama.cpp converter permuted Q/K rows) and (i, i + n_rot/2) for `internlm` (rotate-half)
    attention per query head h with KV head h // (n_head / n_head_kv), scores q.k / sqrt(head_dim),
         causal mask, softmax over keys
    x   += concat(heads) Wo^T + bo
    h    = RMSNorm(x) * ffn_norm
    x   += (silu(h Wgate^T) * (h Wup^T)) Wdown^T
  logits = (RMSNorm(x) * output_norm) Wout^T, Wout = output.weight or token_embd.weight (tied)

Usage (prints the top predictions after each token):
    python scripts/numpy_reference.py MODEL.gguf --tokens 1,2,3 [--float32] [--top 5]
As a library:
    ref = NumpyReference("model.gguf", dtype=np.float64); logits = ref.logits([1, 2, 3])

Needs numpy and the `gguf` package (only its file reader; dequantisation is done here).
"""

import argparse
import sys
from dataclasses import dataclass

import numpy as np
import gguf

QT = gguf.GGMLQuantizationType
SUPPORTED_ARCHITECTURES = ("llama", "internlm")


class ReferenceError(Exception):
    """A problem with the model file or the input, worth one clear line."""


# --------------------------------------------------------------------------------------------
# Dequantisation (own decoders, from the ggml block layouts; little-endian files)
# --------------------------------------------------------------------------------------------

def _half(raw_bytes, dtype):
    """Reinterprets a [..., 2] uint8 array as little-endian float16 and widens it."""
    return np.ascontiguousarray(raw_bytes).view("<f2")[..., 0].astype(dtype)


def _blocks(data, block_bytes):
    flat = np.ascontiguousarray(data).reshape(-1)
    if flat.size % block_bytes:
        raise ReferenceError(f"tensor data of {flat.size} bytes is not whole {block_bytes}-byte blocks")
    return flat.reshape(-1, block_bytes)


def _nibbles(qs):
    """Elements 0..15 of a block are the low nibbles of bytes 0..15, elements 16..31 the high."""
    return np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int32)


def _fifth_bits(qh_bytes):
    """Q5 blocks keep bit 4 of element j in bit j of a little-endian 32-bit word."""
    word = np.ascontiguousarray(qh_bytes).view("<u4")[:, :1]
    return ((word >> np.arange(32, dtype=np.uint32)) & 1).astype(np.int32)


def dequantize(tensor, dtype=np.float64):
    """Returns the tensor's values as an array of `dtype` in NumPy order (rows = ne1, columns = ne0).

    F32/F16/BF16/Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 are decoded here; in float64 the result is exact
    (every block value is a short product/sum of float16 scales and small integers).
    """
    t = tensor.tensor_type
    shape = tuple(int(n) for n in reversed(tensor.shape.tolist()))
    data = tensor.data
    if t == QT.F32:
        out = np.asarray(data, dtype="<f4").astype(dtype)
    elif t == QT.F16:
        out = np.asarray(data, dtype="<f2").astype(dtype)
    elif t == QT.F64:
        out = np.asarray(data, dtype="<f8").astype(dtype)
    elif t == QT.BF16:
        raw = np.ascontiguousarray(data).reshape(-1).view("<u2").astype(np.uint32) << 16
        out = raw.view(np.float32).astype(dtype)
    elif t == QT.Q8_0:            # {f16 d; int8 q[32]}: x = d * q
        b = _blocks(data, 34)
        d = _half(b[:, 0:2], dtype)
        q = b[:, 2:34].view(np.int8).astype(dtype)
        out = d[:, None] * q
    elif t == QT.Q4_0:            # {f16 d; u8 qs[16]}: x = d * (q - 8)
        b = _blocks(data, 18)
        d = _half(b[:, 0:2], dtype)
        out = d[:, None] * (_nibbles(b[:, 2:18]) - 8).astype(dtype)
    elif t == QT.Q4_1:            # {f16 d; f16 m; u8 qs[16]}: x = d * q + m
        b = _blocks(data, 20)
        d = _half(b[:, 0:2], dtype)
        m = _half(b[:, 2:4], dtype)
        out = d[:, None] * _nibbles(b[:, 4:20]).astype(dtype) + m[:, None]
    elif t == QT.Q5_0:            # {f16 d; u8 qh[4]; u8 qs[16]}: x = d * (q - 16)
        b = _blocks(data, 22)
        d = _half(b[:, 0:2], dtype)
        q = _nibbles(b[:, 6:22]) | (_fifth_bits(b[:, 2:6]) << 4)
        out = d[:, None] * (q - 16).astype(dtype)
    elif t == QT.Q5_1:            # {f16 d; f16 m; u8 qh[4]; u8 qs[16]}: x = d * q + m
        b = _blocks(data, 24)
        d = _half(b[:, 0:2], dtype)
        m = _half(b[:, 2:4], dtype)
        q = _nibbles(b[:, 8:24]) | (_fifth_bits(b[:, 4:8]) << 4)
        out = d[:, None] * q.astype(dtype) + m[:, None]
    else:
        raise ReferenceError(f"tensor {tensor.name}: type {t.name} is not decoded by this reference")
    return np.ascontiguousarray(out.reshape(shape))


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------

@dataclass
class Config:
    arch: str
    n_layer: int
    n_embd: int
    n_ff: int
    n_head: int
    n_head_kv: int
    head_dim: int
    n_vocab: int
    eps: float
    rope_base: float
    n_rot: int
    rope_linear_factor: float
    rope_halves: bool


def _field(reader, key):
    field = reader.get_field(key)
    return None if field is None else field.contents()


def read_config(reader, path):
    arch = _field(reader, "general.architecture")
    if arch is None:
        raise ReferenceError(f"{path}: no general.architecture")
    if arch not in SUPPORTED_ARCHITECTURES:
        raise ReferenceError(f"{path}: architecture {arch!r} is not one of {SUPPORTED_ARCHITECTURES}")

    def get(key, default=None):
        value = _field(reader, f"{arch}.{key}")
        if value is None:
            if default is None:
                raise ReferenceError(f"{path}: missing metadata {arch}.{key}")
            return default
        return value

    n_embd = int(get("embedding_length"))
    n_head = int(get("attention.head_count"))
    head_dim = int(get("attention.key_length", n_embd // n_head))
    scaling = get("rope.scaling.type", "none")
    if scaling not in ("none", "", "linear"):
        raise ReferenceError(f"{path}: RoPE scaling {scaling!r} is not supported")
    factor = float(get("rope.scaling.factor", 1.0)) if scaling == "linear" else 1.0
    embd = next((t for t in reader.tensors if t.name == "token_embd.weight"), None)
    if embd is None:
        raise ReferenceError(f"{path}: missing tensor token_embd.weight")
    return Config(
        arch=arch,
        n_layer=int(get("block_count")),
        n_embd=n_embd,
        n_ff=int(get("feed_forward_length")),
        n_head=n_head,
        n_head_kv=int(get("attention.head_count_kv", n_head)),
        head_dim=head_dim,
        n_vocab=int(embd.shape[1]),
        # Metadata floats are float32 in the file; the exact reference uses that stored value.
        eps=float(get("attention.layer_norm_rms_epsilon")),
        rope_base=float(get("rope.freq_base", 10000.0)),
        n_rot=int(get("rope.dimension_count", head_dim)),
        rope_linear_factor=factor,
        rope_halves=(arch == "internlm"),
    )


# --------------------------------------------------------------------------------------------
# The forward pass
# --------------------------------------------------------------------------------------------

def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def silu(x):
    return x / (1.0 + np.exp(-x))


def log_softmax(logits):
    """Row-wise log-probabilities, computed stably."""
    peak = logits.max(axis=-1, keepdims=True)
    shifted = logits - peak
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def logsumexp(logits):
    peak = logits.max(axis=-1)
    return peak + np.log(np.exp(logits - peak[..., None]).sum(axis=-1))


class NumpyReference:
    """Holds a model's dequantised weights and computes logits for token sequences."""

    def __init__(self, path, dtype=np.float64):
        self.path = str(path)
        self.dtype = np.dtype(dtype)
        try:
            reader = gguf.GGUFReader(self.path)
        except (OSError, ValueError) as error:
            raise ReferenceError(f"{self.path}: cannot read as GGUF ({error})") from error
        self.config = c = read_config(reader, self.path)
        tensors = {t.name: t for t in reader.tensors}

        def load(name, shape, optional=False):
            tensor = tensors.get(name)
            if tensor is None:
                if optional:
                    return None
                raise ReferenceError(f"{self.path}: missing tensor {name}")
            values = dequantize(tensor, self.dtype)
            if len(shape) == 1 and values.size == shape[0]:
                values = values.reshape(shape)
            if values.shape != shape:
                raise ReferenceError(f"{self.path}: tensor {name} has shape {values.shape}, expected {shape}")
            return values

        q_width, kv_width = c.n_head * c.head_dim, c.n_head_kv * c.head_dim
        self.token_embd = load("token_embd.weight", (c.n_vocab, c.n_embd))
        self.layers = []
        for i in range(c.n_layer):
            p = f"blk.{i}."
            self.layers.append({
                "attn_norm": load(p + "attn_norm.weight", (c.n_embd,)),
                "wq": load(p + "attn_q.weight", (q_width, c.n_embd)),
                "wk": load(p + "attn_k.weight", (kv_width, c.n_embd)),
                "wv": load(p + "attn_v.weight", (kv_width, c.n_embd)),
                "wo": load(p + "attn_output.weight", (c.n_embd, q_width)),
                "bq": load(p + "attn_q.bias", (q_width,), optional=True),
                "bk": load(p + "attn_k.bias", (kv_width,), optional=True),
                "bv": load(p + "attn_v.bias", (kv_width,), optional=True),
                "bo": load(p + "attn_output.bias", (c.n_embd,), optional=True),
                "ffn_norm": load(p + "ffn_norm.weight", (c.n_embd,)),
                "w_gate": load(p + "ffn_gate.weight", (c.n_ff, c.n_embd)),
                "w_up": load(p + "ffn_up.weight", (c.n_ff, c.n_embd)),
                "w_down": load(p + "ffn_down.weight", (c.n_embd, c.n_ff)),
            })
        self.output_norm = load("output_norm.weight", (c.n_embd,))
        output = load("output.weight", (c.n_vocab, c.n_embd), optional=True)
        self.tied_output = output is None
        self.output = self.token_embd if output is None else output
        self.rope_freqs = load("rope_freqs.weight", (c.n_rot // 2,), optional=True)

    # -- pieces --------------------------------------------------------------------------------

    def rope_angles(self, n_tokens):
        """[n_tokens, n_rot/2] rotation angles: pos * base^(-2i/n_rot) (with the optional factors)."""
        c = self.config
        i = np.arange(c.n_rot // 2, dtype=self.dtype)
        inv_freq = np.power(self.dtype.type(c.rope_base), -2.0 * i / c.n_rot).astype(self.dtype)
        if self.rope_freqs is not None:
            inv_freq = inv_freq / self.rope_freqs
        positions = np.arange(n_tokens, dtype=self.dtype) / self.dtype.type(c.rope_linear_factor)
        return positions[:, None] * inv_freq[None, :]

    def apply_rope(self, x, angles):
        """x: [n_tokens, heads, head_dim]; rotates the first n_rot dimensions of every head."""
        c = self.config
        cos = np.cos(angles)[:, None, :]
        sin = np.sin(angles)[:, None, :]
        out = x.copy()
        if c.rope_halves:
            half = c.n_rot // 2
            a, b = x[..., :half], x[..., half:c.n_rot]
            out[..., :half] = a * cos - b * sin
            out[..., half:c.n_rot] = a * sin + b * cos
        else:
            a, b = x[..., 0:c.n_rot:2], x[..., 1:c.n_rot:2]
            out[..., 0:c.n_rot:2] = a * cos - b * sin
            out[..., 1:c.n_rot:2] = a * sin + b * cos
        return out

    def attention(self, layer, h, angles):
        c = self.config
        n = h.shape[0]

        def project(w, b):
            y = h @ w.T
            return y if b is None else y + b

        q = project(layer["wq"], layer["bq"]).reshape(n, c.n_head, c.head_dim)
        k = project(layer["wk"], layer["bk"]).reshape(n, c.n_head_kv, c.head_dim)
        v = project(layer["wv"], layer["bv"]).reshape(n, c.n_head_kv, c.head_dim)
        q, k = self.apply_rope(q, angles), self.apply_rope(k, angles)

        group = c.n_head // c.n_head_kv
        scale = 1.0 / np.sqrt(self.dtype.type(c.head_dim))
        future = np.triu(np.ones((n, n), dtype=bool), k=1)
        heads = np.empty((n, c.n_head, c.head_dim), dtype=self.dtype)
        for head in range(c.n_head):
            kv = head // group
            scores = (q[:, head, :] @ k[:, kv, :].T) * scale
            scores[future] = -np.inf
            scores -= scores.max(axis=1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=1, keepdims=True)
            heads[:, head, :] = weights @ v[:, kv, :]
        out = heads.reshape(n, c.n_head * c.head_dim) @ layer["wo"].T
        return out if layer["bo"] is None else out + layer["bo"]

    def feed_forward(self, layer, h):
        return (silu(h @ layer["w_gate"].T) * (h @ layer["w_up"].T)) @ layer["w_down"].T

    # -- public --------------------------------------------------------------------------------

    def logits(self, tokens):
        """[len(tokens), n_vocab] logits, row j predicting the token after tokens[j]."""
        c = self.config
        tokens = np.asarray(tokens, dtype=np.int64)
        if tokens.ndim != 1 or tokens.size == 0:
            raise ReferenceError("tokens must be a non-empty 1-D sequence")
        if tokens.min() < 0 or tokens.max() >= c.n_vocab:
            raise ReferenceError(f"token id out of range 0..<{c.n_vocab}")
        x = self.token_embd[tokens].astype(self.dtype)
        angles = self.rope_angles(len(tokens))
        for layer in self.layers:
            x = x + self.attention(layer, rms_norm(x, layer["attn_norm"], c.eps), angles)
            x = x + self.feed_forward(layer, rms_norm(x, layer["ffn_norm"], c.eps))
        return rms_norm(x, self.output_norm, c.eps) @ self.output.T


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="GGUF file (arch llama or internlm)")
    parser.add_argument("--tokens", required=True, help="comma-separated token ids")
    parser.add_argument("--float32", action="store_true", help="compute in float32 instead of float64")
    parser.add_argument("--top", type=int, default=5, help="predictions to print per position")
    args = parser.parse_args(argv)
    try:
        tokens = [int(t) for t in args.tokens.split(",") if t.strip()]
        ref = NumpyReference(args.model, np.float32 if args.float32 else np.float64)
        logits = ref.logits(tokens)
    except (ReferenceError, ValueError) as error:
        print(f"numpy_reference: {error}", file=sys.stderr)
        return 1
    lse = logsumexp(logits)
    for j, token in enumerate(tokens):
        top = np.argsort(-logits[j], kind="stable")[: args.top]
        shown = " ".join(f"{int(t)}:{logits[j, t]:.5f}" for t in top)
        print(f"pos {j} token {token} lse {lse[j]:.5f} top {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
