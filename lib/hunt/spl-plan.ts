/**
 * A Splunk rule as a hunt plan: its first stage as an event filter (the analysed predicate the
 * tester evaluates) and what the rest of its pipeline does to the rows that pass, built from the
 * analysed stages' text.
 *
 * Owns: the mapping of SPL commands to pipeline stages (pipeline.ts, rows.ts) and the first row
 * of an event: for a `search` first stage the event's fields with `_time`; for `tstats` the BY
 * fields and aggregate arguments as the rule writes them (`Processes.dest`), read through the
 * data model's prefixes, with `_time`.
 *
 * Invariants: a plan is built only when every stage can run; otherwise the reason names the first
 * stage that cannot. `build()` makes fresh stage state each time (one per hunt).
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { RuleAnalysis, RuleStage } from "../predicate/analysis.ts"
import { parseStatsClause } from "../formats/splunk/spl/stats.ts"
import { parseTstats } from "../formats/splunk/spl/tstats.ts"
import {
  binStep,
  EventStatsStage,
  ResultSink,
  StatsStage,
  StepStage,
  StreamStatsStage,
  unsupportedAggregates,
  type AggSpec,
  type GroupSpec,
  type Sink,
  type StageStats,
} from "./pipeline.ts"
import { compileRowStage, parseExpr, type CompiledRowStage } from "./rows.ts"
import { parseSpan } from "./time.ts"

/** How to make the first row of an event that passes the first stage. */
export type FirstRow =
  | { kind: "event" }
  /** tstats: these fields (as written) are read from the event, prefixes stripped through the data model. */
  | { kind: "fields"; fields: string[]; prefixes: string[] }

export type SplPlan = {
  first: FirstRow
  /** Fresh stage state for one hunt: push first rows into `entry`, then `entry.finish()`. */
  build(): { entry: Sink; results: ResultSink; stats: StageStats }
  /** Remarks that do not stop the plan (a pass-through stage that may matter, a default order). */
  notes: string[]
}

const bodyOf = (stage: RuleStage): string => stage.text.replace(/^\s*\|?\s*[A-Za-z_]\w*/, "")

type StageMaker = (next: Sink, stats: StageStats) => Sink

/** An aggregate as the pipeline runs it: `dc(eval(upper(user)))` computes its argument per row. */
function aggSpec(a: { fn: string; arg?: string; output: string }): AggSpec | string {
  if (a.arg === undefined) return { fn: a.fn, output: a.output }
  const arg = a.arg.replace(/^"|"$/g, "")
  const m = /^eval\(([\s\S]*)\)$/i.exec(arg)
  if (!m) return { fn: a.fn, arg, output: a.output }
  const expr = parseExpr(m[1] as string)
  return typeof expr === "string" ? `${a.fn}(${arg}): ${expr}` : { fn: a.fn, arg, output: a.output, expr }
}

function groupSpec(body: string, label: string): GroupSpec | string {
  const words = body.trim()
  const options = /^(?:\s*\w+=\S+)*/.exec(words)?.[0] ?? ""
  const clause = parseStatsClause(words.slice(options.length))
  const specs = clause.aggregates.map(aggSpec)
  const bad0 = specs.find((x): x is string => typeof x === "string")
  if (bad0) return `${label}: ${bad0}`
  const aggregates = specs as AggSpec[]
  if (!aggregates.length) return `${label}: no aggregate`
  const bad = unsupportedAggregates(aggregates)
  if (bad) return `${label}: ${bad}`
  return { aggregates, by: clause.by.map((b) => b.replace(/,$/, "")).filter((b) => b !== ""), label }
}

function binMaker(body: string): StageMaker | string {
  const words = body.trim().split(/\s+/)
  let span: number | undefined
  let field: string | undefined
  let as: string | undefined
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    const m = /^span=(.+)$/i.exec(w)
    if (m) span = parseSpan(m[1] as string)
    else if (/^as$/i.test(w)) as = words[++i]
    else if (!w.includes("=")) field = w
    else return `bin: option ${w} is not run yet`
  }
  if (span === undefined || field === undefined) return "bin: needs a field and a span= this engine reads"
  const step = binStep(field, span, as ?? field)
  return (next, stats) => new StepStage(step, next, stats)
}

function stageMaker(stage: RuleStage): StageMaker | string {
  const body = bodyOf(stage)
  const cmd = stage.command
  if (cmd === "stats" || cmd === "eventstats" || cmd === "streamstats") {
    if (cmd !== "stats" && /^\s*\w+=/.test(body)) return `${cmd} with options is not run yet`
    const spec = groupSpec(body, `${cmd} (stage ${stage.index + 1})`)
    if (typeof spec === "string") return spec
    if (cmd === "stats") return (next, stats) => new StatsStage(spec, next, stats)
    if (cmd === "eventstats") return (next, stats) => new EventStatsStage(spec, next, stats)
    return (next, stats) => new StreamStatsStage(spec, next, stats)
  }
  if (cmd === "bin" || cmd === "bucket") return binMaker(body)
  const c: CompiledRowStage = compileRowStage(cmd, body)
  if ("unsupported" in c) return c.unsupported
  // Row stages may hold state (dedup, head): compile again for each hunt.
  return (next, stats) => {
    const fresh = compileRowStage(cmd, body)
    return new StepStage("step" in fresh ? fresh.step : () => [], next, stats)
  }
}

/** The plan of a Splunk rule, or why it cannot be hunted. */
export function splPlan(analysis: RuleAnalysis): SplPlan | { reason: string } {
  const [first, ...rest] = analysis.stages
  if (!first) return { reason: "the rule has no stage" }
  if (first.predicate === undefined && first.command !== "tstats")
    return { reason: `the first stage (${first.command}) is not an event search` }
  const notes: string[] = []
  const makers: StageMaker[] = []
  let firstRow: FirstRow = { kind: "event" }
  if (first.command === "tstats") {
    const info = parseTstats(bodyOf(first))
    const byText = /\bby\b([\s\S]*)$/i.exec(bodyOf(first).replace(/"[^"]*"/g, (m) => " ".repeat(m.length)))?.[1] ?? ""
    const spanText = /\bspan\s*=\s*(\S+)/i.exec(byText)?.[1]
    const span = spanText === undefined ? undefined : parseSpan(spanText)
    if (spanText !== undefined && span === undefined) return { reason: `tstats: span=${spanText} is not read` }
    const aggregates = info.aggregates.map((a) =>
      a.arg === undefined ? { fn: a.fn, output: a.output } : { fn: a.fn, arg: a.arg, output: a.output },
    )
    const bad = unsupportedAggregates(aggregates)
    if (bad) return { reason: `tstats: ${bad}` }
    // ESCU's tstats macro sets `fillnull_value=null`: a missing BY field reads as the text "null".
    const fill = info.fillnull === undefined ? undefined : info.fillnull
    const spec: GroupSpec = { aggregates, by: info.by.map((b) => b.replace(/,$/, "")), label: "tstats (stage 1)" }
    if (fill !== undefined) spec.fill = fill
    if (span !== undefined) spec.span = span
    makers.push((next, stats) => new StatsStage(spec, next, stats))
    const fields = [...new Set([...spec.by, ...aggregates.flatMap((a) => (a.arg === undefined ? [] : [a.arg]))])]
    firstRow = { kind: "fields", fields, prefixes: analysis.prefixes ?? [] }
  } else if (!first.evaluable) return { reason: first.reason ?? `the first stage (${first.command}) cannot be run` }
  for (const stage of rest) {
    const m = stageMaker(stage)
    if (typeof m === "string") return { reason: `stage ${stage.index + 1}: ${m}` }
    makers.push(m)
  }
  return {
    first: firstRow,
    notes,
    build() {
      const results = new ResultSink()
      const stats: StageStats = { undecided: 0, truncated: [] }
      let sink: Sink = results
      for (let i = makers.length - 1; i >= 0; i--) sink = makers[i]!(sink, stats)
      return { entry: sink, results, stats }
    },
  }
}
