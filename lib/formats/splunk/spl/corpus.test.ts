/**
 * Whole-corpus check of the SPL engine against splunk/security_content.
 * Reads the shared corpus with Node built-ins (tests only); skipped when the corpus is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { EventView, indicators } from "../../../predicate/index.ts"
import { analyzeSpl, compileRule, evaluateRule, macroMap, matchRule, type MacroDef, type SplAnalysis } from "./index.ts"

const ROOT = join(import.meta.dirname, "../../../../../shared/corpora/security_content")
const present = existsSync(join(ROOT, "detections"))

type Loaded = { path: string; doc: Record<string, unknown> }

/**
 * Parse YAML; on failure retry once with continuation lines at column 1 indented (the multi-line
 * single-quoted scalars PyYAML accepts). Files that still fail are skipped.
 */
function loadYaml(path: string, failed: string[], repaired: string[]): Loaded | null {
  const text = readFileSync(path, "utf8")
  try {
    return { path, doc: parse(text) as Record<string, unknown> }
  } catch {
    try {
      const fixed = text
        .split("\n")
        .map((l) => (/^(\s|[A-Za-z_][\w ]*:|- |#|$)/.test(l) ? l : `  ${l}`))
        .join("\n")
      repaired.push(path)
      return { path, doc: parse(fixed) as Record<string, unknown> }
    } catch {
      failed.push(path)
      return null
    }
  }
}

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (f.endsWith(".yml")) out.push(p)
  }
  return out
}

describe.skipIf(!present)("security_content corpus", () => {
  if (!present) return
  const failed: string[] = []
  const repaired: string[] = []
  const macroDefs: MacroDef[] = walk(join(ROOT, "macros")).flatMap((p) => {
    const l = loadYaml(p, failed, repaired)
    if (!l) return []
    const { name, definition, arguments: args } = l.doc as { name: string; definition: string; arguments?: string[] }
    return [{ name, definition, arguments: args ?? [] }]
  })
  const macros = macroMap(macroDefs)
  const rules = walk(join(ROOT, "detections"))
    .map((p) => loadYaml(p, failed, repaired))
    .filter((l): l is Loaded => l !== null && typeof l.doc.search === "string")
  const t0 = performance.now()
  const analyses: Array<{ path: string; a: SplAnalysis }> = rules.map((r) => ({
    path: r.path,
    a: analyzeSpl(r.doc.search as string, macros),
  }))
  const analyzeMs = performance.now() - t0

  it("loads the corpus", () => {
    console.log(
      `detections: ${rules.length}, macros: ${macroDefs.length}, repaired YAML: ${repaired.length}, skipped YAML: ${failed.length}`,
    )
    expect(rules.length).toBeGreaterThan(1600)
  })

  // Time is printed, not asserted: `npm run bench` owns the figure (SPL parse + compile of every rule),
  // and a bound here failed only when the shared machine was busy.
  it("analyses every search", () => {
    console.log(`analyzeSpl over ${analyses.length} searches: ${analyzeMs.toFixed(0)} ms`)
    expect(analyses.filter(({ a }) => a.stages.length === 0).map(({ path }) => path)).toEqual([])
  })

  it("parses ≥ 99% of tstats / raw-search first stages fully into predicates", () => {
    const eligible = analyses.filter(({ a }) => a.stages[0]?.command === "tstats" || a.stages[0]?.command === "search")
    const full = eligible.filter(({ a }) => a.parse.firstStage === "full")
    const rate = full.length / eligible.length
    const partial = eligible.filter(({ a }) => a.parse.firstStage !== "full")
    console.log(`first stages parsed fully: ${full.length} of ${eligible.length} (${(rate * 100).toFixed(2)} %)`)
    console.log(
      "not full:",
      partial.map(({ path, a }) => `${path.split("/").pop()} [${a.parse.unsupportedConstructs.join(",")}]`),
    )
    expect(rate).toBeGreaterThanOrEqual(0.99)
  })

  it("gives evaluability verdicts close to the spec's 1,254 of 1,711", () => {
    const evaluable = analyses.filter(({ a }) => a.evaluability.evaluable)
    // Rules blocked only because a filter reads a field computed by eval/rex/spath (the spec's
    // classifier counted those as evaluable): the engine runs the pipeline on the event, so none
    // should be left but those with a function or regex it cannot run.
    const derivedOnly = analyses.filter(
      ({ a }) => !a.evaluability.evaluable && a.evaluability.reasons.every((r) => r.construct === "derived-field"),
    )
    const byCategory: Record<string, number> = {}
    const byConstruct: Record<string, number> = {}
    for (const { a } of analyses) {
      if (a.evaluability.category) byCategory[a.evaluability.category] = (byCategory[a.evaluability.category] ?? 0) + 1
      for (const c of new Set(a.evaluability.reasons.map((r) => r.construct)))
        byConstruct[c] = (byConstruct[c] ?? 0) + 1
    }
    const raw = evaluable.filter(({ a }) => a.evaluability.notes.some((n) => n.construct === "raw-text")).length
    const requires = evaluable.filter(({ a }) => a.evaluability.requires.length > 0).length
    console.log(
      `evaluable: ${evaluable.length} of ${analyses.length} (+${derivedOnly.length} blocked only by eval/rex/spath-derived fields = ${evaluable.length + derivedOnly.length})`,
    )
    console.log(`evaluable needing _raw: ${raw}; evaluable with stats BY requirements: ${requires}`)
    console.log("primary blocker category:", byCategory)
    console.log(
      "blocker constructs (non-exclusive):",
      Object.fromEntries(Object.entries(byConstruct).sort((x, y) => y[1] - x[1])),
    )
    // More than the spec's 1,254: the engine also decides foreach over the event's fields, enriching
    // stages nothing reads, and mandatory eventtypes; lookups too when given the tables, which this
    // test does not read (a security_content build, which does, reports 1,354).
    expect(evaluable.length).toBeGreaterThanOrEqual(1300)
    expect(derivedOnly.length).toBeLessThanOrEqual(2)
  })

  it("records macro calls like the spec (3 unresolved)", () => {
    const unresolved = analyses.flatMap(({ a }) =>
      a.macroCalls.filter((c) => c.status === "unknown").map((c) => c.name),
    )
    console.log("unresolved macros:", unresolved)
    expect(unresolved.length).toBeLessThanOrEqual(5)
  })

  it("evaluates one event against every evaluable rule", () => {
    const compiled = analyses.filter(({ a }) => a.evaluability.evaluable).map(({ a }) => compileRule(a))
    const event = {
      process_name: "wmic.exe",
      process: "wmic /node:10.0.0.5 process call create calc.exe",
      dest: "ws01",
      user: "alice",
    }
    const t = performance.now()
    // One EventView: each field is normalised and lower-cased once for all rules.
    const view = new EventView(event)
    const hits = compiled.filter((r) => matchRule(r, view) === true).length
    const ms = performance.now() - t
    // The time is printed for a reader; the tester's per-event figure is measured by `npm run bench`.
    console.log(`one event vs ${compiled.length} rules: ${ms.toFixed(1)} ms, ${hits} matches`)
    expect(hits).toBeGreaterThan(0)
  })

  it("Remote Process Instantiation via WMI", () => {
    const hit = analyses.find(({ path }) => path.endsWith("endpoint/remote_process_instantiation_via_wmi.yml"))
    expect(hit).toBeDefined()
    const a = (hit as { a: SplAnalysis }).a
    expect(a.stages).toHaveLength(5)
    const keys = indicators(a.predicate).map((i) => `${i.field} ${i.kind} ${i.value}`)
    expect(keys).toEqual(
      expect.arrayContaining([
        "process_name eq wmic.exe",
        "original_file_name eq wmic.exe",
        "process contains /node:",
        "process contains process",
        "process contains call",
        "process contains create",
      ]),
    )
    const rule = compileRule(a)
    expect(
      evaluateRule(rule, { process_name: "wmic.exe", process: "wmic /node:10.0.0.5 process call create calc.exe" })
        .matched,
    ).toBe(true)
    expect(evaluateRule(rule, { process_name: "wmic.exe", process: "wmic process list" }).matched).toBe(false)
  })
})
