/**
 * The tester's rule payload: the part of each Detection that compileCatalog / matchEvent read,
 * with the rule's compile products (compile.ts CompileHints), written once at build time and
 * loaded by the tester worker in chunks (rules-chunks.ts).
 *
 * Owns: which Detection and RuleAnalysis fields travel to the browser.
 *
 * Invariants:
 * - `compileTesterRules(testerRules(ds))` gives the same matchEvent report as
 *   `compileCatalog(ds)` (checked by rules-data.test.ts).
 * - The combined predicate travels once, inside the stages: `fromTesterRules` rebuilds it as
 *   the AND of the stage predicates, exactly as every format builds it (ids kept on the leaves).
 * - Dropped: rule text, descriptions, stage source text and spans, evaluability notes, and the
 *   format detail beyond what `FormatTesting.tester.leanDetail` keeps (the clues the format's shape
 *   choice and gate read).
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../model/types.ts"
import { compileCatalog, type CompiledCatalog, type CompileHints } from "./compile.ts"
import { findFormatTesting } from "../formats/testers.ts"
import type { FormatDetail, RuleAnalysis, RuleStage } from "../formats/types.ts"
import { and } from "../predicate/build.ts"

export type TesterRule = Pick<Detection, "id" | "name" | "slug" | "format" | "type" | "status" | "dataSources"> & {
  risk: Pick<Detection["risk"], "score" | "entities" | "severity"> & {
    legacy?: { score: number; impact: number; confidence: number }
  }
  analysis?: LeanAnalysis
  /** The rule's compile products (compile.ts CompileHints), made at build time; absent for rules not compiled. */
  c?: LeanHints
}

/**
 * CompileHints as the payload writes them: u unsupported leaf ids; k the key clause's leaf ids and
 * g its trigrams; a the anchor key's trigrams (present when the rule has an anchor key); o order.
 */
type LeanHints = { u?: number[]; k?: number[]; g?: string[]; a?: string[]; o?: number }

function leanHints(h: CompileHints): LeanHints {
  const out: LeanHints = {}
  if (h.unsupported?.length) out.u = h.unsupported
  if (h.key) {
    out.k = h.key.leaves
    if (h.key.grams.length) out.g = h.key.grams
  }
  if (h.anchorKey) out.a = h.anchorKey.grams
  if (h.order !== undefined) out.o = h.order
  return out
}

function hintsOf(h: LeanHints): CompileHints {
  const out: CompileHints = {}
  if (h.u) out.unsupported = h.u
  if (h.k) out.key = { leaves: h.k, grams: h.g ?? [] }
  if (h.a) out.anchorKey = { grams: h.a }
  if (h.o !== undefined) out.order = h.o
  return out
}

type LeanStage = Pick<
  RuleStage,
  "index" | "command" | "macros" | "role" | "predicate" | "evaluable" | "reason" | "requires"
>
/**
 * The combined predicate is shipped only when it is not the AND of the stage predicates (an EQL
 * sequence's candidate filter is the OR of its stages); otherwise it is rebuilt from them.
 */
type LeanAnalysis = Pick<RuleAnalysis, "prefixes" | "multiEvent"> & {
  predicate?: RuleAnalysis["predicate"]
  stages: LeanStage[]
  evaluability: Pick<RuleAnalysis["evaluability"], "evaluable" | "category" | "requires" | "decidable" | "scope"> & {
    reasons: Array<{ message: string; category: string }>
  }
  /** What the tester reads of the format's detail (FormatTesting.tester.leanDetail). */
  detail: FormatDetail
}

/** The AND of the stage predicates, as every pipeline format builds its combined predicate. */
const combined = (stages: ReadonlyArray<Pick<RuleStage, "predicate">>) =>
  and(stages.flatMap((s) => (s.predicate ? [s.predicate] : [])))

function leanAnalysis(a: RuleAnalysis, leanDetail: (detail: FormatDetail) => FormatDetail): LeanAnalysis {
  const out: LeanAnalysis = {
    stages: a.stages.map((s) => {
      const st: LeanStage = { index: s.index, command: s.command, role: s.role, evaluable: s.evaluable }
      if (s.macros?.length) st.macros = s.macros
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
    detail: leanDetail(a.detail),
  }
  if (JSON.stringify(combined(out.stages)) !== JSON.stringify(a.predicate)) out.predicate = a.predicate
  if (a.prefixes?.length) out.prefixes = a.prefixes
  if (a.multiEvent !== undefined) out.multiEvent = a.multiEvent
  if (a.evaluability.category) out.evaluability.category = a.evaluability.category
  if (a.evaluability.decidable) out.evaluability.decidable = true
  if (a.evaluability.scope) out.evaluability.scope = a.evaluability.scope
  return out
}

/** Detections → the lean JSON rows of the tester payload, each with its compile products. */
export function testerRules(detections: readonly Detection[]): TesterRule[] {
  const hints = new Map(compileCatalog(detections).rules.map((r) => [r.detection, r.hints]))
  return detections.map((d) => {
    const risk: TesterRule["risk"] = { entities: d.risk.entities.filter((e) => e.role === "risk") }
    if (d.risk.score !== undefined) risk.score = d.risk.score
    if (d.risk.severity !== undefined) risk.severity = d.risk.severity
    if (d.risk.legacy)
      risk.legacy = { score: d.risk.legacy.score, impact: d.risk.legacy.impact, confidence: d.risk.legacy.confidence }
    const row: TesterRule = {
      id: d.id,
      name: d.name,
      slug: d.slug,
      format: d.format,
      type: d.type,
      status: d.status,
      dataSources: d.dataSources,
      risk,
    }
    const lean = findFormatTesting(d.format)?.tester.leanDetail ?? ((x: FormatDetail) => ({ format: x.format }))
    if (d.analysis) row.analysis = leanAnalysis(d.analysis, lean)
    const h = hints.get(d)
    if (h) row.c = leanHints(h)
    return row
  })
}

/**
 * Lean rows → the Detection shape compileCatalog takes. Fields it never reads are filled with
 * empty values; `search` is empty because the format's lean detail carries what the tester reads.
 */
export function fromTesterRules(rows: readonly TesterRule[]): Detection[] {
  return rows.map((row) => {
    const { c, ...r } = row
    const d = {
      ...r,
      search: "",
      path: "",
      risk: r.risk,
      analysis:
        r.analysis &&
        ({
          ...r.analysis,
          notes: [],
          predicate: r.analysis.predicate ?? combined(r.analysis.stages),
        } as unknown as RuleAnalysis),
    } as unknown as Detection
    if (c) HINTS.set(d, hintsOf(c))
    return d
  })
}

/** The compile products a lean row carried, by the Detection fromTesterRules made of it. */
const HINTS = new WeakMap<Detection, CompileHints>()

/** Lean rows compiled with the compile products they carry: what the tester worker runs. */
export function compileTesterRules(rows: readonly TesterRule[]): CompiledCatalog {
  return compileCatalog(fromTesterRules(rows), (d) => HINTS.get(d))
}
