#!/usr/bin/env bash
# The fleet page with N demo sandboxes (default 1024) collected every second, for S seconds
# (default 30), in headless Chromium: per-update times in the page, long tasks, and the page's
# table against rebuilding every row, measured in the same page.
# Usage: bench/ui-fleet.sh [SANDBOXES] [SECONDS]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-main.sh" web dev.sandglass.web.ui.UiFleetBench "${1:-1024}" "${2:-30}"
