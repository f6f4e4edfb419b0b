#!/usr/bin/env bash
# Screenshots of the web UI of a running server, light and dark, as the README shows them.
# Usage: docs/screenshots.sh URL SANDBOX     e.g. docs/screenshots.sh http://127.0.0.1:9470/ sbx-web-01
# (start one with ./sandglass serve --demo=40 and give it ten minutes of history first)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/bench/test-main.sh" web dev.sandglass.web.ui.UiScreenshots "$1" "$2" "$here/target/ui-screenshots/readme"
# quantised to 256 colours by pngquant (apt-get install pngquant): small enough to commit
for f in "$here"/target/ui-screenshots/readme/*-light.png "$here"/target/ui-screenshots/readme/{fleet,sandbox}-dark.png; do
  pngquant --force --quality 65-90 --speed 1 --output "$here/docs/ui-$(basename "$f")" "$f"
done
ls -la "$here"/docs/ui-*.png
