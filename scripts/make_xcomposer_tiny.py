#!/usr/bin/env python3
"""Builds the tiny InternLM-XComposer v1 test checkpoint in Tests/SharedFixtures/xcomposer-tiny/.

Everything follows docs/xcomposer-v1-spec.md (shared docs): sections 1-3 and 12. Written files:

* `corpus.txt` (committed by hand, read here): the tokenizer's training text.
* `tokenizer.model`: a SentencePiece BPE model trained on corpus.txt and configured as
  XComposer's (BPE, byte fallback, split digits, identity normaliser, no dummy prefix, extra
  whitespace kept, unk/bos/eos = 0/1/2). After training, the 16 user-defined
  `<TOKENS_UNUSED_0..15>` pieces are moved to the *end* of the vocabulary, as in the real model
  (bytes at ids 3..258, `<TOKENS_UNUSED_*>` last), so eoh/eoa are not small ids, and the learned
  pieces are shuffled (scores kept), so scores are not in id order (as in the real model).
  The script checks that the edited model tokenises exactly as the trained one.
* `config.json`: the real model's keys (spec 1.4) with tiny sizes, plus the optional keys of
  spec 12 (`vision_config`, `qformer_config`, `rope_theta`, `eoh_token_id`, `eoa_token_id`).
  LoRA has r=8, alpha=16 (alpha/r = 2 on purpose: the real model has 1).
* `checkpoint-bin/`: `pytorch_model-0000{1,2}-of-00002.bin` in PyTorch's zip format (as
  torch.save writes it; see scripts/xcomposer_torchzip.py) plus `pytorch_model.bin.index.json`.
* `checkpoint-safetensors/`: `model-0000{1,2}-of-00002.safetensors` plus
  `model.safetensors.index.json`: the same tensors, shards, dtypes and values.
  Both folders also get a copy of config.json and tokenizer.model (each is a full checkpoint).
* `images/rocket.jpg`, `images/chelsea.png`: copies of two sample photos.

Tensor names and shapes are those of spec section 2, LoRA unmerged. Dtypes follow the split
that reproduces the real index's total_size to the byte (18,577,196,288): fp16 for the ViT's
Linear/Conv weights and biases and for the LLM; fp32 for the ViT's LayerNorms, cls_token,
pos_embed, q_bias and v_bias, ln_vision, query_tokens, the Q-Former, internlm_proj, the two
flags and LoRA A/B; int64 for the Q-Former's position_ids. One exception: that byte count
implies fp16 `rotary_emb.inv_freq` buffers in the real file (`.half()` converts buffers), but
here they are fp32 (exactly the formula rounded to fp32), so that a reader that uses them
and one that recomputes them agree; the reference recomputes them. The two flags share one
storage in the .bin shards (flag_image_end at element offset H).

Values are deterministic: each tensor's generator is seeded by (seed, crc32(name)), with
VISION_SEED for everything outside `internlm_model.` and LLM_SEED inside it.

Rerun (needs numpy, sentencepiece, protobuf, safetensors; no torch):
    python3 -m venv ~/.cache/xcomposer-dev/venv-vision
    ~/.cache/xcomposer-dev/venv-vision/bin/pip install numpy pillow sentencepiece protobuf safetensors
    ~/.cache/xcomposer-dev/venv-vision/bin/python scripts/make_xcomposer_tiny.py
then regenerate the reference outputs with scripts/xcomposer_reference.py.
"""
import argparse
import collections
import io
import json
import os
import shutil
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, HERE)
import xcomposer_torchzip as torchzip  # noqa: E402

OUT = os.path.normpath(os.path.join(HERE, "..", "Tests", "SharedFixtures", "xcomposer-tiny"))
SAMPLES = os.path.expanduser("~/.cache/xcomposer/sample-library")
IMAGES = ["rocket.jpg", "chelsea.png"]

VISION_SEED = 20240108
# Picked by trying seeds 0..259: the reference's 32-token greedy continuations (with and
# without the image) contain no stop id, have >= 20 distinct ids, and the smallest top-2
# logit gap is 0.159 (image prompt) / 0.120 (text prompt).
LLM_SEED = 249
NUM_UNUSED = 16
TOKENIZER_SEED = 3
VOCAB = 1200

VISION = dict(image_size=224, patch_size=14, num_channels=3, hidden_size=48, num_hidden_layers=2,
              num_attention_heads=4, intermediate_size=96, layer_norm_eps=1e-6, ln_vision_eps=1e-5)
QFORMER = dict(hidden_size=32, num_hidden_layers=4, num_attention_heads=4, intermediate_size=64,
               cross_attention_freq=2, encoder_width=48, layer_norm_eps=1e-12,
               max_position_embeddings=512)
LLM = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128)
NUM_QUERY = 64
LORA = {"learn_param": ["q", "v", "ffn"], "lora_r": 8, "lora_alpha": 16, "lora_dropout": 0.05,
        "freeze": False}
ROPE_THETA = 10000.0


# ---------------------------------------------------------------------------- tokenizer

def train_tokenizer():
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        input=os.path.join(OUT, "corpus.txt"), model_writer=buf, model_type="bpe",
        vocab_size=VOCAB, byte_fallback=True, split_digits=True,
        normalization_rule_name="identity", add_dummy_prefix=False,
        remove_extra_whitespaces=False,
        user_defined_symbols=[f"<TOKENS_UNUSED_{i}>" for i in range(NUM_UNUSED)],
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, character_coverage=1.0, num_threads=1,
        max_sentencepiece_length=16, allow_whitespace_only_pieces=True, minloglevel=2)
    trained = buf.getvalue()

    # Move the user-defined pieces to the end (the real model's layout).
    m = pb.ModelProto()
    m.ParseFromString(trained)
    pieces = list(m.pieces)
    user = [p for p in pieces if p.type == pb.ModelProto.SentencePiece.USER_DEFINED]
    rest = [p for p in pieces if p.type != pb.ModelProto.SentencePiece.USER_DEFINED]
    assert len(user) == NUM_UNUSED
    assert [p.piece for p in rest[:3]] == ["<unk>", "<s>", "</s>"]
    assert rest[3].piece == "<0x00>" and rest[258].piece == "<0xFF>"
    # Shuffle the learned pieces (keeping their scores): in the real model scores are not in
    # id order either, so an encoder that merges by id instead of by score fails here.
    learned = rest[259:]
    assert all(p.type == pb.ModelProto.SentencePiece.NORMAL for p in learned)
    order = np.random.default_rng(TOKENIZER_SEED).permutation(len(learned))
    del m.pieces[:]
    m.pieces.extend(rest[:259] + [learned[i] for i in order] + user)
    model = m.SerializeToString()

    # The reordered model must tokenise exactly as the trained one, up to the id permutation.
    a = spm.SentencePieceProcessor(model_proto=trained)
    b = spm.SentencePieceProcessor(model_proto=model)
    remap = {a.piece_to_id(b.id_to_piece(i)): i for i in range(b.get_piece_size())}
    with open(os.path.join(OUT, "corpus.txt"), encoding="utf-8") as f:
        probe = f.read() + " <TOKENS_UNUSED_0>x<TOKENS_UNUSED_1> 🚀 ünïcode 12345 </s>"
    assert [remap[i] for i in a.encode(probe)] == b.encode(probe)
    assert b.unk_id() == 0 and b.bos_id() == 1 and b.eos_id() == 2
    return model, b


# ---------------------------------------------------------------------------- tensors

def build_state(vocab_size):
    """Returns an ordered list of (name, numpy array in its storage dtype)."""
    f16, f32 = np.float16, np.float32
    items = []

    def rng(name):
        seed = LLM_SEED if name.startswith("internlm_model.") else VISION_SEED
        return np.random.default_rng([seed, zlib.crc32(name.encode())])

    def normal(name, shape, std, dtype, mean=0.0):
        a = mean + std * rng(name).standard_normal(shape)
        items.append((name, a.astype(dtype)))

    def linear(prefix, out, inp, dtype, bias=True, wstd=None, bstd=0.1):
        normal(prefix + ".weight", (out, inp), wstd if wstd is not None else inp ** -0.5, dtype)
        if bias:
            normal(prefix + ".bias", (out,), bstd, dtype)

    def layernorm(prefix, n, dtype):
        normal(prefix + ".weight", (n,), 0.1, dtype, mean=1.0)
        normal(prefix + ".bias", (n,), 0.1, dtype)

    V, Q, H = VISION, QFORMER, LLM
    dv, dq, dh = V["hidden_size"], Q["hidden_size"], H["hidden_size"]
    n_patch = (V["image_size"] // V["patch_size"]) ** 2

    # The top module's own parameters come first in a state dict, then its children.
    normal("query_tokens", (1, NUM_QUERY, dq), 1.0, f32)
    normal("flag_image_start", (1, 1, dh), 1.0, f32)
    normal("flag_image_end", (1, 1, dh), 1.0, f32)

    # EVA ViT: own parameters (cls_token, pos_embed) before patch_embed and blocks.
    normal("visual_encoder.cls_token", (1, 1, dv), 0.5, f32)
    normal("visual_encoder.pos_embed", (1, n_patch + 1, dv), 0.3, f32)
    pin = V["num_channels"] * V["patch_size"] ** 2
    normal("visual_encoder.patch_embed.proj.weight",
           (dv, V["num_channels"], V["patch_size"], V["patch_size"]), pin ** -0.5, f16)
    normal("visual_encoder.patch_embed.proj.bias", (dv,), 0.1, f16)
    for n in range(V["num_hidden_layers"]):
        p = f"visual_encoder.blocks.{n}"
        layernorm(p + ".norm1", dv, f32)
        normal(p + ".attn.q_bias", (dv,), 0.1, f32)
        normal(p + ".attn.v_bias", (dv,), 0.1, f32)
        linear(p + ".attn.qkv", 3 * dv, dv, f16, bias=False)
        linear(p + ".attn.proj", dv, dv, f16)
        layernorm(p + ".norm2", dv, f32)
        linear(p + ".mlp.fc1", V["intermediate_size"], dv, f16)
        linear(p + ".mlp.fc2", dv, V["intermediate_size"], f16)
    layernorm("ln_vision", dv, f32)

    # Q-Former (query path only).
    items.append(("Qformer.bert.embeddings.position_ids",
                  np.arange(Q["max_position_embeddings"], dtype=np.int64)[None, :]))
    layernorm("Qformer.bert.embeddings.LayerNorm", dq, f32)
    for n in range(Q["num_hidden_layers"]):
        p = f"Qformer.bert.encoder.layer.{n}"
        for part in ("query", "key", "value"):
            linear(f"{p}.attention.self.{part}", dq, dq, f32)
        linear(p + ".attention.output.dense", dq, dq, f32)
        layernorm(p + ".attention.output.LayerNorm", dq, f32)
        if n % Q["cross_attention_freq"] == 0:
            linear(p + ".crossattention.self.query", dq, dq, f32)
            linear(p + ".crossattention.self.key", dq, Q["encoder_width"], f32)
            linear(p + ".crossattention.self.value", dq, Q["encoder_width"], f32)
            linear(p + ".crossattention.output.dense", dq, dq, f32)
            layernorm(p + ".crossattention.output.LayerNorm", dq, f32)
        linear(p + ".intermediate_query.dense", Q["intermediate_size"], dq, f32)
        linear(p + ".output_query.dense", dq, Q["intermediate_size"], f32)
        layernorm(p + ".output_query.LayerNorm", dq, f32)

    # InternLM with unmerged LoRA on q, v, up, down.
    r = LORA["lora_r"]
    hd = dh // H["num_attention_heads"]
    inter = H["intermediate_size"]
    normal("internlm_model.model.embed_tokens.weight", (vocab_size, dh), 1.0, f16)

    def lora(prefix, out, inp):
        normal(prefix + ".lora_A.weight", (r, inp), inp ** -0.5, f32)
        normal(prefix + ".lora_B.weight", (out, r), 0.15, f32)

    for n in range(H["num_hidden_layers"]):
        p = f"internlm_model.model.layers.{n}"
        for part in ("q", "k", "v", "o"):
            linear(f"{p}.self_attn.{part}_proj", dh, dh, f16)
            if part in ("q", "v"):
                lora(f"{p}.self_attn.{part}_proj", dh, dh)
        inv_freq = ROPE_THETA ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
        items.append((p + ".self_attn.rotary_emb.inv_freq", inv_freq.astype(f32)))
        linear(p + ".mlp.gate_proj", inter, dh, f16, bias=False)
        linear(p + ".mlp.down_proj", dh, inter, f16, bias=False)
        lora(p + ".mlp.down_proj", dh, inter)
        linear(p + ".mlp.up_proj", inter, dh, f16, bias=False)
        lora(p + ".mlp.up_proj", inter, dh)
        normal(p + ".input_layernorm.weight", (dh,), 0.1, f16, mean=1.0)
        normal(p + ".post_attention_layernorm.weight", (dh,), 0.1, f16, mean=1.0)
    normal("internlm_model.model.norm.weight", (dh,), 0.1, f16, mean=1.0)
    normal("internlm_model.lm_head.weight", (vocab_size, dh), 0.6, f16)

    linear("internlm_proj", dh, dq, f32)

    # Children in registration order: visual_encoder, ln_vision, Qformer, internlm_model,
    # internlm_proj.
    names = [n for n, _ in items]
    assert len(names) == len(set(names))
    return items


def shard_of(name):
    """Shard 1: everything before layer 1's MLP; shard 2: the rest (a layer spans both)."""
    last = LLM["num_hidden_layers"] - 1
    if name.startswith("internlm_model.model.layers."):
        n = int(name.split(".")[3])
        if n < last or ".self_attn." in name:
            return 1
        return 2
    if name.startswith("internlm_model.model.norm.") or name.startswith("internlm_model.lm_head."):
        return 2
    if name.startswith("internlm_proj."):
        return 2
    return 1


# ---------------------------------------------------------------------------- writers

def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False, sort_keys=False)
        f.write("\n")


def write_bin(folder, items):
    os.makedirs(folder, exist_ok=True)
    dh = LLM["hidden_size"]
    tensors = collections.OrderedDict()
    # The two flags share one storage: [start | end].
    flags = dict(items)
    shared = torchzip.Storage(np.concatenate([flags["flag_image_start"].reshape(-1),
                                              flags["flag_image_end"].reshape(-1)]))
    for name, a in items:
        if name == "flag_image_start":
            tensors[name] = torchzip.TensorView(shared, 0, a.shape)
        elif name == "flag_image_end":
            tensors[name] = torchzip.TensorView(shared, dh, a.shape)
        else:
            tensors[name] = torchzip.tensor(a)
    weight_map, total = {}, 0
    for k in (1, 2):
        fname = f"pytorch_model-0000{k}-of-00002.bin"
        part = collections.OrderedDict((n, t) for n, t in tensors.items() if shard_of(n) == k)
        torchzip.save(part, os.path.join(folder, fname), archive=fname[: -len(".bin")])
        for n in part:
            weight_map[n] = fname
    total = sum(a.nbytes for _, a in items)
    write_json(os.path.join(folder, "pytorch_model.bin.index.json"),
               {"metadata": {"total_size": total},
                "weight_map": dict(sorted(weight_map.items()))})


def write_safetensors(folder, items):
    from safetensors.numpy import save_file
    os.makedirs(folder, exist_ok=True)
    weight_map = {}
    for k in (1, 2):
        fname = f"model-0000{k}-of-00002.safetensors"
        part = {n: np.ascontiguousarray(a) for n, a in items if shard_of(n) == k}
        save_file(part, os.path.join(folder, fname), metadata={"format": "pt"})
        for n in part:
            weight_map[n] = fname
    total = sum(a.nbytes for _, a in items)
    write_json(os.path.join(folder, "model.safetensors.index.json"),
               {"metadata": {"total_size": total},
                "weight_map": dict(sorted(weight_map.items()))})


def make_config(sp):
    eoh = sp.piece_to_id("<TOKENS_UNUSED_0>")
    eoa = sp.piece_to_id("<TOKENS_UNUSED_1>")
    return collections.OrderedDict([
        ("architectures", ["InternLMXComposerForCausalLM"]),
        ("model_type", "InternLMXComposer"),
        ("hidden_size", LLM["hidden_size"]),
        ("num_hidden_layers", LLM["num_hidden_layers"]),
        ("num_attention_heads", LLM["num_attention_heads"]),
        ("intermediate_size", LLM["intermediate_size"]),
        ("hidden_act", "silu"),
        ("vocab_size", sp.get_piece_size()),
        ("rms_norm_eps", 1e-5),
        ("max_position_embeddings", 2048),
        ("bos_token_id", 1),
        ("eos_token_id", 2),
        ("pad_token_id", -1),
        ("tie_word_embeddings", False),
        ("kqvo_bias", True),
        ("intern_converted_llm", True),
        ("num_query_token", NUM_QUERY),
        ("internlm_lora", LORA),
        ("torch_dtype", "float16"),
        ("rope_theta", ROPE_THETA),
        ("eoh_token_id", eoh),
        ("eoa_token_id", eoa),
        ("vision_config", VISION),
        ("qformer_config", QFORMER),
    ])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    out = args.out

    model, sp = train_tokenizer()
    config = make_config(sp)
    items = build_state(sp.get_piece_size())

    with open(os.path.join(out, "tokenizer.model"), "wb") as f:
        f.write(model)
    write_json(os.path.join(out, "config.json"), config)
    for folder, writer in (("checkpoint-bin", write_bin),
                           ("checkpoint-safetensors", write_safetensors)):
        path = os.path.join(out, folder)
        if os.path.isdir(path):
            shutil.rmtree(path)
        writer(path, items)
        shutil.copyfile(os.path.join(out, "config.json"), os.path.join(path, "config.json"))
        shutil.copyfile(os.path.join(out, "tokenizer.model"), os.path.join(path, "tokenizer.model"))

    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    for name in IMAGES:
        shutil.copyfile(os.path.join(SAMPLES, name), os.path.join(out, "images", name))

    n_params = sum(a.size for _, a in items)
    print(f"wrote {out}: vocab {sp.get_piece_size()}, eoh {config['eoh_token_id']}, "
          f"eoa {config['eoa_token_id']}, {len(items)} tensors, {n_params} elements, "
          f"{sum(a.nbytes for _, a in items)} bytes")


if __name__ == "__main__":
    main()
