#!/usr/bin/env bash
# Speed and memory of xcomposer against llama.cpp on the same model, same threads, same lengths,
# in one run: prompt processing of 512 tokens, 128 generated tokens after it, peak RSS.
# Needs the llama-cpp-python virtualenv (see scripts/llamacpp_bench.py); run on an idle machine.
#   scripts/compare_speed.sh [MODEL.gguf]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/xcomposer/SmolLM2-135M-Instruct.Q4_1.gguf}"
python="${LLAMA_PYTHON:-$HOME/.cache/xcomposer-dev/venv-llama/bin/python}"
binary="${XCOMPOSER_BIN:-.build/release/xcomposer}"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for threads in 1 2; do
    echo "== xcomposer, $threads thread(s)"
    "$binary" bench -m "$model" -t "$threads" --repetitions 5
    echo "== xcomposer --precise, $threads thread(s)"
    "$binary" bench -m "$model" -t "$threads" --repetitions 3 --precise
done
echo "== llama.cpp (llama-cpp-python)"
"$python" scripts/llamacpp_bench.py --model "$model"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
