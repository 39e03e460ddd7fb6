#!/usr/bin/env bash
# Set-up and first run on a fresh Debian machine: installs what Takt needs, builds the
# release binary (.build/release/takt) and plans the drone walk-through into out/drone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The Swift runtime and Foundation linked into the binary (--static-swift-stdlib): it starts
# 3-4 ms sooner and calls the runtime directly (docs/performance.md, seventh round).
swift build -c release --static-swift-stdlib --product takt
.build/release/takt plan fixtures/drone --out out/drone "$@"
echo "report: out/drone/report.md (and report.html); takt is .build/release/takt"
