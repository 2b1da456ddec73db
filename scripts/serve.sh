#!/usr/bin/env bash
# Quick start: install, build the catalog from $CATALOG_CONTENT (default content/), serve out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run build
PORT="${PORT:-3000}"
echo
echo "Detection Atlas is served at http://localhost:${PORT}/  (Ctrl-C to stop)"
exec node scripts/static-server.mjs out "$PORT"
