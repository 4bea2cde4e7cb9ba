#!/usr/bin/env python3
"""Reference outputs of the tiny XComposer v1 checkpoint (Tests/SharedFixtures/xcomposer-tiny/).

An independent NumPy forward pass (scripts/xcomposer_numpy.py, float64 inside) written from
docs/xcomposer-v1-spec.md, run on `checkpoint-safetensors/` with LoRA unmerged. It first reads
`checkpoint-bin/` with its own reader (scripts/xcomposer_torchzip.py) and asserts that every
tensor equals the safetensors one (name, dtype, shape, values).

Writes into Tests/SharedFixtures/xcomposer-tiny/reference/ (arrays are float32 .npy unless said):

* per image `<stem>` of images/: `<stem>.decoded.npy` (uint8 [h,w,3], PIL's decoding after
  convert("RGB"), to tell decoder differences from resize ones), `<stem>.resized.npy` (uint8
  [224,224,3], PIL bicubic),
  `<stem>.pixels.npy` ([3,224,224], CLIP-normalised), `<stem>.vit.npy` ([257,Dv], last block,
  before ln_vision), `<stem>.vit_ln.npy` (after ln_vision), `<stem>.qformer.npy` ([64,Dq]),
  `<stem>.image_embeds.npy` ([66,H]: flag_image_start, 64 projected, flag_image_end);
* `prompt.json` + `interleaved_logits.npy` ([V], the logits after the last prompt position of
  a first-turn chat prompt with an image, spec 4.2);
* `greedy.json`: the 32-token greedy continuation of that prompt with the top-2 gaps;
* `text_prompt.json` + `text_logits.npy`: the same template without an image;
* `tokens.json`: `sentencepiece` ids (encode, no BOS/EOS) of the spec's prompt strings and
  some hard cases, plus the HF slow tokenizer's ids (split on <s>, </s>, <unk> first);
* `summary.json`: sizes, stop ids, min gaps, and how much some likely mistakes move the logits;
* `debug/`: intermediates to locate a mismatch: for the prompt image `rocket.vit_embed`
  (patches + cls + pos_embed, [257,Dv]), `rocket.vit_block<n>` (after block n),
  `rocket.qformer_embed` (LayerNorm of query_tokens), `rocket.qformer_layer<n>`; for the
  text-only prompt `text.embeds` ([L,H] input embeddings), `text.llm_layer<n>` (residual
  stream after layer n, all positions) and `text.llm_final_norm`.

Rerun after scripts/make_xcomposer_tiny.py:
    ~/.cache/xcomposer-dev/venv-vision/bin/python scripts/xcomposer_reference.py
"""
import argparse
import collections
import json
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, HERE)
import xcomposer_torchzip as torchzip  # noqa: E402
from xcomposer_numpy import Model  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", "Tests", "SharedFixtures", "xcomposer-tiny"))

META = ("meta instruction\n"
        "You are an AI assistant whose name is 浦语.\n"
        "- 浦语 is a conversational language model that is developed by Shanghai AI Laboratory "
        "(上海人工智能实验室). It is designed to be helpful, honest, and harmless.\n"
        "- 浦语 can understand and communicate fluently in the language chosen by the user such "
        "as English and 中文.\n"
        "conversation\n")
USER = " <|User|>:"
BOT = "\n<TOKENS_UNUSED_0> <|Bot|>:"
QUESTION = "What is in this picture? Describe it in detail."
TEXT_QUESTION = "Write a short article about the ocean."
PROMPT_IMAGE = "rocket.jpg"
GREEDY_STEPS = 32


# ---------------------------------------------------------------------------- loading

def load_safetensors(folder):
    from safetensors.numpy import load_file
    index = json.load(open(os.path.join(folder, "model.safetensors.index.json")))
    out = {}
    for shard in sorted(set(index["weight_map"].values())):
        part = load_file(os.path.join(folder, shard))
        for k, v in part.items():
            assert index["weight_map"][k] == shard, k
            out[k] = v
    assert set(out) == set(index["weight_map"])
    assert index["metadata"]["total_size"] == sum(v.nbytes for v in out.values())
    return out


def load_bin(folder):
    index = json.load(open(os.path.join(folder, "pytorch_model.bin.index.json")))
    out = {}
    for shard in sorted(set(index["weight_map"].values())):
        for k, v in torchzip.load(os.path.join(folder, shard)).items():
            assert index["weight_map"][k] == shard, k
            out[k] = v
    assert set(out) == set(index["weight_map"])
    assert index["metadata"]["total_size"] == sum(v.nbytes for v in out.values())
    return out


def check_checkpoints(root, config):
    st = load_safetensors(os.path.join(root, "checkpoint-safetensors"))
    bn = load_bin(os.path.join(root, "checkpoint-bin"))
    assert set(st) == set(bn), set(st) ^ set(bn)
    for k in st:
        a, b = st[k], bn[k]
        assert a.dtype == b.dtype and a.shape == b.shape, (k, a.dtype, b.dtype, a.shape, b.shape)
        assert np.array_equal(a, b), k
    # Buffers: position_ids = arange, inv_freq = the formula (rounded to its dtype).
    q = config.get("qformer_config", {})
    pid = st["Qformer.bert.embeddings.position_ids"]
    assert pid.dtype == np.int64 and np.array_equal(
        pid, np.arange(q.get("max_position_embeddings", 512))[None])
    hd = config["hidden_size"] // config["num_attention_heads"]
    want = config.get("rope_theta", 10000.0) ** (-np.arange(0, hd, 2) / hd)
    for n in range(config["num_hidden_layers"]):
        got = st[f"internlm_model.model.layers.{n}.self_attn.rotary_emb.inv_freq"]
        assert np.array_equal(got, want.astype(got.dtype)), n
    return st


# ---------------------------------------------------------------------------- tokenizer

SPECIAL = ("<s>", "</s>", "<unk>")


def hf_tokenize(sp, text, add_bos):
    """The HF slow tokenizer: split on <s>, </s>, <unk> (stripping whitespace next to them),
    SentencePiece-encode the chunks, optionally prepend BOS."""
    ids = [sp.bos_id()] if add_bos else []
    parts = re.split("(" + "|".join(re.escape(s) for s in SPECIAL) + ")", text)
    for i, part in enumerate(parts):
        if part in SPECIAL:
            ids.append(sp.piece_to_id(part))
            continue
        if i > 0 and parts[i - 1] in SPECIAL:
            part = part.lstrip()
        if i + 1 < len(parts) and parts[i + 1] in SPECIAL:
            part = part.rstrip()
        if part:
            ids.extend(sp.encode(part))
    return ids


def token_cases():
    title = "春天的花园"
    article = "<Seg0> 春天来了，花园里的花都开了。\n<Seg1> 小鸟在树上唱歌，孩子们在草地上玩耍。\n"
    past = '现在<Seg0>后插入图像对应的标题是"春天的花"， '[:-2] + "。"
    select = (" <|User|>:根据给定上下文和候选图像，选择合适的配图：" + "春天来了。\n"
              + "<ImageHere>" + "小鸟在唱歌。\n"
              + "\n\n候选图像包括: A.<ImageHere>\nB.<ImageHere>\nC.<ImageHere>\nD.<ImageHere>\n\n"
              "<TOKENS_UNUSED_0> <|Bot|>:最合适的图是")
    cases = [
        META, USER, BOT, META + USER, QUESTION, TEXT_QUESTION,
        " <|User|>:根据给定标题写一个图文并茂，不重复的文章：" + title + "\n" + "<TOKENS_UNUSED_0>" + " <|Bot|>:",
        ' <|User|>:给定文章"' + article + '" 根据上述文章，选择适合插入图像的' + "" + "行"
        + " \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是",
        ' <|User|>:给定文章"' + article + '" 根据上述文章，选择适合插入图像的' + "3" + "行"
        + " \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是",
        ' <|User|>: 给定文章"' + article + '" ' + "" + "给出适合在<Seg0>后插入的图像对应的标题。"
        + ' \n<TOKENS_UNUSED_0> <|Bot|>: 标题是"',
        ' <|User|>: 给定文章"' + article + '" ' + past + "给出适合在<Seg1>后插入的图像对应的标题。"
        + ' \n<TOKENS_UNUSED_0> <|Bot|>: 标题是"',
    ]
    cases += select.split("<ImageHere>")
    cases += [
        " <|User|>:Please answer this question by choosing the correct choice.Context: N/A\n"
        "Question: What color is the sky?\nOptions: A. red\nB. blue\n<TOKENS_UNUSED_0> <|Bot|>: "
        "Answer: The answer is",
        "abc<TOKENS_UNUSED_0>def", "x<TOKENS_UNUSED_1>y <TOKENS_UNUSED_1> </s>",
        "<TOKENS_UNUSED_15><TOKENS_UNUSED_2>", "<TOKENS_UNUSED_16> <TOKENS_UNUSED_", "<s> hi </s> <unk>x",
        "3.14159, 2048 and 103168; 1e-5", "２０２４年", "上海人工智能实验室 浦语 中文",
        "鲸鱼和海龟", "🐍🎉 and ☃", "naïve café Ærøskøbing", "Здравствуй, мир", "\u00a0\u200b",
        "  two  spaces\tand\ttabs\n\nnewlines  ", " ", "\n", "", "▁literal▁", "<0x41>",
    ]
    return cases


# ---------------------------------------------------------------------------- outputs

def save_npy(path, a, dtype=np.float32):
    np.save(path, np.ascontiguousarray(np.asarray(a).astype(dtype)))


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


def assemble(sp, model, question, image_embeds=None, image_name=None):
    """First-turn prompt (spec 4.2). Returns (segments for the json, embeddings [L, H])."""
    segs, embeds = [], []
    parts = [("text", META + USER, True)]
    if image_embeds is not None:
        parts.append(("image", image_name, None))
    parts += [("text", question, False), ("text", BOT, False)]
    for kind, value, bos in parts:
        if kind == "text":
            ids = hf_tokenize(sp, value, add_bos=bos)
            segs.append({"type": "text", "text": value, "bos": bos, "ids": ids,
                         "pieces": [sp.id_to_piece(i) for i in ids]})
            embeds.append(model.embed(ids))
        else:
            segs.append({"type": "image", "image": "images/" + value,
                         "length": int(image_embeds.shape[0])})
            embeds.append(image_embeds)
    return segs, np.concatenate(embeds, axis=0)


def top_k(logits, k=5):
    order = np.argsort(logits)[::-1][:k]
    return [{"id": int(i), "logit": float(logits[i])} for i in order]


def main():
    ap = argparse.ArgumentParser(description="writes reference/ of xcomposer-tiny")
    ap.add_argument("--root", default=ROOT)
    args = ap.parse_args()
    root = args.root
    import sentencepiece as spm

    config = json.load(open(os.path.join(root, "config.json")))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(root, "tokenizer.model"))
    assert sp.get_piece_size() == config["vocab_size"]
    eoh, eoa = config["eoh_token_id"], config["eoa_token_id"]
    assert sp.id_to_piece(eoh) == "<TOKENS_UNUSED_0>" and sp.id_to_piece(eoa) == "<TOKENS_UNUSED_1>"
    stops = {sp.eos_id(), eoh, eoa}

    weights = check_checkpoints(root, config)
    print(f"checkpoint-bin == checkpoint-safetensors: {len(weights)} tensors")
    model = Model(config, weights)

    out = os.path.join(root, "reference")
    debug = os.path.join(out, "debug")
    os.makedirs(debug, exist_ok=True)
    encoded = {}
    for name in sorted(os.listdir(os.path.join(root, "images"))):
        stem = os.path.splitext(name)[0]
        trace = {}
        r = model.encode_image(os.path.join(root, "images", name), trace)
        encoded[name] = r
        from PIL import Image
        decoded = np.asarray(Image.open(os.path.join(root, "images", name)).convert("RGB"))
        save_npy(os.path.join(out, stem + ".decoded.npy"), decoded, np.uint8)
        save_npy(os.path.join(out, stem + ".resized.npy"), r["resized"], np.uint8)
        if name == PROMPT_IMAGE:
            for key, a in trace.items():
                save_npy(os.path.join(debug, f"{stem}.{key}.npy"), a)
        for key in ("pixels", "vit", "vit_ln", "qformer", "image_embeds"):
            save_npy(os.path.join(out, f"{stem}.{key}.npy"), r[key])
        print(f"{name}: vit {r['vit'].shape} qformer {r['qformer'].shape} "
              f"embeds {r['image_embeds'].shape} |embeds| {np.abs(r['image_embeds']).mean():.3f}")

    # Interleaved first-turn prompt with an image, and its greedy continuation.
    segs, embeds = assemble(sp, model, QUESTION, encoded[PROMPT_IMAGE]["image_embeds"], PROMPT_IMAGE)
    ids, gaps, first = model.greedy(embeds, GREEDY_STEPS)
    save_npy(os.path.join(out, "interleaved_logits.npy"), first)
    write_json(os.path.join(out, "prompt.json"), {
        "description": "first-turn chat prompt (spec 4.2): BOS + meta + ' <|User|>:', the image's "
                       "66 vectors, the question, '\\n<TOKENS_UNUSED_0> <|Bot|>:'; each text "
                       "segment tokenised separately; logits in interleaved_logits.npy are those "
                       "after the last prompt position",
        "segments": segs, "length": int(embeds.shape[0]), "top5": top_k(first)})
    assert not stops & set(ids), ids
    write_json(os.path.join(out, "greedy.json"), {
        "description": "greedy (argmax) continuation of prompt.json, no repetition penalty, no "
                       "stop; gaps[i] = top1 - top2 logit at step i",
        "steps": GREEDY_STEPS, "ids": ids, "text": sp.decode(ids),
        "pieces": [sp.id_to_piece(i) for i in ids], "gaps": gaps, "min_gap": min(gaps)})
    print(f"greedy: min gap {min(gaps):.4f}, ids {ids}")
    print(f"greedy text: {sp.decode(ids)!r}")

    # Text-only prompt.
    tsegs, tembeds = assemble(sp, model, TEXT_QUESTION)
    tids, tgaps, tfirst = model.greedy(tembeds, GREEDY_STEPS)
    trace = {}
    model.llm_logits(tembeds, trace=trace)
    save_npy(os.path.join(debug, "text.embeds.npy"), tembeds)
    for key, a in trace.items():
        save_npy(os.path.join(debug, f"text.{key}.npy"), a)
    save_npy(os.path.join(out, "text_logits.npy"), tfirst)
    write_json(os.path.join(out, "text_prompt.json"), {
        "description": "the same template without an image; text_logits.npy are the logits "
                       "after the last prompt position; greedy as in greedy.json",
        "segments": tsegs, "length": int(tembeds.shape[0]), "top5": top_k(tfirst),
        "greedy": {"steps": GREEDY_STEPS, "ids": tids, "text": sp.decode(tids),
                   "gaps": tgaps, "min_gap": min(tgaps),
                   "stop_ids_in_output": sorted(stops & set(tids))}})
    print(f"text greedy: min gap {min(tgaps):.4f}, ids {tids}")

    cases = []
    for text in token_cases():
        ids_ = sp.encode(text)
        cases.append({"text": text, "ids": ids_, "pieces": [sp.id_to_piece(i) for i in ids_],
                      "hf_ids": hf_tokenize(sp, text, add_bos=False)})
    write_json(os.path.join(out, "tokens.json"), cases)

    # How far the stored inv_freq buffers (fp16, rounded) would move the logits, and what
    # forgetting the LoRA scale alpha/r does: recorded for whoever debugs a mismatch.
    hd = config["hidden_size"] // config["num_attention_heads"]
    buf = weights["internlm_model.model.layers.0.self_attn.rotary_emb.inv_freq"]
    alt = model.llm_logits(embeds, buf.astype(np.float64))[-1]
    keep = model.lora_scale
    model.lora_scale = 1.0
    noscale = model.llm_logits(embeds)[-1]
    model.lora_scale = keep
    other = [n for n in encoded if n != PROMPT_IMAGE][0]
    _, e2 = assemble(sp, model, QUESTION, encoded[other]["image_embeds"], other)
    swapped = model.llm_logits(e2)[-1]
    summary = collections.OrderedDict([
        ("description", "facts about the reference run (scripts/xcomposer_reference.py)"),
        ("vocab_size", sp.get_piece_size()), ("eoh_token_id", eoh), ("eoa_token_id", eoa),
        ("stop_ids", sorted(stops)),
        ("vit_tokens", int(encoded[PROMPT_IMAGE]["vit"].shape[0])),
        ("image_embeds", list(encoded[PROMPT_IMAGE]["image_embeds"].shape)),
        ("interleaved_prompt_length", int(embeds.shape[0])),
        ("text_prompt_length", int(tembeds.shape[0])),
        ("greedy_min_gap", min(gaps)), ("text_greedy_min_gap", min(tgaps)),
        ("rope", "inv_freq recomputed in float64 from rope_theta; positions 0..L-1"),
        ("max_abs_logit_change_with_stored_%s_inv_freq" % buf.dtype,
         float(np.abs(alt - first).max())),
        ("max_abs_logit_change_with_lora_scale_1", float(np.abs(noscale - first).max())),
        ("max_abs_logit_change_with_%s_instead_of_%s" % (other, PROMPT_IMAGE),
         float(np.abs(swapped - first).max())),
        ("max_abs_interleaved_logit", float(np.abs(first).max())),
    ])
    write_json(os.path.join(out, "summary.json"), summary)
    for k, v in summary.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
