# llmmem: `make serve` and `make test` set up everything they need on a fresh
# Debian machine (root, or sudo), then build. `make dist` only builds.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := dist

NATIVE := build/native
WASM := build/wasm
FUZZ := build/fuzz
FUZZ_SECONDS ?= 40
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian's emscripten under a newer Node needs Debian's node modules (acorn).
export NODE_PATH := /usr/share/nodejs

DEB_PACKAGES := cmake g++ make emscripten catch2 nlohmann-json3-dev chromium clang-14 libclang-rt-14-dev clang-format-14 zopfli terser
CORE_SOURCES := $(shell find core wasm -type f 2>/dev/null) CMakeLists.txt
WEB_SOURCES := $(shell find web -type f 2>/dev/null)

.PHONY: deps native wasm-configure wasm dist lint test test-native test-wasm test-node test-browser fuzz serve bench clean

# --- set-up -----------------------------------------------------------------
# Debian packages that are missing (and Node.js, when no node is on PATH).
.deps/debian.stamp: Makefile
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@mkdir -p .deps && touch $@

# npm dev dependencies, exactly as the lock file says.
node_modules/.package-lock.json: package.json package-lock.json .deps/debian.stamp
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: .deps/debian.stamp node_modules/.package-lock.json

# --- build ------------------------------------------------------------------
# Native tests run under AddressSanitizer and UndefinedBehaviorSanitizer.
native: .deps/debian.stamp
	cmake -S . -B $(NATIVE) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMMEM_SANITIZE=ON >/dev/null
	cmake --build $(NATIVE) -j $(JOBS)

# Release, never MinSizeRel: em++ turns off inlining whenever -Os is on its
# command line, even before a later -O3 (see wasm/CMakeLists.txt).
wasm-configure: .deps/debian.stamp
	emcmake cmake -S . -B $(WASM) -DCMAKE_BUILD_TYPE=Release >/dev/null

wasm: wasm-configure
	cmake --build $(WASM) -j $(JOBS) --target llmmem

# The page and the element (web/build.mjs), then the npm package's own files:
# the command line, the ES-module entry and the type declarations.
dist: wasm
	node web/build.mjs $(WASM)/wasm/llmmem.js dist
	node wasm/package-dist.mjs dist

# --- test -------------------------------------------------------------------
# The house rules (docs/architecture.md): clang-format clean, no function over
# 120 lines in core/, wasm/ and web/, no core/ file over 600 lines.
lint: .deps/debian.stamp
	node tests/lint/lint.mjs

test-native: native
	ctest --test-dir $(NATIVE) --output-on-failure -j $(JOBS)

# The same Catch2 suite compiled to wasm32 and run under Node.
test-wasm: wasm-configure
	cmake --build $(WASM) -j $(JOBS)
	ctest --test-dir $(WASM) --output-on-failure

# node_modules: the package test type-checks with the pinned TypeScript.
test-node: dist node_modules/.package-lock.json
	node --test tests/node/

test-browser: dist node_modules/.package-lock.json
	node --test --test-concurrency=1 tests/browser/

# libFuzzer on the config.json parser, estimate(), the inverse questions and
# plan, and the GGUF and safetensors header readers, FUZZ_SECONDS each
# (40 s each in `make test`, five targets; `make fuzz FUZZ_SECONDS=3600` for a long run).
fuzz: .deps/debian.stamp
	CXX=clang++-14 cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMMEM_FUZZ=ON -DLLMMEM_TESTS=OFF >/dev/null
	cmake --build $(FUZZ) -j $(JOBS)
	node tests/fuzz/make-corpus.mjs $(FUZZ)/corpus
	@mkdir -p $(FUZZ)/artifacts
	for target in config estimate inverse gguf safetensors; do \
	  $(FUZZ)/tests/fuzz/fuzz_$$target $(FUZZ)/corpus/$$target -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/json.dict -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -artifact_prefix=$(FUZZ)/artifacts/$$target- -print_final_stats=1 2>&1 | tail -n 12 || exit 1; \
	done

# Each step's wall time is printed as it ends (CI must stay near 20 minutes on 2 cores).
test: deps
	@for step in lint test-native test-wasm test-node test-browser fuzz; do \
	  start=$$(date +%s); \
	  $(MAKE) --no-print-directory $$step; \
	  echo "== make $$step: $$(( $$(date +%s) - start )) s"; \
	done

# Accuracy against the measurement cases, speed and size; writes
# tests/bench/RESULTS.md and the README's summary. Not part of `make test`.
bench: deps dist
	node tests/bench/bench.mjs

# --- run --------------------------------------------------------------------
serve: deps dist
	node web/serve.mjs dist 8000

clean:
	rm -rf build dist .deps
