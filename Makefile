# Thin wrapper over CMake presets. `make run` and `make test` are the two
# commands of the README's quick start.
JOBS ?= $(shell nproc)
SMTPSPEC := build/dev/conformance/smtpspec

.PHONY: setup build run test test-dev test-fuzz asan fuzz bench clean

setup:
	@scripts/setup

build: setup
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

# The whole suite against the in-process reference server, in the three profiles.
run: build
	@$(SMTPSPEC) run

# Every test: the dev build's ctest (unit, case tables, properties, fuzz corpus
# replay), then the fuzz targets built with clang under ASan+UBSan, each run briefly.
test: test-dev test-fuzz

test-dev: build
	@ctest --preset dev -j $(JOBS)

test-fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@ctest --preset fuzz -j $(JOBS)

asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

# Longer fuzzing runs: FUZZ_RUNS executions per target (default 1,000,000).
# FUZZ_MAX_TIME (seconds per target, default 1800) guards against a slow target.
FUZZ_RUNS ?= 1000000
fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@scripts/fuzz-long build/fuzz $(FUZZ_RUNS)

bench: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target smtpspec_bench_grammar smtpspec_bench_model smtpspec_bench_serve_load
	@build/release/bench/smtpspec_bench_grammar
	@build/release/bench/smtpspec_bench_model
	@build/release/bench/smtpspec_bench_serve_load  # serve-load: 500 concurrent sessions on loopback, 60 s cap

clean:
	rm -rf build
