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
  EventStatsStage,
  newStageStats,
  ResultSink,
  StatsStage,
  StepStage,
  StreamStatsStage,
  unsupportedAggregates,
  type AggSpec,
  type GroupSpec,
  type Sink,
  type StageLimits,
  type StageStats,
} from "./pipeline.ts"
import { unsupportedIn } from "../formats/splunk/spl/eval-interp.ts"
import { parseEval, type Expr } from "../formats/splunk/spl/eval-parser.ts"
import { buildRowPlan } from "../formats/splunk/spl/row-plan.ts"
import {
  compileRowPlan,
  runRows,
  type LookupTable,
  type RowPlan,
  type RowStep,
} from "../formats/splunk/spl/row-runner.ts"
import type { SplStage } from "../formats/splunk/spl/types.ts"
import {
  dedupStage,
  exprFields,
  headStage,
  normalised,
  runnerStage,
  stageFields,
  type Row,
  type RowFn,
} from "./rows.ts"
import { parseSpan } from "./time.ts"

/** How to make the first row of an event that passes the first stage. */
export type FirstRow =
  | { kind: "event" }
  /** tstats: these fields (as written) are read from the event, prefixes stripped through the data model. */
  | { kind: "fields"; fields: string[]; prefixes: string[] }

export type SplPlan = {
  first: FirstRow
  /**
   * Set when the pipeline starts with an aggregation (`tstats`, or per-row stages then `stats`):
   * plans with the same key compute the same rows up to and including it (same stage texts after
   * macro expansion: filter, data model, BY fields, span, figures), so one state of those stages
   * (`buildHead`) can feed every such rule's own later stages (`buildRest`).
   */
  shareKey?: string
  /**
   * Whether a row of the head's last stage (a `stats`/`tstats` group: its BY values, its figures
   * not known yet) can still give a result: false when the per-row stages after it drop it by what
   * they test of its BY values alone (a `regex`, `lookup` then `search`, `where` on a BY field…).
   * Such a group is never kept (StatsStage.admit). Undefined when nothing after it can tell.
   */
  admit?: (row: Row) => boolean
  /**
   * Fresh state of the shareable first stages, sending their rows to `next` (`entry` is `next`
   * itself when there are none); `group` is the head's last stage when it is a `stats`/`tstats`.
   */
  buildHead(next: Sink, stats: StageStats): { entry: Sink; group?: StatsStage }
  /** Fresh state of the stages after the head, ending in the rule's results. */
  buildRest(stats: StageStats): { entry: Sink; results: ResultSink }
  /** Fresh stage state for one hunt, unshared: push first rows into `entry`, then `entry.finish()`. */
  build(limits?: Partial<StageLimits>): { entry: Sink; results: ResultSink; stats: StageStats }
  /** Remarks that do not stop the plan (a pass-through stage that may matter, a default order). */
  notes: string[]
}

const bodyOf = (stage: RuleStage): string => stage.text.replace(/^\s*\|?\s*[A-Za-z_]\w*/, "")

type StageMaker = ((next: Sink, stats: StageStats) => Sink) & {
  /** A per-row stage: its runner steps and row function (what a group's admission can run ahead). */
  row?: { steps: RowStep[]; fn: RowFn }
  /** A `stats`/`tstats` stage: its spec. */
  group?: GroupSpec
}

const groupMaker = (spec: GroupSpec): StageMaker =>
  Object.assign((next: Sink, stats: StageStats) => new StatsStage(spec, next, stats), { group: spec })

const rowMaker = (steps: RowStep[], fn: RowFn): StageMaker =>
  Object.assign((next: Sink, stats: StageStats) => new StepStage(fn, next, stats), { row: { steps, fn } })

/** Whitespace-collapsed stage text: the part of a share key one stage gives. */
const keyText = (stage: RuleStage): string => stage.text.replace(/\s+/g, " ").trim()

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

/** A parsed eval expression, or why the interpreter cannot run it. */
function parseExpr(text: string): Expr | string {
  const { expr, errors } = parseEval(text)
  if (errors.length) return errors.join("; ")
  const bad = unsupportedIn(expr)
  return bad.size ? `${[...bad].join(", ")}() cannot be computed` : expr
}

type Lookups = ((name: string) => LookupTable | undefined) | undefined

function stageMaker(
  stage: RuleStage,
  rowPlan: RowPlan | undefined,
  lookups: Lookups,
  binned?: number,
): StageMaker | string {
  const body = bodyOf(stage)
  const cmd = stage.command
  if (cmd === "stats" || cmd === "eventstats" || cmd === "streamstats") {
    if (cmd !== "stats" && /^\s*\w+=/.test(body)) return `${cmd} with options is not run yet`
    const spec = groupSpec(body, `${cmd} (stage ${stage.index + 1})`)
    if (typeof spec === "string") return spec
    if (cmd === "stats") {
      if (binned !== undefined && spec.by.includes("_time")) spec.binned = binned
      return groupMaker(spec)
    }
    if (cmd === "eventstats") return (next, stats) => new EventStatsStage(spec, next, stats)
    return (next, stats) => new StreamStatsStage(spec, next, stats)
  }
  // Stages whose meaning spans rows; made fresh for each hunt (they hold state).
  const rowsWide = cmd === "dedup" ? dedupStage : cmd === "head" ? headStage : undefined
  if (rowsWide) {
    const probe = rowsWide(body)
    if ("unsupported" in probe) return probe.unsupported
    return (next, stats) => new StepStage(rowsWide(body) as RowFn, next, stats)
  }
  if (cmd === "tail" || cmd === "reverse" || cmd === "sort")
    return cmd === "sort" ? (next) => next : `\`${cmd}\` is not run over a log yet`
  const steps = (rowPlan?.steps ?? []).filter((st) => st.stage === stage.index)
  if (!steps.length) return `\`${cmd}\` is not run over a log yet`
  const fn = runnerStage(steps, rowPlan?.searchmatch, lookups)
  if ("unsupported" in fn) return fn.unsupported
  return rowMaker(steps, fn)
}

/** Commands whose meaning spans rows or that the plan handles itself: never fused. */
const ROW_ONLY = new Set(["stats", "eventstats", "streamstats", "dedup", "head", "tail", "reverse", "sort"])

/**
 * Steps that never drop a row and make at most one: rename, reformat, drop or compute fields. A
 * run of them gives what the stages one by one give, but for the hunt's normalising of the row
 * between stages (numbers to text, a one-value list to its text, empty and true/false values
 * dropped): `joins` keeps a step that reads what an earlier `eval` of the run wrote out of it,
 * and fusedStage takes a row stage by stage when its own values could normalise differently.
 */
function fusableStep(st: RowStep): boolean {
  if (st.k === "rename" || st.k === "convert" || st.k === "fields" || st.k === "pass") return true
  if (st.k !== "eval") return false
  const reads = new Set<string>()
  return st.assign.every((a) => !/[*{]/.test(a.name) && exprFields(a.expr, reads))
}

/** Whether steps may join a run whose evals wrote `evalWrites`: none reads or moves what they wrote. */
function joins(evalWrites: Set<string>, steps: RowStep[]): boolean {
  if (evalWrites.size === 0) return true
  for (const st of steps) {
    if (st.k === "rename" || st.k === "fields") return false
    if (st.k === "convert" && st.items.some((it) => evalWrites.has(it.field) || evalWrites.has(it.as))) return false
    if (st.k === "eval") {
      const reads = new Set<string>()
      for (const a of st.assign) exprFields(a.expr, reads)
      for (const f of reads) if (evalWrites.has(f)) return false
    }
  }
  return true
}

/**
 * Stages of fusable steps as one row function: one runner call for the run of them instead of
 * one each (a `convert`, `convert`, `rename`, `eval`… after a tstats costs one pass over each
 * group's row). A row goes stage by stage, as the stages are written, when a value of it is a
 * list of at most one value (normalising between stages would change it, or drop it before a
 * later rename could move it), or when the run stops early or is undecided (a stage alone would
 * still run the steps after it).
 */
function fusedStage(steps: RowStep[], fns: RowFn[], searchmatch: RowPlan["searchmatch"], lookups: Lookups): RowFn {
  const compiled = compileRowPlan(searchmatch ? { steps, searchmatch } : { steps })
  const options = lookups ? { lookups } : {}
  const apart: RowFn = (row) => {
    let rows = [row]
    for (const fn of fns) {
      const next: Row[] = []
      for (const r of rows) {
        const out = fn(r)
        if (out === "unknown") return "unknown"
        next.push(...out)
      }
      rows = next
    }
    return rows
  }
  return (row) => {
    for (const k in row) {
      const v = row[k]!
      if (typeof v !== "string" && v.length <= 1) return apart(row)
    }
    const r = runRows(compiled, row, options)
    if (r.verdict !== true || r.stoppedAt !== undefined || r.rows.length !== 1) return apart(row)
    return [normalised(r.rows[0]!)]
  }
}

/** The plan of a Splunk rule, or why it cannot be hunted. */
export function splPlan(analysis: RuleAnalysis, lookups?: Lookups): SplPlan | { reason: string } {
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
    makers.push(groupMaker(spec))
    const fields = [...new Set([...spec.by, ...aggregates.flatMap((a) => (a.arg === undefined ? [] : [a.arg]))])]
    firstRow = { kind: "fields", fields, prefixes: analysis.prefixes ?? [] }
  } else if (!first.evaluable) return { reason: first.reason ?? `the first stage (${first.command}) cannot be run` }
  // The runner's steps for the per-row stages (the stage texts parsed as the single-event path does).
  const rowPlan = buildRowPlan(analysis.stages as unknown as SplStage[], undefined)
  // Consecutive stages that only move, reformat or compute fields run as one (see fusedStage).
  let run: { steps: RowStep[]; fns: RowFn[]; evalWrites: Set<string> } | undefined
  const flush = () => {
    if (!run) return
    const fn = run.fns.length === 1 ? run.fns[0]! : fusedStage(run.steps, run.fns, rowPlan?.searchmatch, lookups)
    makers.push(rowMaker(run.steps, fn))
    run = undefined
  }
  // Where the shareable head ends: the makers up to and including the first aggregation.
  let headEnd = first.command === "tstats" ? 1 : -1
  let headStage = first.command === "tstats" ? 0 : -1
  // `bin _time span=` seen before the first aggregation, with nothing rewriting `_time` after it.
  let binned: number | undefined
  for (const stage of rest) {
    const steps = (rowPlan?.steps ?? []).filter((st) => st.stage === stage.index)
    if (headEnd < 0)
      for (const st of steps) {
        if (st.k === "bin" && st.field === "_time" && st.as === "_time") binned = st.span
        else if (writesTime(st)) binned = undefined
      }
    const fusable = !ROW_ONLY.has(stage.command) && steps.length > 0 && steps.every(fusableStep)
    if (fusable) {
      const fn = runnerStage(steps, rowPlan?.searchmatch, lookups)
      if (!("unsupported" in fn)) {
        if (run && !joins(run.evalWrites, steps)) flush()
        run ??= { steps: [], fns: [], evalWrites: new Set() }
        run.steps.push(...steps)
        run.fns.push(fn)
        for (const st of steps) if (st.k === "eval") for (const a of st.assign) run.evalWrites.add(a.name)
        continue
      }
    }
    flush()
    const aggregate = stage.command === "stats" || stage.command === "eventstats" || stage.command === "streamstats"
    const m = stageMaker(stage, rowPlan, lookups, headEnd < 0 ? binned : undefined)
    if (typeof m === "string") return { reason: `stage ${stage.index + 1}: ${m}` }
    makers.push(m)
    if (aggregate && headEnd < 0) {
      headEnd = makers.length
      headStage = stage.index
    }
  }
  flush()
  const chain = (from: number, to: number, next: Sink, stats: StageStats): Sink => {
    let sink = next
    for (let i = to - 1; i >= from; i--) sink = makers[i]!(sink, stats)
    return sink
  }
  /** The head, with its last stage when that is a group stage. */
  const head0 = (next: Sink, stats: StageStats): { entry: Sink; group?: StatsStage } => {
    if (headEnd <= 0) return { entry: next }
    const last = makers[headEnd - 1]!(next, stats)
    const entry = chain(0, headEnd - 1, last, stats)
    return last instanceof StatsStage ? { entry, group: last } : { entry }
  }
  const head = Math.max(0, headEnd)
  const plan: SplPlan = {
    first: firstRow,
    notes,
    buildHead: head0,
    buildRest(stats) {
      const results = new ResultSink()
      return { entry: chain(head, makers.length, results, stats), results }
    },
    build(limits) {
      const results = new ResultSink()
      const stats = newStageStats(limits)
      const h = head0(chain(head, makers.length, results, stats), stats)
      if (h.group && plan.admit) h.group.admit = plan.admit
      return { entry: h.entry, results, stats }
    },
  }
  const group = headEnd > 0 ? makers[headEnd - 1]!.group : undefined
  if (group) {
    const admit = admission(group, makers.slice(headEnd))
    if (admit) plan.admit = admit
  }
  if (headEnd > 0)
    plan.shareKey = analysis.stages
      .slice(0, headStage + 1)
      .map(keyText)
      .join(" | ")
  return plan
}

/** Whether a runner step may write `_time` (a `bin` before it no longer holds). */
function writesTime(st: RowStep): boolean {
  switch (st.k) {
    case "eval":
      return st.assign.some((a) => a.name === "_time" || /[*{]/.test(a.name))
    case "rename":
      return st.pairs.some((p) => p.to === "_time" || p.to.includes("*"))
    case "convert":
      return st.items.some((it) => it.as === "_time" || it.as.includes("*"))
    case "bin":
      return st.as === "_time"
    case "rex":
      return st.names.includes("_time") || st.field === "_time"
    case "lookup":
      return st.outputs.length === 0 || st.outputs.some((o) => o.field === "_time")
    case "fillnull":
    case "sed":
    case "replace":
      return true
    case "filter":
    case "where":
    case "fields":
    case "pass":
      return false
    default:
      return true
  }
}

/**
 * A group's admission (SplPlan.admit): the per-row stages after a `stats`/`tstats`, up to the
 * first that reads a figure (or a field computed, renamed, converted or looked up from one) in a
 * filter, or that cannot be followed field by field. Their outcome on a row then depends on its
 * BY values alone, so a row of the BY values they drop is dropped whatever the figures turn out
 * to be, and the group need not be kept. Undefined when no such stage filters.
 */
function admission(spec: GroupSpec, rest: StageMaker[]): ((row: Row) => boolean) | undefined {
  const tainted = new Set(spec.aggregates.map((a) => a.output))
  // Fields every group row holds, from its BY values alone: a rename of one overwrites its target.
  const present = new Set(spec.by.filter((b) => !tainted.has(b)))
  const fns: RowFn[] = []
  let upTo = 0
  for (const m of rest) {
    if (!m.row) break
    const filters = followTaint(m.row.steps, tainted, present)
    if (filters === undefined) break
    fns.push(m.row.fn)
    if (filters) upTo = fns.length
  }
  if (upTo === 0) return undefined
  const run = fns.slice(0, upTo)
  const decide = (row: Row): boolean => {
    let rows = [row]
    for (const fn of run) {
      const next: Row[] = []
      for (const r of rows) {
        const out = fn(r)
        if (out === "unknown") return true
        next.push(...out)
      }
      if (next.length === 0) return false
      rows = next
    }
    return true
  }
  // The answer depends on a few BY values only (a lookup on the process name, a where on the
  // host): remembered by them, while that pays (a key that rarely repeats stops the memo).
  const deps = filterDeps(
    spec,
    rest.slice(0, run.length).flatMap((m) => m.row!.steps),
  )
  if (!deps || deps.length === spec.by.length) return decide
  let memo: Map<string, boolean> | undefined = new Map()
  let tries = 0
  let hits = 0
  return (row) => {
    if (!memo) return decide(row)
    let key = ""
    for (const d of deps) {
      const v = row[d]
      key += `${typeof v === "string" ? v : JSON.stringify(v ?? null)}\u0000`
    }
    const got = memo.get(key)
    tries++
    if (got !== undefined) {
      hits++
      return got
    }
    const out = decide(row)
    if (memo.size >= MAX_ADMIT_MEMO) memo.clear()
    memo.set(key, out)
    if (tries === 2048 && hits < 256) memo = undefined
    return out
  }
}

/** Admission answers remembered per stage (then the memo starts over). */
const MAX_ADMIT_MEMO = 4096

/**
 * The BY fields the filters among `steps` depend on, following each field's value back through
 * renames, evals, converts, rex and lookups to the BY values it came from; undefined when some
 * value cannot be followed. A group row holds its BY fields and figures only, and the filters
 * read no figure (admission), so their outcome is fixed by these BY values.
 */
function filterDeps(spec: GroupSpec, steps: RowStep[]): string[] | undefined {
  type Deps = Set<string> | undefined
  const from = new Map<string, Deps>(spec.by.map((b) => [b, new Set([b])]))
  // After a step writing names that cannot be known (a lookup of every column), unknown names are unknown.
  let opaque = false
  const of = (name: string): Deps => (from.has(name) ? from.get(name) : opaque ? undefined : new Set())
  const union = (names: Iterable<string>, base?: Deps): Deps => {
    const out = new Set(base ?? [])
    for (const n of names) {
      const d = of(n)
      if (d === undefined) return undefined
      for (const x of d) out.add(x)
    }
    return out
  }
  const read = new Set<string>()
  const reads = (d: Deps): boolean => {
    if (d === undefined) return false
    for (const x of d) read.add(x)
    return true
  }
  for (const st of steps) {
    switch (st.k) {
      case "pass":
      case "fields":
      case "fillnull":
      case "sed":
        break
      case "filter":
      case "where": {
        const f = stageFields([st])
        if (!f || !reads(union(f))) return undefined
        break
      }
      case "eval":
        for (const a of st.assign) {
          const f = new Set<string>()
          if (!exprFields(a.expr, f)) return undefined
          // An eval reading its own target reads the old value.
          from.set(a.name, union(f))
        }
        break
      case "convert":
        for (const it of st.items) from.set(it.as, union([it.field], it.as === it.field ? undefined : of(it.as)))
        break
      case "bin":
        from.set(st.as, union([st.field]))
        break
      case "rex":
        for (const n of st.names) from.set(n, union([st.field], of(n)))
        break
      case "rename":
        for (const { from: a, to } of st.pairs) {
          if (a.includes("*") || to.includes("*")) {
            if (opaque) return undefined
            const re = globRe(a)
            for (const name of [...from.keys()]) {
              const m = re.exec(name)
              if (!m) continue
              let k = 1
              const target = to.replace(/\*/g, () => m[k++] ?? "")
              from.set(target, union([name], of(target)))
              from.delete(name)
            }
          } else {
            from.set(to, union([a], of(to)))
            from.delete(a)
          }
        }
        break
      case "lookup": {
        const d = union(st.inputs.map((i) => i.field))
        if (st.outputs.length === 0) opaque = true
        for (const o of st.outputs) from.set(o.field, d === undefined ? undefined : union([o.field], d))
        break
      }
      default:
        return undefined
    }
  }
  return spec.by.filter((b) => read.has(b))
}

/** A field-name pattern with `*` as a regex capturing each `*`. */
const globRe = (p: string): RegExp =>
  new RegExp(
    `^${p
      .split("*")
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("(.*)")}$`,
  )

/**
 * Carries the fields that hold or derive from a figure (`tainted`) through one stage's steps, and
 * the fields every row surely holds from its BY values (`present`): a rename moves a present
 * field's value over its target, which then no longer holds a figure. Returns whether a step
 * filters (on untainted fields only), or undefined when a step filters on a tainted field or
 * cannot be followed.
 */
function followTaint(steps: RowStep[], tainted: Set<string>, present: Set<string>): boolean | undefined {
  let filters = false
  const reads = (names: Iterable<string>) => {
    for (const n of names) if (tainted.has(n)) return true
    return false
  }
  for (const st of steps) {
    switch (st.k) {
      case "pass":
      case "fillnull":
        break
      case "fields":
        present.clear()
        break
      case "filter":
      case "where": {
        const f = stageFields([st])
        if (!f || reads(f)) return undefined
        // A filter reading no field (`search *`) drops nothing by the BY values.
        if (f.size > 0) filters = true
        break
      }
      case "eval":
        for (const a of st.assign) {
          if (/[*{]/.test(a.name)) return undefined
          const f = new Set<string>()
          if (!exprFields(a.expr, f)) return undefined
          if (reads(f)) tainted.add(a.name)
          present.delete(a.name)
        }
        break
      case "convert":
        for (const it of st.items) {
          if (it.field.includes("*") || it.as.includes("*")) return undefined
          if (tainted.has(it.field)) tainted.add(it.as)
          present.delete(it.as)
        }
        break
      case "bin":
        if (tainted.has(st.field)) tainted.add(st.as)
        present.delete(st.as)
        break
      case "rex":
        if (tainted.has(st.field)) for (const n of st.names) tainted.add(n)
        for (const n of st.names) present.delete(n)
        break
      case "sed":
        present.delete(st.field)
        break
      case "rename":
        for (const { from, to } of st.pairs) {
          // Each field the pattern matches, with its new name (the runner's moves).
          const moves: Array<[string, string]> = []
          if (!from.includes("*")) {
            if (to.includes("*")) return undefined
            if (from !== to) moves.push([from, to])
          } else {
            const re = globRe(from)
            for (const name of new Set([...tainted, ...present])) {
              const m = re.exec(name)
              if (!m) continue
              let k = 1
              moves.push([name, to.replace(/\*/g, () => m[k++] ?? "")])
            }
          }
          const fromFigure = new Set(moves.filter(([a]) => tainted.has(a)).map(([, b]) => b))
          const fromBy = moves.filter(([a]) => present.has(a) && !tainted.has(a)).map(([, b]) => b)
          for (const [a] of moves) present.delete(a)
          for (const b of fromBy)
            if (!fromFigure.has(b)) {
              tainted.delete(b)
              present.add(b)
            }
          for (const b of fromFigure) {
            tainted.add(b)
            present.delete(b)
          }
        }
        break
      case "lookup": {
        const fromFigure = st.inputs.some((i) => tainted.has(i.field))
        if (st.outputs.length === 0) {
          if (fromFigure || st.outputNew) return undefined
          break
        }
        // OUTPUTNEW writes only where the field is absent: a figure's name then decides what it writes.
        for (const o of st.outputs) {
          if (fromFigure || (st.outputNew && tainted.has(o.field))) tainted.add(o.field)
          present.delete(o.field)
        }
        break
      }
      default:
        return undefined
    }
  }
  return filters
}
