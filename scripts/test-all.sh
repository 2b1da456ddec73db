#!/usr/bin/env bash
# `npm test`: every test, unit and end-to-end, on a fresh machine.
#   1. install npm packages and Chromium if missing
#   2. type check, lint (ESLint: typescript-eslint, React hooks, the lib/ folder boundaries) and format (Prettier)
#   3. unit tests (among them lib/imports.test.ts: no import cycle between lib/ folders) (Vitest; corpus tests skip with a message when ../shared/corpora is absent)
#   4. build e2e/hostile-catalog into out-hostile/ and content/ into out/, then run the
#      Playwright specs against both in Chromium
# Ends with one line "tests: N passed, M failed, K skipped" over both suites.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser || exit 1
mkdir -p .atlas
status=0

echo "== type check" >&2
npx tsc --noEmit || status=1

echo "== lint and format" >&2
npx eslint . --cache --cache-location .atlas/eslintcache || status=1
npx prettier --check . --log-level warn || status=1

echo "== unit tests" >&2
npx vitest run --reporter=default --reporter=json --outputFile=.atlas/vitest.json || status=1

# The hostile catalog (rule fields full of markup, script and dangerous links) is exported to
# out-hostile/ first: a build always writes out/ before ATLAS_OUT_DIR moves it aside.
echo "== build e2e/hostile-catalog for the browser tests" >&2
if ! CATALOG_CONTENT=e2e/hostile-catalog ATLAS_OUT_DIR=out-hostile npm run build >.atlas/hostile-build.log 2>&1; then
  tail -20 .atlas/hostile-build.log >&2
  echo "atlas: hostile build failed" >&2
  rm -rf out-hostile
  status=1
fi

echo "== build content/ for the browser tests" >&2
# CATALOG_SOURCE_URL: rule pages link their file upstream (e2e/paths.spec.ts reads it too).
export CATALOG_SOURCE_URL="${CATALOG_SOURCE_URL:-https://example.org/detection-atlas/blob/main/content}"
if CATALOG_CONTENT=content npm run build; then
  echo "== browser tests" >&2
  PLAYWRIGHT_JSON_OUTPUT_NAME=.atlas/playwright.json npx playwright test --reporter=list,json || status=1
else
  echo "atlas: build failed; browser tests not run" >&2
  status=1
fi

node scripts/test-summary.mjs .atlas/vitest.json .atlas/playwright.json | tee .atlas/test-summary.txt
exit $status
