#!/usr/bin/env bash
# Fuzzes Takt's input paths with libFuzzer + AddressSanitizer.
#   scripts/fuzz.sh SECONDS [TARGET...]     targets: csv plan scenario model explode paths (default: all)
# Corpora live in .build-fuzz/corpus/TARGET (seeded from fixtures/); crashes are written
# to .build-fuzz/crashes/TARGET/. Replay one with:
#   TAKT_FUZZ_TARGET=TARGET swift run TaktFuzz FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv plan scenario model explode paths)
swift build --scratch-path .build-fuzz -c release --product TaktFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DTAKT_FUZZ \
  -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >/dev/null   # gold trips over libFuzzer's main
binary=.build-fuzz/release/TaktFuzz
for target in "${targets[@]}"; do
  corpus=.build-fuzz/corpus/$target
  crashes=.build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  case $target in
    csv)      cp fixtures/*/*.csv fixtures/invalid/*/*.csv "$corpus"/ 2>/dev/null || true ;;
    plan)     for f in fixtures/*/plan.yaml fixtures/invalid/*/plan.yaml; do cp "$f" "$corpus/$(echo "$f" | tr / _)"; done ;;
    scenario) cp fixtures/drone/scenarios/*.yaml "$corpus"/ ;;
    explode)  printf 'parent,component,qty_per,scrap_pct\nA,B,2,5\nA,C,1,0\nC,D,3,0\nB,E,1,0\nE,F,1,0\nF,G,12,1\nA,H,1,0\nH,B,1,0\n' > "$corpus/seed.csv"
              cp fixtures/*/bom.csv "$corpus"/ 2>/dev/null || true ;;
    paths)    printf '\x00\x00\xff\x00\x0d' > "$corpus/model"; printf '\x00\x06\x07\xff\x00\x0e\x0d' > "$corpus/links"
              printf '\x01\xff\x02\x04\x04\x0d' > "$corpus/root" ;;
    model)    for d in fixtures/*/ fixtures/invalid/*/; do
                [ -f "$d/items.csv" ] || continue
                out="$corpus/$(echo "$d" | tr / _)"
                { cat "$d/items.csv"; for f in bom inventory receipts demand suppliers; do echo "===="; cat "$d/$f.csv" 2>/dev/null || true; done; } > "$out"
              done ;;
  esac
  echo "== $target for ${seconds}s"
  TAKT_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 | grep -E "stat::number_of_executed_units|Done|ERROR|SUMMARY|crash-|timeout-|oom-" || true
done
