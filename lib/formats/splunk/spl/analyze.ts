/**
 * `analyzeSpl`: from a detection's search text to a JSON-serialisable SplAnalysis.
 *
 * Owns: the processing order — strip comments → expand macros → split on top-level
 * pipes → analyse stages in order — plus macro attribution, the combined predicate and the
 * rule-level evaluability verdict.
 *
 * Invariants:
 * - Pure and deterministic; never throws on rule text (problems become diagnostics/reasons).
 * - Leaf ids are numbered once over the combined predicate; stage predicates share the objects,
 *   so a trace id means the same leaf everywhere.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { and, numberLeaves } from "../../../predicate/build.ts"
import { CATEGORY_ORDER } from "./commands.ts"
import { expandMacros, unquoteArg, type MacroExpansion, type MacroLookup } from "./macros.ts"
import type { RowPlan } from "./row-runner.ts"
import { buildRowPlan, stepAdds, stepProblem, stepReads } from "./row-plan.ts"
import { newScope } from "./scope.ts"
import { analyzeStage, type StageContext } from "./stage.ts"
import { balanceProblems, splitPipes, stripComments } from "./text.ts"
import type { Reason, SplAnalysis, SplStage } from "./types.ts"

function macroLocator(expansions: MacroExpansion[]): (pos: number) => string | undefined {
  const live = expansions.filter((e) => e.status !== "unknown")
  return (pos) => {
    let best: MacroExpansion | undefined
    for (const e of live) if (e.start <= pos && pos < e.end && (!best || e.depth > best.depth)) best = e
    return best?.name
  }
}

export type AnalyzeOptions = {
  /** Whether the content folder holds the data of a lookup table, by the name a rule uses. */
  lookupTable?: (name: string) => boolean
}

/** Leaf-level constructs: an unknown value inside a filter, not a stage that cannot run. */
const LEAF_LEVEL = new Set(["derived-field", "eval-expression", "eval-function", "regex-unsupported"])

/** Blockers that only add fields to a row: when nothing after them can drop it, they decide nothing. */
const ENRICHING = new Set(["lookup", "iplocation", "eventstats", "streamstats"])

/**
 * What running the pipeline on the event (row-runner.ts) settles: the reasons it lifts, given
 * the plan; a reason is lifted when every step up to and including its stage can run.
 */
function liftReasons(plan: RowPlan, reasons: Reason[], tables: (name: string) => boolean): Set<Reason> {
  const problems = plan.steps.map((s) => stepProblem(s, tables))
  const runnableUpTo = (stage: number): boolean =>
    plan.steps.every((s, i) => s.stage > stage || problems[i] === undefined)
  const lifted = new Set<Reason>()
  for (const r of reasons) {
    if (r.stage === undefined) continue
    if (LEAF_LEVEL.has(r.construct) && r.construct !== "regex-unsupported" && runnableUpTo(r.stage)) lifted.add(r)
    else if (r.construct === "lookup" && r.category === "lookup" && runnableUpTo(r.stage)) lifted.add(r)
    // foreach over the event's own fields, with one eval: run as written.
    else if (r.construct === "foreach" && plan.steps.some((s) => s.stage === r.stage && s.k === "foreach") && runnableUpTo(r.stage))
      lifted.add(r)
  }
  return lifted
}

/**
 * Blocking reasons of enriching stages (they add fields and never drop the event) that cannot
 * change the verdict: nothing after them drops the event, or nothing after them reads what they
 * add. The second kind needs the pipeline run on the event with the stage skipped: its step
 * becomes a pass in `plan`, and its index is returned with it (undefined for the first kind).
 */
function inertBlockers(plan: RowPlan, reasons: Reason[]): Map<Reason, number | undefined> {
  const out = new Map<Reason, number | undefined>()
  const drops = (s: RowPlan["steps"][number]) =>
    s.k === "first" || s.k === "filter" || s.k === "where" || s.k === "stats" || (s.k === "stop" && s.drops)
  // Last stage first: a later enriching stage found inert is skipped before an earlier one is judged.
  const candidates = reasons
    .filter((r) => r.stage !== undefined && ENRICHING.has(r.construct))
    .sort((a, b) => (b.stage as number) - (a.stage as number))
  for (const r of candidates) {
    const at = plan.steps.findIndex((s) => s.stage === r.stage)
    const step = plan.steps[at]
    if (!step) continue
    const later = plan.steps.slice(at + 1)
    if (!later.some(drops)) {
      out.set(r, undefined)
      continue
    }
    const adds = stepAdds(step)
    if (!adds) continue
    const untouched = later.every((s) => {
      const reads = stepReads(s)
      return reads !== "all" && !adds.some((a) => reads.has(a))
    })
    if (untouched) {
      out.set(r, at)
      plan.steps[at] = { k: "pass", stage: step.stage }
    }
  }
  return out
}

export function analyzeSpl(search: string, macros: MacroLookup, options: AnalyzeOptions = {}): SplAnalysis {
  const stripped = stripComments(search)
  const ex = expandMacros(stripped, macros)
  const expanded = ex.text
  const diagnostics = [...ex.diagnostics]
  for (const b of balanceProblems(stripped))
    diagnostics.push({ code: b.code, message: b.message, near: stripped.slice(b.offset, b.offset + 24).split("\n")[0] })
  let segments = splitPipes(expanded)
  const leadingPipe = segments.length > 1 && (segments[0]?.text.trim() ?? "") === ""
  if (leadingPipe) segments = segments.slice(1)

  const ctx: StageContext = {
    scope: newScope(),
    parse: { macroAt: macroLocator(ex.expansions) },
    droppedPrefixes: ex.expansions
      .filter((e) => e.status === "cim" && e.args[0])
      .map((e) => unquoteArg(e.args[0] as string)),
    firstStage: "none",
    unsupported: new Set(),
    notes: [],
  }
  const stages: SplStage[] = []
  const reasons: Reason[] = []
  for (const seg of segments) {
    const text = seg.text.trim()
    if (text === "") {
      diagnostics.push({ code: "empty-stage", message: `empty pipeline stage at offset ${seg.start}` })
      continue
    }
    const start = seg.start + (seg.text.length - seg.text.trimStart().length)
    const end = start + text.length
    const index = stages.length
    const word = /^[A-Za-z_]\w*/.exec(text)?.[0]
    const implicit = index === 0 && !leadingPipe && word?.toLowerCase() !== "search"
    const command = implicit ? "search" : text.startsWith("`") ? "`" : (word?.toLowerCase() ?? text.charAt(0))
    const cut = implicit || command === "`" ? 0 : (word?.length ?? 1)
    const inStage = ex.expansions.filter(
      (e) => e.start < end && (e.end > start || (e.start === e.end && e.start >= start)),
    )
    const stage: SplStage = {
      index,
      command: command === "`" ? "macro" : command,
      text,
      start,
      end,
      macros: [...new Set(inStage.map((e) => e.name))],
      role: "transform",
      evaluable: true,
    }
    const input = {
      index,
      command,
      body: text.slice(cut),
      bodyOffset: start + cut,
      implicit,
      fromFilterMacro: inStage.some((e) => e.status === "filter"),
    }
    const stageReasons = analyzeStage(input, ctx, stage)
    if (stageReasons.length) {
      stage.evaluable = false
      stage.reason = stageReasons.map((r) => r.message).join("; ")
      reasons.push(...stageReasons)
    }
    stages.push(stage)
  }
  if (stages.length === 0) reasons.push({ construct: "parse-error", category: "other", message: "empty search" })

  // Running the pipeline on the event decides what the predicate alone cannot: fields computed by
  // eval/rex/spath, where-expressions over computed values, lookups whose table the content has.
  const plan = buildRowPlan(stages, ctx.datamodel)
  const notes: Reason[] = [...ctx.notes]
  let rowPlan: RowPlan | undefined
  if (plan && reasons.length) {
    const inert = inertBlockers(plan, reasons)
    const lifted = liftReasons(plan, reasons, options.lookupTable ?? (() => false))
    // A stage nothing after it reads is skipped (inertBlockers made it a pass) when the pipeline runs.
    const skipped = [...inert.values()].filter((i): i is number => i !== undefined)
    if (lifted.size || inert.size) {
      for (const r of [...lifted, ...inert.keys()])
        notes.push({
          ...r,
          message: lifted.has(r)
            ? `decided by running the pipeline on the event: ${r.message}`
            : inert.get(r) === undefined
              ? `does not change the verdict (nothing after it drops the event): ${r.message}`
              : `does not change the verdict (nothing after it reads what it adds): ${r.message}`,
        })
      const kept = reasons.filter((r) => !lifted.has(r) && !inert.has(r))
      reasons.length = 0
      reasons.push(...kept)
      for (const st of stages) {
        const left = kept.filter((r) => r.stage === st.index)
        if (left.length === 0 && !st.evaluable) {
          st.evaluable = true
          delete st.reason
          if (st.role === "blocker") st.role = "transform"
        } else if (left.length) st.reason = left.map((r) => r.message).join("; ")
      }
      if (lifted.size || skipped.length) rowPlan = plan
    }
  }

  const predicate = numberLeaves(and(stages.flatMap((s) => (s.predicate ? [s.predicate] : []))))
  const requires = [...new Set(stages.flatMap((s) => s.requires ?? []))]
  if (requires.length)
    notes.push({
      construct: "stats-by",
      category: "other",
      message: `Splunk drops the event unless it has ${requires.join(", ")} (stats BY without fillnull)`,
    })
  const category = CATEGORY_ORDER.find((c) => reasons.some((r) => r.category === c))
  const analysis: SplAnalysis = {
    expanded,
    stages,
    predicate,
    macroCalls: ex.expansions.map(({ name, args, status, depth, start, end }) => ({
      name,
      args,
      status,
      depth,
      start,
      end,
    })),
    diagnostics,
    evaluability: { evaluable: reasons.length === 0, reasons, notes, requires },
    parse: { firstStage: ctx.firstStage, unsupportedConstructs: [...ctx.unsupported] },
  }
  if (category) analysis.evaluability.category = category
  if (reasons.length && reasons.every((r) => LEAF_LEVEL.has(r.construct))) analysis.evaluability.decidable = true
  // Aggregations and joins need several events, which a log hunt has; anything else needs data
  // nobody has here (a lookup table missing from the content, eventtypes, a model, GeoIP…).
  analysis.evaluability.scope =
    reasons.length === 0
      ? "event"
      : reasons.every((r) => r.category === "aggregation" || r.category === "join")
        ? "log"
        : "none"
  if (ctx.datamodel) analysis.datamodel = ctx.datamodel
  if (rowPlan) analysis.rowPlan = rowPlan
  return analysis
}
