#!/usr/bin/env python3
"""Writes tiny random-weight GGUF models and their exact reference logits, for the Swift tests.

Each model uses llama.cpp's tensor names and metadata keys, so the engine loads it exactly as it
loads a real model; its reference logits come from scripts/numpy_reference.py in float64 on the
weights *as stored in the written file* (so F16 and Q8_0 rounding is part of the model, not an
error). Outputs, in --out (default Tests/LanguageModelsTests/Fixtures/tiny):

  tiny-llama-f32.gguf      arch llama, GQA 4 heads / 2 KV heads, head dim 8, dim 32, ffn 64,
                           2 layers, vocab 64, all F32, separate output.weight, rope base 100000
  tiny-llama-q8.gguf       same shapes, matrices and token_embd in Q8_0, output tied to token_embd
  tiny-internlm-f32.gguf   arch internlm, MHA 4 heads, q/k/v/o biases, rotate-half RoPE, F32,
                           rope base 10000
  tiny-internlm-f16.gguf   as above with F16 matrices (norms and biases stay F32)
  <model>.logits.json      {"model", "dtype", "tokens", "logits": [[n_vocab floats] per position]}

The embeddings of the separate-output models are small (std 0.02, as in real checkpoints) so the
RMSNorm epsilon visibly matters at the first layer. Everything is seeded: rerunning rewrites
byte-identical files.

    /root/.cache/xcomposer-dev/venv-llama/bin/python scripts/make_tiny_models.py
"""

import argparse
import json
import os
import sys
from dataclasses import dataclass

import numpy as np
import gguf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_reference  # noqa: E402

QT = gguf.GGMLQuantizationType
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "Tests", "LanguageModelsTests", "Fixtures", "tiny")
SIZE_LIMIT = 300 * 1024


@dataclass
class Spec:
    name: str
    arch: str
    seed: int
    n_head: int
    n_head_kv: int
    matrix_type: QT            # type of every 2-D weight (token_embd and output included)
    tied_output: bool
    biases: bool
    rope_base: float
    eps: float
    embedding_std: float
    n_embd: int = 32
    head_dim: int = 8
    n_ff: int = 64
    n_layer: int = 2
    n_vocab: int = 64
    context_length: int = 128
    n_tokens: int = 12


SPECS = [
    Spec("tiny-llama-f32", "llama", seed=1, n_head=4, n_head_kv=2, matrix_type=QT.F32,
         tied_output=False, biases=False, rope_base=100000.0, eps=1e-5, embedding_std=0.02),
    Spec("tiny-llama-q8", "llama", seed=2, n_head=4, n_head_kv=2, matrix_type=QT.Q8_0,
         tied_output=True, biases=False, rope_base=10000.0, eps=1e-6, embedding_std=0.3),
    Spec("tiny-internlm-f32", "internlm", seed=3, n_head=4, n_head_kv=4, matrix_type=QT.F32,
         tied_output=False, biases=True, rope_base=10000.0, eps=1e-6, embedding_std=0.02),
    Spec("tiny-internlm-f16", "internlm", seed=4, n_head=4, n_head_kv=4, matrix_type=QT.F16,
         tied_output=False, biases=True, rope_base=10000.0, eps=1e-6, embedding_std=0.02),
]


def tiny_vocabulary(n_vocab):
    """A SentencePiece-style ("llama") vocabulary: <unk>, <s>, </s>, one byte piece, then words."""
    pieces = ["<unk>", "<s>", "</s>", "<0x0A>", "\u2581"]
    pieces += [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces += ["\u2581" + chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces += ["\u2581the", "\u2581and", "ing", "er", ".", ",", "!", "?"]
    if len(pieces) < n_vocab:
        raise ValueError(f"the tiny vocabulary has {len(pieces)} pieces, fewer than {n_vocab}")
    pieces = pieces[:n_vocab]
    # Token types as llama.cpp numbers them: 1 normal, 2 unknown, 3 control, 6 byte.
    types = [2, 3, 3, 6] + [1] * (n_vocab - 4)
    scores = [0.0, 0.0, 0.0, 0.0] + [-float(i) for i in range(1, n_vocab - 3)]
    return pieces, scores, types


def random_weights(spec):
    """Tensor name -> float32 array in NumPy order ([rows = outputs, columns = inputs])."""
    rng = np.random.default_rng(spec.seed)
    d, f, hd = spec.n_embd, spec.n_ff, spec.head_dim
    q_width, kv_width = spec.n_head * hd, spec.n_head_kv * hd

    def matrix(rows, cols, gain=1.0):
        return (rng.standard_normal((rows, cols)) * gain / np.sqrt(cols)).astype(np.float32)

    def norm(n):
        return (1.0 + 0.2 * rng.standard_normal(n)).astype(np.float32)

    def bias(n):
        return (0.3 * rng.standard_normal(n)).astype(np.float32)

    w = {"token_embd.weight": (rng.standard_normal((spec.n_vocab, d)) * spec.embedding_std).astype(np.float32)}
    for i in range(spec.n_layer):
        p = f"blk.{i}."
        w[p + "attn_norm.weight"] = norm(d)
        w[p + "attn_q.weight"] = matrix(q_width, d, 1.5)
        w[p + "attn_k.weight"] = matrix(kv_width, d, 1.5)
        w[p + "attn_v.weight"] = matrix(kv_width, d)
        w[p + "attn_output.weight"] = matrix(d, q_width)
        if spec.biases:
            w[p + "attn_q.bias"] = bias(q_width)
            w[p + "attn_k.bias"] = bias(kv_width)
            w[p + "attn_v.bias"] = bias(kv_width)
            w[p + "attn_output.bias"] = bias(d)
        w[p + "ffn_norm.weight"] = norm(d)
        w[p + "ffn_gate.weight"] = matrix(f, d)
        w[p + "ffn_up.weight"] = matrix(f, d)
        w[p + "ffn_down.weight"] = matrix(d, f)
    w["output_norm.weight"] = norm(d)
    if not spec.tied_output:
        w["output.weight"] = matrix(spec.n_vocab, d, 3.0)
    tokens = [1] + rng.integers(3, spec.n_vocab, size=spec.n_tokens - 1).tolist()
    return w, tokens


def encode(array, matrix_type):
    """(data, raw_dtype) for GGUFWriter.add_tensor; 1-D tensors always stay F32 as in llama.cpp."""
    if array.ndim == 1 or matrix_type == QT.F32:
        return array, None
    if matrix_type == QT.F16:
        return array.astype(np.float16), None
    return gguf.quants.quantize(array, matrix_type), matrix_type


def write_model(spec, path):
    weights, tokens = random_weights(spec)
    writer = gguf.GGUFWriter(path, spec.arch)
    writer.add_name(spec.name)
    writer.add_context_length(spec.context_length)
    writer.add_embedding_length(spec.n_embd)
    writer.add_block_count(spec.n_layer)
    writer.add_feed_forward_length(spec.n_ff)
    writer.add_head_count(spec.n_head)
    writer.add_head_count_kv(spec.n_head_kv)
    writer.add_rope_freq_base(spec.rope_base)
    writer.add_layer_norm_rms_eps(spec.eps)
    writer.add_rope_dimension_count(spec.head_dim)
    writer.add_vocab_size(spec.n_vocab)
    pieces, scores, types = tiny_vocabulary(spec.n_vocab)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(pieces)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    for name, array in weights.items():
        data, raw_dtype = encode(array, spec.matrix_type)
        writer.add_tensor(name, data, raw_dtype=raw_dtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return tokens


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    for spec in SPECS:
        model_path = os.path.join(args.out, spec.name + ".gguf")
        tokens = write_model(spec, model_path)
        size = os.path.getsize(model_path)
        if size > SIZE_LIMIT:
            print(f"make_tiny_models: {model_path} is {size} bytes, over {SIZE_LIMIT}", file=sys.stderr)
            return 1
        reference = numpy_reference.NumpyReference(model_path, np.float64)
        logits = reference.logits(tokens)
        record = {
            "model": spec.name + ".gguf",
            "dtype": "float64",
            "tokens": tokens,
            "logits": [[float(v) for v in row] for row in logits],
        }
        logits_path = os.path.join(args.out, spec.name + ".logits.json")
        with open(logits_path, "w") as f:
            json.dump(record, f, separators=(",", ":"))
            f.write("\n")
        spread = float(np.mean(logits.max(axis=1) - logits.min(axis=1)))
        print(f"{spec.name}: {size} bytes, {len(tokens)} tokens, mean logit range {spread:.3f}, "
              f"{os.path.getsize(logits_path)} bytes of logits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
