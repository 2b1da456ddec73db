#!/usr/bin/env bash
# `npm test`: every test, unit and end-to-end, on a fresh machine.
#   1. install npm packages and Chromium if missing
#   2. type check
#   3. unit tests (Vitest; corpus tests skip with a message when ../shared/corpora is absent)
#   4. build the site from content/ and run the Playwright specs against out/ in Chromium
# Ends with one line "tests: N passed, M failed, K skipped" over both suites.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser || exit 1
mkdir -p .atlas
status=0

echo "== type check" >&2
npx tsc --noEmit || status=1

echo "== unit tests" >&2
npx vitest run --reporter=default --reporter=json --outputFile=.atlas/vitest.json || status=1

echo "== build content/ for the browser tests" >&2
if CATALOG_CONTENT=content npm run build; then
  echo "== browser tests" >&2
  PLAYWRIGHT_JSON_OUTPUT_NAME=.atlas/playwright.json npx playwright test --reporter=list,json || status=1
else
  echo "atlas: build failed; browser tests not run" >&2
  status=1
fi

node scripts/test-summary.mjs .atlas/vitest.json .atlas/playwright.json | tee .atlas/test-summary.txt
exit $status
