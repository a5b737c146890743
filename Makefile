# The two commands of the README: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv generate check-generated lint format typecheck spec pytest test demo docs mock fuzz fuzz-official bench bench-mock bench-pool drift clean sdk-tests

DEMO_STAMP := $(VENV)/.demo-stamp

# The venv is (re)built from pyproject.toml alone whenever it is missing or pyproject.toml changed, in
# two stages: `make demo` installs only what the demo runs (the package with its `mock` and `cli`
# extras, ~10 packages); `make test` (and every other target) adds the development tools of `dev`.
$(DEMO_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[mock,cli]'
	touch $(DEMO_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEMO_STAMP)

venv: $(STAMP)

# Regenerate from openapi.yaml, then list what the spec has that the hand-written parts do not.
generate: venv
	scripts/generate.sh
	$(BIN)/python scripts/spec_checklist.py

check-generated: venv
	scripts/check_generated.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: venv
	$(BIN)/mypy

spec: venv
	$(BIN)/openapi-spec-validator openapi.yaml

pytest: venv
	$(BIN)/pytest -q

test: lint typecheck spec check-generated pytest

# The README's main command: the CLI against the built-in emulator, offline; results in out/.
demo: $(DEMO_STAMP)
	$(BIN)/python scripts/demo.py out

# The docs/ pages as a site in site/ (mkdocs, material theme), offline; --strict fails on a broken link or a page left out of the nav (not with --quiet, which hides the warnings it counts).
docs: venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) out site .mypy_cache .ruff_cache .pytest_cache .hypothesis

# Benchmarks against raw httpx and the official SDK (docs/benchmarks.md); not part of `make test`.
# The emulator on http://127.0.0.1:4010/v1 (MOCK_ARGS="--api-key K --latency 0.2 ..." to tune it).
mock: $(DEMO_STAMP)
	$(BIN)/python -m wrapper.mock --host 127.0.0.1 --port 4010 $(MOCK_ARGS)

# schemathesis against a live emulator (uvicorn, memory-capped) from openapi.yaml; prints a report.
# `make fuzz SEED=3 FUZZ_CASES=20000`. The in-process run of `make test` is tests/test_fuzz.py.
SEED ?= 1
FUZZ_CASES ?= 5000
fuzz: venv
	$(BIN)/python scripts/fuzz.py --cases $(FUZZ_CASES) --seed $(SEED)

# `make fuzz-official`: the same against a live emulator, the cases drawn from the API's own 2026-08
# description (../shared/reference/); exceptions in tests/schemathesis-official.toml and
# tests/fuzz_official_hooks.py. The in-process run of `make test` is tests/test_fuzz_official.py.
fuzz-official: venv
	$(BIN)/python scripts/fuzz.py --official --cases $(FUZZ_CASES) --seed $(SEED)

# The official SDK's own image tests (from its sdist, fetched at run time) against the emulator, with the
# SDK and with `wrapper`, today and as of 2026-04-30 (scripts/sdk_tests.py); skips when offline.
sdk-tests: venv
	$(BIN)/python scripts/sdk_tests.py $(SDK_TESTS_ARGS)

# `make drift`: openapi.yaml against the official description (OPENAPI=FILE ..., by default the 2026-08
# extracts in ../shared/reference/ when they are there) and the installed `openai` package; exit 1 lists
# what is not on record (docs/api-changes.md). DRIFT_ARGS="--json" or "--skip-sdk" pass through.
OPENAPI ?= $(wildcard ../shared/reference/openai-openapi-*-2026-08.yaml)
drift: venv
	$(BIN)/python scripts/api_drift.py $(if $(strip $(OPENAPI)),$(addprefix --openapi ,$(OPENAPI)),--skip-openapi) $(DRIFT_ARGS)

# The run's table goes to out/bench.md too, drawn as docs/img/benchmarks.png (shown in docs/benchmarks.md).
bench: venv
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	mkdir -p out
	$(BIN)/python scripts/bench.py $(BENCH_ARGS) | tee out/bench.md
	$(BIN)/python scripts/bench_plots.py out/bench.md || echo "bench: no table to draw (--bulk runs have none)"

# The client's connection pool on different limits, many async calls in flight (docs/benchmarks.md).
bench-pool: venv
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python scripts/bench_pool.py $(BENCH_ARGS)

# The emulator side by side with the Stainless Prism mock (installed from npm into ~/.cache when
# absent, skipped with a message when it cannot be), and its memory under large uploads (docs/benchmarks.md).
bench-mock: venv
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python scripts/mock_bench.py $(BENCH_ARGS)

# Bulk jobs killed (SIGKILL) and resumed at random against a faulty emulator until done; checks each
# line ends with one result and none is paid twice (docs/reliability.md). SOAK_ARGS="--lines 500 --seed 2".
.PHONY: soak-bulk
soak-bulk: venv
	timeout 600 $(BIN)/python scripts/soak_bulk.py $(SOAK_ARGS)
