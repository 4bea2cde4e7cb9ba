#!/usr/bin/env python3
"""Measure llama.cpp's speed and memory on a GGUF model, as a yardstick for the Swift engine.

Run it with the llama-cpp-python virtualenv:

    /root/.cache/xcomposer-dev/venv-llama/bin/python scripts/llamacpp_bench.py \
        --model /root/.cache/xcomposer/SmolLM2-135M-Instruct.Q4_1.gguf [--json]

For each thread count (default 1 and 2) it starts a fresh Python process per repetition
(default 3), so every peak-RSS and load-time figure starts clean. Each worker:
  1. loads the model (timed: llama_model_load_from_file) and creates a context (timed);
  2. warms up with one 16-token decode, then clears the KV cache;
  3. prompt processing (pp): one batched decode of a 512-token prompt;
  4. generation (tg): 128 greedy tokens, one llama_decode each, continuing after the prompt
     (so the KV cache holds 512..639 entries, unlike llama-bench's tg from an empty cache);
  5. reports llama.cpp's own timings (llama_perf_context) and wall-clock around llama_decode,
     and ru_maxrss of the process (plus the RSS before loading, the interpreter's share).
The table shows the best of the repetitions: lowest load time, highest tokens/s, and the
highest peak RSS (peak RSS barely varies; the maximum is the conservative figure).
"""

import argparse
import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PROMPT_TOKENS = 512
GEN_TOKENS = 128
WARMUP_TOKENS = 16
N_CTX = 2048
DEFAULT_PROMPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixture_prompts.json")


class Fail(Exception):
    """A problem worth one clear line on stderr."""


def rss_mib():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def prompt_tokens(tokenize, corpus_path):
    """512 tokens of real text: the corpus's long passage (and its other prompts if needed)."""
    with open(corpus_path, encoding="utf-8") as f:
        corpus = json.load(f)
    texts = [p["text"] for p in corpus["prompts"] if "text" in p]
    texts.sort(key=len, reverse=True)
    tokens = []
    for text in texts * 4:
        tokens += tokenize(text + "\n\n")
        if len(tokens) >= PROMPT_TOKENS:
            return tokens[:PROMPT_TOKENS]
    raise Fail(f"{corpus_path}: prompts give only {len(tokens)} tokens, need {PROMPT_TOKENS}")


def worker(model_path, threads, corpus_path):
    """Runs in a fresh process; prints one JSON object with this run's figures."""
    rss_before = rss_mib()
    import numpy as np
    import llama_cpp as L

    @L.llama_log_callback
    def quiet(level, text, user_data):
        if level == 4 and text:
            sys.stderr.write(text.decode("utf-8", "replace"))

    L.llama_log_set(quiet, None)
    L.llama_backend_init()
    rss_libs = rss_mib()

    t0 = time.perf_counter()
    mp = L.llama_model_default_params()
    mp.n_gpu_layers = 0
    model = L.llama_model_load_from_file(model_path.encode(), mp)
    t1 = time.perf_counter()
    if not model:
        raise Fail(f"{model_path}: llama.cpp could not load the model")
    cp = L.llama_context_default_params()
    cp.n_ctx = N_CTX
    cp.n_batch = PROMPT_TOKENS
    cp.n_ubatch = PROMPT_TOKENS
    cp.n_seq_max = 1
    cp.n_threads = threads
    cp.n_threads_batch = threads
    cp.flash_attn = False
    cp.no_perf = False
    ctx = L.llama_init_from_model(model, cp)
    t2 = time.perf_counter()
    if not ctx:
        raise Fail("llama.cpp could not create a context")

    vocab = L.llama_model_get_vocab(model)
    n_vocab = L.llama_vocab_n_tokens(vocab)

    def tokenize(text):
        data = text.encode("utf-8")
        buf = (L.llama_token * (len(data) + 16))()
        n = L.llama_tokenize(vocab, data, len(data), buf, len(buf), False, False)
        if n < 0:
            raise Fail("tokenize: buffer too small")
        return list(buf[:n])

    batch = L.llama_batch_init(PROMPT_TOKENS, 0, 1)

    def decode(tokens, start):
        """Decode tokens at positions start...; returns (wall seconds, last row's logits)."""
        for i, tok in enumerate(tokens):
            batch.token[i] = tok
            batch.pos[i] = start + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = 1 if i == len(tokens) - 1 else 0
        batch.n_tokens = len(tokens)
        s = time.perf_counter()
        rc = L.llama_decode(ctx, batch)
        e = time.perf_counter()
        if rc != 0:
            raise Fail(f"llama_decode returned {rc}")
        row = np.ctypeslib.as_array(L.llama_get_logits_ith(ctx, len(tokens) - 1), shape=(n_vocab,))
        return e - s, row

    prompt = prompt_tokens(tokenize, corpus_path)
    memory = L.llama_get_memory(ctx)

    decode(prompt[:WARMUP_TOKENS], 0)
    L.llama_memory_clear(memory, True)
    L.llama_perf_context_reset(ctx)

    pp_wall, row = decode(prompt, 0)
    tg_wall = 0.0
    for k in range(GEN_TOKENS):
        tok = int(np.argmax(row))
        dt, row = decode([tok], PROMPT_TOKENS + k)
        tg_wall += dt
    perf = L.llama_perf_context(ctx)

    if perf.n_p_eval != PROMPT_TOKENS or perf.n_eval != GEN_TOKENS:
        raise Fail(f"llama_perf_context counted {perf.n_p_eval} prompt and {perf.n_eval} "
                   f"generated tokens, expected {PROMPT_TOKENS} and {GEN_TOKENS}")
    result = {
        "threads": threads,
        "load_ms": (t1 - t0) * 1000.0,
        "context_ms": (t2 - t1) * 1000.0,
        "pp_tps": perf.n_p_eval / (perf.t_p_eval_ms / 1000.0),
        "tg_tps": perf.n_eval / (perf.t_eval_ms / 1000.0),
        "pp_tps_wall": PROMPT_TOKENS / pp_wall,
        "tg_tps_wall": GEN_TOKENS / tg_wall,
        "peak_rss_mib": rss_mib(),
        "rss_before_load_mib": rss_libs,
        "rss_interpreter_mib": rss_before,
    }
    L.llama_batch_free(batch)
    L.llama_free(ctx)
    L.llama_model_free(model)
    L.llama_backend_free()
    print(json.dumps(result))


def run_worker(args, threads):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--model", args.model,
           "--prompts", args.prompts, "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise Fail(f"worker with {threads} thread(s) failed: {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best(runs):
    return {
        "threads": runs[0]["threads"],
        "load_ms": min(r["load_ms"] for r in runs),
        "context_ms": min(r["context_ms"] for r in runs),
        "pp_tps": max(r["pp_tps"] for r in runs),
        "tg_tps": max(r["tg_tps"] for r in runs),
        "pp_tps_wall": max(r["pp_tps_wall"] for r in runs),
        "tg_tps_wall": max(r["tg_tps_wall"] for r in runs),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "rss_before_load_mib": max(r["rss_before_load_mib"] for r in runs),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="path to the GGUF file")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts")
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes per thread count")
    ap.add_argument("--prompts", default=DEFAULT_PROMPTS, help="corpus the prompt text comes from")
    ap.add_argument("--json", action="store_true", help="also print the results as JSON")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if not os.path.isfile(args.model):
        raise Fail(f"{args.model}: no such model file")
    if args.worker:
        worker(args.model, args.threads[0], args.prompts)
        return
    if args.repeat < 1 or any(t < 1 for t in args.threads):
        raise Fail("--repeat and --threads must be at least 1")

    import llama_cpp
    load_before = os.getloadavg()
    rows, raw = [], {}
    for threads in args.threads:
        runs = [run_worker(args, threads) for _ in range(args.repeat)]
        raw[threads] = runs
        rows.append(best(runs))
    load_after = os.getloadavg()

    print(f"llama.cpp (llama-cpp-python {llama_cpp.__version__}) on {os.path.basename(args.model)}; "
          f"best of {args.repeat} fresh processes; pp{PROMPT_TOKENS}, tg{GEN_TOKENS} after the prompt")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    header = (f"{'threads':>7} {'load ms':>8} {'ctx ms':>7} {'pp t/s':>8} {'tg t/s':>7} "
              f"{'pp wall':>8} {'tg wall':>8} {'peak RSS MiB':>12} {'pre-load MiB':>12}")
    print(header)
    for r in rows:
        print(f"{r['threads']:>7} {r['load_ms']:>8.1f} {r['context_ms']:>7.1f} {r['pp_tps']:>8.1f} "
              f"{r['tg_tps']:>7.1f} {r['pp_tps_wall']:>8.1f} {r['tg_tps_wall']:>8.1f} "
              f"{r['peak_rss_mib']:>12.1f} {r['rss_before_load_mib']:>12.1f}")
    if args.json:
        print(json.dumps({
            "llama_cpp_python": llama_cpp.__version__,
            "model_file": os.path.basename(args.model),
            "prompt_tokens": PROMPT_TOKENS, "gen_tokens": GEN_TOKENS, "repeat": args.repeat,
            "loadavg_before": load_before, "loadavg_after": load_after,
            "best": rows, "runs": {str(k): v for k, v in raw.items()},
        }, indent=1))


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        print(f"llamacpp_bench: {e}", file=sys.stderr)
        sys.exit(1)
