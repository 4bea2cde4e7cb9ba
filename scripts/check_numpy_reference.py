#!/usr/bin/env python3
"""Cross-checks scripts/numpy_reference.py against llama.cpp on full-precision weights.

llama.cpp is not exact on quantised models (it quantises activations for the dot products), so
this check removes that: it writes a temporary copy of the model with every tensor decoded to F32
(by numpy_reference's own decoders) and runs llama.cpp on the copy with an F32 KV cache. What is
left is float32 versus float64 rounding, so the two should agree to ~1e-4 in the logits; a wrong
RoPE pairing, GQA mapping, bias or norm would show up as differences of order 1.

An `internlm` model is checked by converting it to arch `llama` on the way (llama.cpp has no v1
InternLM): the rows of attn_q/attn_k (and their biases) are permuted inside each head from
rotate-half order (i, i + d/2) to adjacent pairs (2i, 2i+1), which is exactly what the llama.cpp
converter does to HF LLaMA checkpoints; llama.cpp's llama graph applies optional q/k/v/o biases.

    /root/.cache/xcomposer-dev/venv-llama/bin/python scripts/check_numpy_reference.py MODEL.gguf \
        (--tokens 1,2,3 | --tokens-json FILE [--prompt NAME])

--tokens-json takes a tiny-model logits file ({"tokens": ...}) or the llama.cpp fixture
(prompts[].tokens + continuation, the prompt chosen by --prompt, default the first).
Needs numpy, gguf and llama-cpp-python.
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np
import gguf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_reference as ref  # noqa: E402


def halves_to_adjacent(rows, head_dim):
    """Reorders each head's rows so that rotate-half pair (i, i + d/2) becomes (2i, 2i + 1)."""
    shape = rows.shape
    heads = rows.reshape(-1, 2, head_dim // 2, *shape[1:])
    return np.ascontiguousarray(heads.swapaxes(1, 2)).reshape(shape)


def write_f32_llama_copy(src, dst):
    reader = gguf.GGUFReader(src)
    config = ref.read_config(reader, src)
    if config.n_rot != config.head_dim and config.rope_halves:
        raise ref.ReferenceError(f"{src}: partial rotary internlm cannot be converted by this check")
    writer = gguf.GGUFWriter(dst, "llama")
    prefix = config.arch + "."
    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name in ("general.architecture", "general.alignment",
                                                            "general.file_type"):
            continue
        name = "llama." + field.name[len(prefix):] if field.name.startswith(prefix) else field.name
        sub_type = field.types[-1] if field.types[0] == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(name, field.contents(), field.types[0], sub_type=sub_type)
    for tensor in reader.tensors:
        values = ref.dequantize(tensor, np.float64)
        as_f32 = values.astype(np.float32)
        if not np.array_equal(as_f32.astype(np.float64), values):
            raise ref.ReferenceError(f"{src}: {tensor.name} is not exactly representable in F32")
        if config.rope_halves and tensor.name.split(".")[-2] in ("attn_q", "attn_k"):
            as_f32 = halves_to_adjacent(as_f32, config.head_dim)
        writer.add_tensor(tensor.name, as_f32)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def llama_cpp_logits(path, tokens):
    import llama_cpp
    llm = llama_cpp.Llama(path, n_ctx=max(len(tokens), 16), n_batch=len(tokens), n_ubatch=len(tokens),
                          n_threads=1, logits_all=True, type_k=0, type_v=0, verbose=False)
    llm.eval(tokens)
    rows = np.array(llm.scores[: len(tokens)], dtype=np.float64)
    llm.close()
    return rows


def load_tokens(args):
    if args.tokens:
        return [int(t) for t in args.tokens.split(",") if t.strip()]
    with open(args.tokens_json) as f:
        data = json.load(f)
    if "tokens" in data:
        return data["tokens"]
    prompts = data["prompts"]
    prompt = next((p for p in prompts if p["name"] == args.prompt), None) if args.prompt else prompts[0]
    if prompt is None:
        raise ref.ReferenceError(f"{args.tokens_json}: no prompt named {args.prompt!r}")
    return prompt["tokens"] + prompt["continuation"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--tokens")
    parser.add_argument("--tokens-json")
    parser.add_argument("--prompt")
    args = parser.parse_args(argv)
    if not (args.tokens or args.tokens_json):
        parser.error("give --tokens or --tokens-json")
    try:
        tokens = load_tokens(args)
        exact = ref.NumpyReference(args.model, np.float64).logits(tokens)
        with tempfile.TemporaryDirectory() as folder:
            copy = os.path.join(folder, "f32-llama.gguf")
            write_f32_llama_copy(args.model, copy)
            theirs = llama_cpp_logits(copy, tokens)
    except (ref.ReferenceError, OSError, ValueError, KeyError) as error:
        print(f"check_numpy_reference: {error}", file=sys.stderr)
        return 1
    lp_exact, lp_theirs = ref.log_softmax(exact), ref.log_softmax(theirs)
    kl = (np.exp(lp_exact) * (lp_exact - lp_theirs)).sum(axis=-1)
    print(f"{os.path.basename(args.model)}: {len(tokens)} positions, "
          f"max |logit diff| {np.abs(exact - theirs).max():.3e}, mean KL {kl.mean():.3e}, "
          f"top-1 agreement {(exact.argmax(-1) == theirs.argmax(-1)).mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
