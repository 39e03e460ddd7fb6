#!/usr/bin/env bash
# Renders a Takt report.html to a PNG with headless Chromium (Debian: apt-get install chromium)
# and checks that the page loads: usage: scripts/render-report.sh OUT_DIR/report.html [PNG]
set -euo pipefail
html=$(realpath "$1")
png=${2:-${html%.html}.png}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 3; }
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars)
"$browser" "${flags[@]}" --dump-dom "file://$html" 2>/dev/null | grep -q "5. Next-week plan" \
  || { echo "report did not load: $html" >&2; exit 1; }
"$browser" "${flags[@]}" --window-size=1150,1900 --screenshot="$png" "file://$html" >/dev/null 2>&1
[ -s "$png" ] || { echo "no screenshot written" >&2; exit 1; }
echo "$png"
