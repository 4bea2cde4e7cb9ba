#!/usr/bin/env python3
"""Record llama.cpp's reference behaviour on a GGUF model as a JSON fixture.

The Swift engine's tests compare against this file, so they never need llama.cpp
itself. Run it with the llama-cpp-python virtualenv:

    /root/.cache/xcomposer-dev/venv-llama/bin/python scripts/llamacpp_fixtures.py \
        --model /root/.cache/xcomposer/SmolLM2-135M-Instruct.Q4_1.gguf \
        --out Tests/LanguageModelsTests/Fixtures/llamacpp-smollm2.json

What it records, per prompt (prompt texts live in scripts/fixture_prompts.json):
  tokens        llama.cpp's tokenisation (llama_tokenize with the given flags)
  continuation  64 greedy tokens: one batched prompt decode, then one token per
                decode, argmax of the raw logits each step (no sampler, no
                penalties, no stop on end-of-generation tokens)
  positions     teacher-forced logits for every token of tokens + continuation,
                fed one token per decode in a fresh context (llama.cpp's
                generation path): the top 64 (id, logit) pairs and the
                log-sum-exp of the full row
Plus a tokenisation corpus, llama.cpp's own batched-vs-sequential agreement
("self_consistency") and, for calibrating tolerances, how far llama.cpp's logits sit
from an exact float64 forward pass on the dequantised weights ("exact_reference").

Everything runs on one thread in fresh contexts so the output is deterministic.
"""

import argparse
import ctypes
import hashlib
import json
import os
import sys

import numpy as np
import llama_cpp as L

N_CTX = 2048
N_BATCH = 1024          # >= the longest prompt + continuation, so "one batched eval" is one ubatch
N_THREADS = 1
N_CONTINUATION = 64
TOP_K = 64
DECIMALS = 5
# Pinned rather than left to library defaults. Without flash attention llama.cpp's batched and
# one-token-at-a-time decodes differ measurably (see "self_consistency" in the fixture); with it
# they agree bit for bit. We record llama-cpp-python's default (off) and say so in the file.
FLASH_ATTN = False
GGML_TYPE_F16 = 1       # KV cache element type, llama.cpp's default


class Fail(Exception):
    """A problem worth one clear line on stderr."""


@L.llama_log_callback
def _quiet_log(level, text, user_data):
    # llama.cpp is chatty on stderr; pass on only errors (4 in ggml_log_level).
    if level == 4 and text:
        sys.stderr.write(text.decode("utf-8", "replace"))


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Model:
    """A loaded model plus the few low-level calls this script needs."""

    def __init__(self, path):
        params = L.llama_model_default_params()
        params.n_gpu_layers = 0
        self.model = L.llama_model_load_from_file(path.encode(), params)
        if not self.model:
            raise Fail(f"{path}: llama.cpp could not load the model")
        self.vocab = L.llama_model_get_vocab(self.model)
        self.n_vocab = L.llama_vocab_n_tokens(self.vocab)

    def meta(self, key):
        buf = ctypes.create_string_buffer(1 << 16)
        n = L.llama_model_meta_val_str(self.model, key.encode(), buf, len(buf))
        if n < 0:
            raise Fail(f"model metadata has no key {key}")
        if n >= len(buf):
            raise Fail(f"model metadata {key} is longer than {len(buf)} bytes")
        return buf.raw[:n].decode("utf-8")

    def tokenize(self, text, add_special, parse_special):
        data = text.encode("utf-8")
        cap = len(data) + 16
        out = (L.llama_token * cap)()
        n = L.llama_tokenize(self.vocab, data, len(data), out, cap, add_special, parse_special)
        if n < 0:
            raise Fail(f"tokenize: buffer of {cap} too small for {text[:40]!r} (needs {-n})")
        return [int(out[i]) for i in range(n)]

    def context(self):
        p = L.llama_context_default_params()
        p.n_ctx = N_CTX
        p.n_batch = N_BATCH
        p.n_ubatch = N_BATCH
        p.n_seq_max = 1
        p.n_threads = N_THREADS
        p.n_threads_batch = N_THREADS
        p.no_perf = True
        p.flash_attn = FLASH_ATTN
        p.type_k = GGML_TYPE_F16
        p.type_v = GGML_TYPE_F16
        ctx = L.llama_init_from_model(self.model, p)
        if not ctx:
            raise Fail("llama.cpp could not create a context")
        return Context(ctx, self.n_vocab)

    def close(self):
        L.llama_model_free(self.model)


class Context:
    """One fresh llama_context; decode() feeds tokens at increasing positions."""

    def __init__(self, ctx, n_vocab):
        self.ctx = ctx
        self.n_vocab = n_vocab
        self.pos = 0

    def decode(self, tokens, all_logits):
        """Decode tokens in one batch; return a (rows, n_vocab) float32 array of the
        requested logits (every row if all_logits, else only the last)."""
        n = len(tokens)
        if n == 0 or n > N_BATCH:
            raise Fail(f"decode: batch of {n} tokens (limit {N_BATCH})")
        batch = L.llama_batch_init(n, 0, 1)
        try:
            for i, tok in enumerate(tokens):
                batch.token[i] = tok
                batch.pos[i] = self.pos + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = 1 if (all_logits or i == n - 1) else 0
            batch.n_tokens = n
            rc = L.llama_decode(self.ctx, batch)
            if rc != 0:
                raise Fail(f"llama_decode returned {rc}")
            rows = range(n) if all_logits else [n - 1]
            out = np.empty((len(rows), self.n_vocab), dtype=np.float32)
            for r, i in enumerate(rows):
                ptr = L.llama_get_logits_ith(self.ctx, i)
                out[r] = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))
        finally:
            L.llama_batch_free(batch)
        self.pos += n
        return out

    def close(self):
        L.llama_free(self.ctx)


class ExactReference:
    """An independent float64 forward pass of the llama architecture on the GGUF's
    dequantised weights. llama.cpp quantises activations to 8 bits inside its quantised
    matmuls, so it is not exact either; comparing against this tells the Swift tests how
    far llama.cpp itself sits from the exact maths (a floor for sensible tolerances)."""

    def __init__(self, path):
        from gguf import GGUFReader
        from gguf.quants import dequantize
        r = GGUFReader(path)
        arch = r.fields["general.architecture"].contents()
        if arch != "llama":
            raise Fail(f"{path}: exact reference only knows the llama architecture, not {arch}")
        meta = lambda k: r.fields[f"llama.{k}"].contents()
        self.n_layer = int(meta("block_count"))
        self.n_head = int(meta("attention.head_count"))
        self.n_head_kv = int(meta("attention.head_count_kv"))
        self.eps = float(meta("attention.layer_norm_rms_epsilon"))
        self.base = float(meta("rope.freq_base"))
        self.w = {}
        for t in r.tensors:
            a = dequantize(t.data, t.tensor_type).astype(np.float64)
            self.w[t.name] = a.reshape([int(x) for x in reversed(t.shape)])
        self.out = self.w.get("output.weight", self.w["token_embd.weight"])
        self.head_dim = self.w["blk.0.attn_q.weight"].shape[0] // self.n_head

    def _norm(self, x, weight):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + self.eps) * weight

    def _rope(self, x, pos):
        # llama.cpp's "normal" rope: rotate adjacent pairs (2i, 2i+1).
        d = x.shape[-1]
        ang = pos[:, None] * self.base ** (-np.arange(0, d, 2) / d)[None, :]
        c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
        out = np.empty_like(x)
        out[..., 0::2] = x[..., 0::2] * c - x[..., 1::2] * s
        out[..., 1::2] = x[..., 0::2] * s + x[..., 1::2] * c
        return out

    def logits(self, tokens):
        t, hd, w = len(tokens), self.head_dim, self.w
        pos = np.arange(t, dtype=np.float64)
        mask = np.triu(np.full((t, t), -np.inf), 1)
        group = self.n_head // self.n_head_kv
        x = w["token_embd.weight"][tokens]
        for layer in range(self.n_layer):
            p = f"blk.{layer}."
            h = self._norm(x, w[p + "attn_norm.weight"])
            q = self._rope((h @ w[p + "attn_q.weight"].T).reshape(t, self.n_head, hd), pos)
            k = self._rope((h @ w[p + "attn_k.weight"].T).reshape(t, self.n_head_kv, hd), pos)
            v = (h @ w[p + "attn_v.weight"].T).reshape(t, self.n_head_kv, hd)
            k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
            att = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd) + mask[None]
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            x = x + np.einsum("hts,shd->thd", att, v).reshape(t, -1) @ w[p + "attn_output.weight"].T
            h = self._norm(x, w[p + "ffn_norm.weight"])
            g = h @ w[p + "ffn_gate.weight"].T
            x = x + ((g / (1 + np.exp(-g))) * (h @ w[p + "ffn_up.weight"].T)) @ w[p + "ffn_down.weight"].T
        return self._norm(x, w["output_norm.weight"]) @ self.out.T


def log_softmax(rows):
    x = rows.astype(np.float64)
    m = x.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
    return x - lse, lse[..., 0]


def argmax(row):
    # np.argmax takes the lowest id on exact ties, which is also what a plain scan does.
    return int(np.argmax(row))


def top_entry(row, lse):
    # Descending logit; exact ties broken by ascending id so the order is reproducible.
    idx = np.argpartition(-row, TOP_K)[:TOP_K]
    idx = sorted(idx.tolist(), key=lambda i: (-float(row[i]), i))
    return {
        "top_ids": idx,
        "top_logits": [round(float(row[i]), DECIMALS) for i in idx],
        "lse": round(float(lse), DECIMALS),
    }


def render_chat(template, messages, add_generation_prompt):
    import jinja2
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(template).render(messages=messages,
                                            add_generation_prompt=add_generation_prompt)


def greedy(model, tokens):
    ctx = model.context()
    try:
        row = ctx.decode(tokens, all_logits=False)[0]
        out = []
        for _ in range(N_CONTINUATION):
            tok = argmax(row)
            out.append(tok)
            row = ctx.decode([tok], all_logits=False)[0]
        return out
    finally:
        ctx.close()


def batched_logits(model, tokens):
    ctx = model.context()
    try:
        return ctx.decode(tokens, all_logits=True)
    finally:
        ctx.close()


def sequential_logits(model, tokens):
    ctx = model.context()
    try:
        return np.concatenate([ctx.decode([t], all_logits=True) for t in tokens])
    finally:
        ctx.close()


def record_prompt(model, reference, template, spec):
    if "chat_messages" in spec:
        text = render_chat(template, spec["chat_messages"], spec.get("add_generation_prompt", True))
    else:
        text = spec["text"]
    add_special, parse_special = spec["add_special"], spec["parse_special"]
    tokens = model.tokenize(text, add_special, parse_special)
    if not tokens:
        raise Fail(f"prompt {spec['name']}: tokenises to nothing")
    cont = greedy(model, tokens)
    full = tokens + cont
    if len(full) > N_BATCH:
        raise Fail(f"prompt {spec['name']}: {len(full)} tokens exceed the batch size {N_BATCH}")

    batched = batched_logits(model, full)
    # The recorded rows come from llama.cpp's decode path, one token at a time, as it generates
    # (and as the engine's decode path is compared): its batched prompt path rounds differently.
    seq = sequential_logits(model, full)
    _, lse = log_softmax(seq)
    positions = [top_entry(seq[i], lse[i]) for i in range(len(full))]

    n = len(tokens)
    # Row n-1+k predicts continuation token k; compare it with what free-running decoding chose.
    agree = sum(argmax(batched[n - 1 + k]) == cont[k] for k in range(N_CONTINUATION)) / N_CONTINUATION

    # llama.cpp against itself: the same sequence fed one token at a time in a fresh context.
    # Compared over the continuation rows (the rows after each continuation token).
    lp_b, _ = log_softmax(batched[n:])
    lp_s, _ = log_softmax(seq[n:])
    kl = (np.exp(lp_b) * (lp_b - lp_s)).sum(axis=-1)
    top1_diff = (lp_b.argmax(axis=-1) != lp_s.argmax(axis=-1))

    record = {
        "name": spec["name"], "text": text,
        "add_special": add_special, "parse_special": parse_special,
        "tokens": tokens, "continuation": cont, "positions": positions,
        "sequential_positions_agree": round(agree, 6),
    }
    # llama.cpp against exact float64 maths, over every teacher-forced row.
    exact = reference.logits(full)
    lp_e, _ = log_softmax(exact)
    lp_all, _ = log_softmax(seq)
    ref_kl = (np.exp(lp_e) * (lp_e - lp_all)).sum(axis=-1)
    ref_agree = (lp_e.argmax(axis=-1) == lp_all.argmax(axis=-1))
    ref_maxabs = np.abs(exact - seq).max(axis=-1)

    stats = {"kl": kl.tolist(), "top1_diff": top1_diff.tolist(), "ref_kl": ref_kl.tolist(),
             "ref_agree": ref_agree.tolist(), "ref_maxabs": ref_maxabs.tolist()}
    return record, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="path to the GGUF file")
    ap.add_argument("--out", required=True, help="where to write the JSON fixture")
    ap.add_argument("--prompts", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "fixture_prompts.json"),
                    help="prompt and tokenisation corpus (default: scripts/fixture_prompts.json)")
    args = ap.parse_args()

    if not os.path.isfile(args.model):
        raise Fail(f"{args.model}: no such model file")
    try:
        with open(args.prompts, encoding="utf-8") as f:
            corpus = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise Fail(f"{args.prompts}: cannot read prompt corpus ({e})")

    L.llama_log_set(_quiet_log, None)
    L.llama_backend_init()
    model = Model(args.model)
    try:
        template = model.meta("tokenizer.chat_template")

        reference = ExactReference(args.model)

        prompts, agg = [], {}
        for spec in corpus["prompts"]:
            record, stats = record_prompt(model, reference, template, spec)
            prompts.append(record)
            for key, values in stats.items():
                agg.setdefault(key, []).extend(values)
            print(f"{record['name']:24s} tokens={len(record['tokens']):4d} "
                  f"agree={record['sequential_positions_agree']:.3f} "
                  f"self-KL={np.mean(stats['kl']):.2e} self-top1-diff={np.mean(stats['top1_diff']):.3f} "
                  f"exact-KL={np.mean(stats['ref_kl']):.2e} exact-top1={np.mean(stats['ref_agree']):.3f}",
                  file=sys.stderr)

        tokenization = []
        for item in corpus["tokenization"]:
            tokenization.append({
                "text": item["text"], "add_special": item["add_special"],
                "parse_special": item["parse_special"],
                "tokens": model.tokenize(item["text"], item["add_special"], item["parse_special"]),
            })

        fixture = {
            "model_file": os.path.basename(args.model),
            "model_sha256": sha256_of(args.model),
            "llama_cpp_python": L.__version__,
            "n_ctx": N_CTX,
            "n_threads": N_THREADS,
            "n_ubatch": N_BATCH,
            "kv_cache_type": "f16",
            "flash_attn": FLASH_ATTN,
            "self_consistency": {
                "top1_disagreement": round(float(np.mean(agg["top1_diff"])), 6),
                "mean_kl": float(f"{np.mean(agg['kl']):.6g}"),
            },
            # For information: llama.cpp's batched rows against an exact float64 forward pass
            # on the dequantised weights (ExactReference), over every position of every prompt.
            "exact_reference": {
                "mean_kl": float(f"{np.mean(agg['ref_kl']):.6g}"),
                "top1_agreement": round(float(np.mean(agg["ref_agree"])), 6),
                "mean_max_abs_logit_diff": round(float(np.mean(agg["ref_maxabs"])), 5),
            },
            "prompts": prompts,
            "tokenization": tokenization,
        }
    finally:
        model.close()
        L.llama_backend_free()

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes, {len(prompts)} prompts, "
          f"{len(tokenization)} tokenisation cases; self-consistency "
          f"{fixture['self_consistency']}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        print(f"llamacpp_fixtures: {e}", file=sys.stderr)
        sys.exit(1)
