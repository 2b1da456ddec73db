/**
 * The tester's rule payload: the part of each Detection that compileCatalog / matchEvent read,
 * written once at build time to `/tester/rules.json` and loaded by the tester worker.
 *
 * Owns: which Detection and SplAnalysis fields travel to the browser.
 *
 * Invariants:
 * - `compileCatalog(fromTesterRules(testerRules(ds)))` gives the same matchEvent report as
 *   `compileCatalog(ds)` (checked by rules-data.test.ts).
 * - The combined predicate travels once, inside the stages: `fromTesterRules` rebuilds it as
 *   the AND of the stage predicates, exactly as analyzeSpl built it (ids are kept on the leaves).
 *   A rule whose predicate is something else (an EQL sequence: any stage makes a candidate)
 *   ships it whole; `multiEvent` (nothing to run on one event) travels as is.
 * - Dropped: rule text, descriptions, stage source text and spans, macro calls, diagnostics,
 *   evaluability notes. `expanded` is kept only as the clues ruleShapes reads from it
 *   (`sysmon`, `4688`), never as the full search.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../catalog/types.ts"
import { and } from "../predicate/build.ts"
import type { SigmaAnalysis } from "../sigma/types.ts"
import type { SplAnalysis, SplStage } from "../spl/types.ts"

export type TesterRule = Pick<Detection, "id" | "name" | "slug" | "format" | "type" | "status" | "dataSources"> & {
  risk: Pick<Detection["risk"], "score" | "entities"> & { legacy?: { score: number } }
  analysis?: LeanAnalysis
  sigma?: LeanSigma
}

/** What the tester reads of a Sigma rule: the gate and the whole-rule predicate (selections are named on its leaves). */
type LeanSigma = Pick<SigmaAnalysis, "kind" | "logsource" | "condition" | "predicate" | "evaluable" | "reason">

type LeanStage = Pick<SplStage, "index" | "command" | "macros" | "role" | "predicate" | "evaluable" | "reason" | "requires">
/** The combined predicate is not shipped: it is the AND of the stage predicates (see analyze.ts). */
type LeanAnalysis = Pick<SplAnalysis, "datamodel"> & {
  expanded: string
  /** Only when it is not the AND of the stage predicates. */
  predicate?: SplAnalysis["predicate"]
  multiEvent?: string
  stages: LeanStage[]
  evaluability: Pick<SplAnalysis["evaluability"], "evaluable" | "category" | "requires"> & {
    reasons: Array<{ message: string; category: SplAnalysis["evaluability"]["reasons"][number]["category"] }>
  }
}

/** The shape-selection clues of an expanded search (see ruleShapes in match.ts). */
function clues(text: string): string {
  return [/sysmon/i.test(text) ? "sysmon" : "", /\b4688\b/.test(text) ? "4688" : ""].filter(Boolean).join(" ")
}

function leanAnalysis(a: SplAnalysis): LeanAnalysis {
  const out: LeanAnalysis = {
    expanded: clues(a.expanded),
    stages: a.stages.map((s) => {
      const st: LeanStage = { index: s.index, command: s.command, macros: s.macros, role: s.role, evaluable: s.evaluable }
      if (s.predicate) st.predicate = s.predicate
      if (s.reason !== undefined) st.reason = s.reason
      if (s.requires?.length) st.requires = s.requires
      return st
    }),
    evaluability: {
      evaluable: a.evaluability.evaluable,
      reasons: a.evaluability.reasons.map((r) => ({ message: r.message, category: r.category })),
      requires: a.evaluability.requires,
    },
  }
  if (a.datamodel) out.datamodel = a.datamodel
  const rebuilt = and(a.stages.flatMap((s) => (s.predicate ? [s.predicate] : [])))
  if (JSON.stringify(rebuilt) !== JSON.stringify(a.predicate)) out.predicate = a.predicate
  const multiEvent = (a as { multiEvent?: string }).multiEvent
  if (multiEvent !== undefined) out.multiEvent = multiEvent
  if (a.evaluability.category) out.evaluability.category = a.evaluability.category
  return out
}

/** Detections → the lean JSON rows of `/tester/rules.json`. */
export function testerRules(detections: readonly Detection[]): TesterRule[] {
  return detections.map((d) => {
    const risk: TesterRule["risk"] = { entities: d.risk.entities.filter((e) => e.role === "risk") }
    if (d.risk.score !== undefined) risk.score = d.risk.score
    if (d.risk.legacy) risk.legacy = { score: d.risk.legacy.score }
    const row: TesterRule = { id: d.id, name: d.name, slug: d.slug, format: d.format, type: d.type, status: d.status, dataSources: d.dataSources, risk }
    if (d.analysis) row.analysis = leanAnalysis(d.analysis)
    if (d.sigma) {
      const { kind, logsource, condition, predicate, evaluable, reason } = d.sigma
      row.sigma = { kind, logsource: { ...logsource, definition: undefined }, condition, predicate, evaluable, ...(reason !== undefined ? { reason } : {}) }
    }
    return row
  })
}

/**
 * Lean rows → the Detection shape compileCatalog takes. Fields it never reads are filled with
 * empty values; `search` is empty because `analysis.expanded` carries the clues.
 */
export function fromTesterRules(rows: readonly TesterRule[]): Detection[] {
  return rows.map(
    (r) =>
      ({
        ...r,
        search: "",
        path: "",
        risk: r.risk,
        analysis: r.analysis && ({ ...r.analysis, predicate: r.analysis.predicate ?? and(r.analysis.stages.flatMap((s) => (s.predicate ? [s.predicate] : []))) } as unknown as SplAnalysis),
        sigma: r.sigma && ({ tags: [], tactics: [], related: [], falsepositives: [], selections: [], ...r.sigma } satisfies SigmaAnalysis),
      }) as unknown as Detection,
  )
}
