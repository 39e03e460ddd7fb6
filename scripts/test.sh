#!/usr/bin/env bash
# Installs what Takt needs and runs the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
swift test
