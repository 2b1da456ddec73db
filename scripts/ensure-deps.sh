#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: npm packages (from the lockfile) and,
# when asked with --browser, a Chromium for the browser tests (Debian's package: Playwright
# cannot download its own browser on these machines).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/next ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm install, not npm ci: npm 11 omits other platforms' optional binaries from a lockfile
  # written without download addresses, and npm ci then refuses it as out of sync.
  echo "atlas: installing npm packages" >&2
  npm install --no-audit --no-fund >&2
fi

if [ "${1:-}" = "--browser" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] || { echo "atlas: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  elif [ ! -x /usr/bin/chromium ] && ! ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-* >/dev/null 2>&1; then
    echo "atlas: installing Chromium from Debian's packages (apt-get install chromium)" >&2
    SUDO=""
    [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  fi
fi
