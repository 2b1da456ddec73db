// Sums Vitest's and Playwright's JSON reports into one closing line for people and CI.
import { existsSync, readFileSync } from "node:fs"

let passed = 0
let failed = 0
let skipped = 0
const [vitestFile, playwrightFile] = process.argv.slice(2)
if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"))
  passed += v.numPassedTests ?? 0
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites ?? 0)
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
} else failed += 1
if (playwrightFile && existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, "utf8")).stats ?? {}
  passed += (s.expected ?? 0) + (s.flaky ?? 0)
  failed += s.unexpected ?? 0
  skipped += s.skipped ?? 0
} else failed += 1
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
