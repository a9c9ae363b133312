#!/usr/bin/env bash
# Renders the reproduce report with headless Chromium so a person (or a session) can look at it:
#   scripts/screenshot-report.sh [OUT_DIR] [WIDTH,HEIGHT]     default: out 1366,900 (a laptop screen)
# Writes OUT_DIR/report/screenshot.png. Use a tall window (e.g. 1366,4000) to see the whole page at once.
# Installs Debian's chromium when it is missing and we are root. No network is used by the page itself.
set -euo pipefail
OUT="${1:-out}"
SIZE="${2:-1366,900}"
[ -f "$OUT/report/index.html" ] || { echo "screenshot-report: no $OUT/report/index.html (run ./ptlab reproduce first)" >&2; exit 2; }
REPORT="$(cd "$OUT/report" && pwd)/index.html"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "screenshot-report: installing chromium (Debian package)…" >&2
    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; })
  else
    echo "screenshot-report: needs chromium: sudo apt-get install chromium" >&2; exit 1
  fi
fi
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT
# The flags keep Chromium off the network and away from the user's profile; --no-sandbox because CI runs as root.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$PROFILE" \
  --screenshot="$(cd "$OUT/report" && pwd)/screenshot.png" --window-size="$SIZE" "file://$REPORT" 2>/dev/null
echo "$OUT/report/screenshot.png"
