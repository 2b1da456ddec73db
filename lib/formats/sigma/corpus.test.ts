import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { compile, evaluate, leaves } from "../../predicate/index.ts"
import { readSigmaText } from "./index.ts"

const CORPUS = "../shared/corpora/sigma"
const present = existsSync(CORPUS)
if (!present) console.warn(`skipping the Sigma corpus test: ${CORPUS} is absent`)

function ymlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? ymlFiles(full) : name.endsWith(".yml") ? [full] : []
  })
}

describe.skipIf(!present)("SigmaHQ corpus (rules*)", () => {
  const folders = present ? readdirSync(CORPUS).filter((n) => n.startsWith("rules")) : []
  const files = folders.flatMap((f) => ymlFiles(join(CORPUS, f)))
  it("loads every rule, and every non-correlation rule compiles to a predicate", () => {
    const started = performance.now()
    let rules = 0
    let correlations = 0
    let notEvaluable = 0
    let leafCount = 0
    const rejected: string[] = []
    for (const file of files) {
      const r = readSigmaText(file, readFileSync(file, "utf8"))
      if (r.rejected > 0) rejected.push(`${file}: ${r.diagnostics.find((d) => d.severity === "error")?.message}`)
      for (const { rule } of r.rules) {
        rules++
        if (rule.analysis.kind === "correlation") {
          correlations++
          continue
        }
        expect(rule.analysis.predicate.op, file).not.toBe("false")
        compile(rule.analysis.predicate)
        leafCount += leaves(rule.analysis.predicate).length
        if (!rule.analysis.evaluable) notEvaluable++
      }
    }
    expect(rejected).toEqual([])
    expect(rules).toBeGreaterThanOrEqual(3700)
    // Only the two emerging-threat rules that need `expand` placeholder values (2026-08 corpus).
    expect(notEvaluable).toBeLessThanOrEqual(2)
    console.log(
      `sigma corpus: ${files.length} files, ${rules} rules (${correlations} correlations), ${notEvaluable} not evaluable, ${leafCount} leaves, ${Math.round(performance.now() - started)} ms`,
    )
  })

  it("fires the WMI remote process rules on their command line", () => {
    const dir = join(CORPUS, "rules/windows/process_creation")
    const event = {
      EventID: 1,
      Image: "C:\\Windows\\System32\\wbem\\WMIC.exe",
      OriginalFileName: "wmic.exe",
      CommandLine: "wmic /node:10.0.0.5 process call create calc.exe",
    }
    const fired = ymlFiles(dir).flatMap((file) =>
      readSigmaText(file, readFileSync(file, "utf8"))
        .rules.filter(
          ({ rule }) => evaluate(compile(rule.analysis.predicate), event, { trace: false }).matched === true,
        )
        .map(({ rule }) => rule.title),
    )
    console.log(`WMI remote process: ${fired.length} process_creation rules fire: ${fired.join(" | ")}`)
    expect(fired.some((t) => /wmic/i.test(t) && /(remote|process)/i.test(t))).toBe(true)
  })
})
