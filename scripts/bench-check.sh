#!/usr/bin/env bash
# Runs the small benchmarks (realistic and stress models of 10,000 items, a 20,000-item LP)
# against the committed baseline `main` (Benchmarks/.benchmarkBaselines) and fails when one
# is slower or fatter than the thresholds in Benchmarks/Benchmarks/TaktBenchmarks allow:
# mallocs or peak memory +10 % (p90), median wall clock +50 % on benchmarks of 10 ms and
# more. Improvements pass. To accept a change on purpose, re-record the baseline on this
# machine and commit it:
#   (cd Benchmarks && swift package --allow-writing-to-package-directory benchmark baseline update main)
#
# The baseline was taken on 2 cores; on a larger machine the benchmarks run held to two
# (taskset), so that the simulation's passes and the threads' malloc arenas are as many as
# when it was taken.
set -uo pipefail
cd "$(dirname "$0")/../Benchmarks"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build -c release 2>&1 | tail -1
pin=()
if [ "$(nproc)" -gt 2 ] && command -v taskset >/dev/null; then pin=(taskset -c 0,1); fi
"${pin[@]}" swift package benchmark baseline check main --filter "small.*|lp.*" --no-progress 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if grep -q "benchmarkThresholdRegression\|is WORSE than" "$log"; then
  echo "bench-check: FAILED: slower or fatter than the baseline 'main' beyond its thresholds (tables above)." >&2
  echo "bench-check: if the change is meant, re-record: (cd Benchmarks && swift package --allow-writing-to-package-directory benchmark baseline update main)" >&2
  exit 1
fi
if [ "$status" -ne 0 ] && ! grep -q "benchmarkThresholdImprovement" "$log"; then
  echo "bench-check: FAILED: the benchmarks did not run (exit $status)." >&2
  exit "$status"
fi
echo "bench-check: every small benchmark within its thresholds of the baseline 'main'."
