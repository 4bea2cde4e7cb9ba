# XComposer — two commands do everything on a fresh Debian machine:
#   make run    set up (packages, model, sample library), build in release mode, open the app
#   make test   the same set-up, then the whole test suite
SWIFT ?= swift
CACHE_DIR := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/xcomposer
MODEL := $(CACHE_DIR)/SmolLM2-135M-Instruct.Q4_1.gguf
# One optimised build serves the app and the tests (the C kernels at -O0 would make the
# real-model tests crawl); -enable-testing costs nothing measurable and avoids a second build.
BUILD_FLAGS := -c release -Xswiftc -enable-testing

.PHONY: run test setup build bench clean

run: setup build
	.build/release/xcomposer $(ARGS)

test: setup build
	$(SWIFT) test $(BUILD_FLAGS)

setup:
	@bash scripts/setup.sh

build:
	$(SWIFT) build $(BUILD_FLAGS)

bench: setup build
	.build/release/xcomposer bench -m $(MODEL) -t 1
	.build/release/xcomposer bench -m $(MODEL) -t 2

clean:
	rm -rf .build
