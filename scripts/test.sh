#!/usr/bin/env bash
# Installs what Takt needs and runs the whole test suite (what CI runs): the Python test of
# takt-dask (python/tests: a local Dask cluster against .build/debug/takt, built first), with
# .venv-dask's Python where install-deps.sh made one, then swift test, then the benchmark
# check (scripts/bench-check.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
swift build --product takt
python=python3
if ! python3 -c 'import dask, distributed' >/dev/null 2>&1 && [ -x .venv-dask/bin/python ]; then
  python=.venv-dask/bin/python
fi
"$python" -m unittest discover -s python/tests -v
swift test
# The small benchmarks against the committed baseline (fails on a regression beyond the
# thresholds; TAKT_SKIP_BENCH=1 leaves it out of a local run).
if [ "${TAKT_SKIP_BENCH:-0}" != "1" ]; then
  bash scripts/bench-check.sh
fi
