#!/usr/bin/env bash
# Measures how fast the terminal app shows what happens, as a person at the keyboard sees it:
#   token-to-screen  from the engine handing a piece of text to the UI to the frame that shows it;
#   key-to-screen    from reading a key press to the frame that shows its effect,
#                    measured while the model is writing an answer.
# Runs the release binary in a detached tmux window with the default model, asks for a long
# answer, types while it streams, and prints the app's own figures (written with --latency-log).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=".build/release/xcomposer"
[ -x "$binary" ] || { echo "build first: make build" >&2; exit 1; }
work="$(mktemp -d)"
socket="$work/tmux.sock"
trap 'tmux -S "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
log="$work/latency.txt"
tmux -f /dev/null -S "$socket" new-session -d -s bench -x 120 -y 40 \
    "env TERM=tmux-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data $binary --images symbols --latency-log $log"
screen() { tmux -S "$socket" capture-pane -p -t bench; }
wait_for() { for _ in $(seq 1 600); do screen | grep -q "$1" && return 0; sleep 0.1; done; echo "timed out waiting for $1" >&2; exit 1; }
wait_for "Ready"
tmux -S "$socket" send-keys -t bench -l "/set max_tokens 300"; tmux -S "$socket" send-keys -t bench Enter
tmux -S "$socket" send-keys -t bench -l "/set temperature 0"; tmux -S "$socket" send-keys -t bench Enter
tmux -S "$socket" send-keys -t bench -l "Write a long essay about the history of bread."
tmux -S "$socket" send-keys -t bench Enter
wait_for "Writing ·"
# Type a draft of the next question while the answer streams, a key every 50 ms.
for ch in $(echo "what about cheese and wine" | grep -o .); do
    tmux -S "$socket" send-keys -t bench -l "$ch"; sleep 0.05
done
wait_for "Ready · last reply"
tmux -S "$socket" send-keys -t bench C-q
for _ in $(seq 1 100); do [ -s "$log" ] && break; sleep 0.1; done
echo "terminal app latency (120x40, SmolLM2-135M Q4_1, $(nproc) cores):"
cat "$log"
