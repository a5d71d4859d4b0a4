#!/usr/bin/env bash
# Renders the HTML of `monitor report` in a real browser (headless Chromium) to one PNG of the whole page.
#
#   scripts/render-report.sh [REPORT.html] [OUT.png]
#
# Defaults: builds and runs `monitor report` on the bundled data (into a temporary report.html) and writes
# docs/report.png. WIDTH (default 1280) sets the window width. Needs Debian's chromium
# (apt-get install -y chromium); not part of the test suite (CI has no browser).
#
# The page has no scripts of its own. To learn its height, a copy with one line of script is loaded first
# (--dump-dom prints the DOM after the script ran); the screenshot itself is of the unchanged file.
set -euo pipefail
cd "$(dirname "$0")/.."

html=${1:-}
png=${2:-docs/report.png}
width=${WIDTH:-1280}

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "render-report: no chromium found; install it with: apt-get install -y chromium" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "$html" ]; then
  html=$work/report.html
  swift run ${BUILD_PATH:+--build-path "$BUILD_PATH"} monitor report --quiet --output "$html"
fi
[ -f "$html" ] || { echo "render-report: $html does not exist" >&2; exit 2; }
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions
       --force-device-scale-factor=1 --user-data-dir="$work/profile")

# 1. The page's height at this width.
sed 's#</body>#<script>window.addEventListener("load",function(){document.title="HEIGHT="+Math.ceil(document.documentElement.scrollHeight);});</script></body>#' \
  "$abs" > "$work/measure.html"
height=$("$browser" "${flags[@]}" --window-size="$width,1000" --virtual-time-budget=5000 --dump-dom "file://$work/measure.html" 2>/dev/null \
  | grep -o 'HEIGHT=[0-9]*' | head -1 | cut -d= -f2)
if [ -z "$height" ]; then
  echo "render-report: could not measure the page height" >&2
  exit 1
fi

# 2. The screenshot of the whole page.
mkdir -p "$(dirname "$png")"
"$browser" "${flags[@]}" --window-size="$width,$height" --virtual-time-budget=5000 --screenshot="$work/page.png" "file://$abs" 2>/dev/null
mv "$work/page.png" "$png"
echo "render-report: $html -> $png (${width}x${height})"
