/**
 * Builds the row runner's plan (row-runner.ts) from an analysed pipeline: each stage's text
 * parsed into an executable step.
 *
 * Owns: the syntax of the per-event transform commands as the runner needs it (eval
 * assignments, rex and sed options, rename pairs, fillnull, spath, makemv, mvexpand, lookup
 * inputs/outputs, fields/table, convert ctime, bin span, stats clauses), and `runnable`, which
 * says whether every step up to a stage can run without data the build does not have.
 *
 * Invariants: never throws; a stage it cannot read becomes a `stop` step with the reason, never
 * a silent pass. Called at build time (imports the parsers); the plan is plain JSON.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { compileRegex } from "../../../predicate/regex.ts"
import { walkLeaves } from "../../../predicate/build.ts"
import type { Predicate } from "../../../predicate/types.ts"
import { FILTER_COMMANDS, blockerFor } from "./commands.ts"
import { unsupportedIn } from "./eval-interp.ts"
import { exprFields, parseEval, type Expr } from "./eval-parser.ts"
import { parseFilter } from "./filters.ts"
import { splitArgs } from "./macros.ts"
import { FOREACH_FIELD, FOREACH_MATCH, type RowAggregate, type RowPlan, type RowStep } from "./row-runner.ts"
import { parseSearch } from "./search-parser.ts"
import { parseStatsClause, topLevelWords } from "./stats.ts"
import { unescapeSpl, unquote } from "./text.ts"
import { parseTstats } from "./tstats.ts"
import type { DataModelInfo, SplStage } from "./types.ts"

const unq = (s: string): string => s.replace(/^["']|["']$/g, "")

/** Commands that only pass a single row through (ordering, de-duplication, display). */
const PASS = new Set([
  "dedup",
  "sort",
  "head",
  "tail",
  "reverse",
  "fieldformat",
  "addinfo",
  "localize",
  "typer",
  "tags",
  "format",
  "setfields",
  "nomv",
  "mvcombine",
  "strcat",
  "rangemap",
  "xmlkv",
  "fromjson",
  "kv",
  "extract",
])

/** Commands that add fields to a row and never drop it. */
const ENRICH = new Set(["lookup", "iplocation", "eventstats", "streamstats"])

function option(words: string[], name: string): string | undefined {
  const w = words.find((x) => x.toLowerCase().startsWith(`${name}=`))
  return w === undefined ? undefined : unquote(w.slice(name.length + 1))
}

/** Number of seconds in a `span=` value (`1h`, `5m`, `30s`, `1d`), or undefined. */
export function spanSeconds(span: string): number | undefined {
  const m = /^(\d+)(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)?$/i.exec(span)
  if (!m) return undefined
  const n = Number(m[1])
  const u = (m[2] ?? "s").toLowerCase()
  return n * (u.startsWith("s") ? 1 : u.startsWith("m") ? 60 : u.startsWith("h") ? 3600 : 86400)
}

function evalStep(stage: number, body: string): RowStep {
  const assign: Array<{ name: string; expr: Expr }> = []
  for (const part of splitArgs(body)) {
    if (part.trim() === "") continue
    const m = /^\s*('?)([^=']+?)\1\s*=(?!=)([\s\S]*)$/.exec(part)
    if (!m) return { k: "stop", stage, reason: `cannot read the eval assignment ${part.trim()}`, drops: false }
    const { expr, errors } = parseEval(m[3] as string)
    if (errors.length) return { k: "stop", stage, reason: `eval: ${errors.join("; ")}`, drops: false }
    assign.push({ name: (m[2] as string).trim(), expr })
  }
  return { k: "eval", stage, assign }
}

function rexStep(stage: number, body: string): RowStep {
  const words = topLevelWords(body).map((w) => w.w)
  const quoted = words.find((w) => w.startsWith('"'))
  if (quoted === undefined) return { k: "stop", stage, reason: "rex without a quoted regular expression", drops: false }
  const field = unq(option(words, "field") ?? "_raw")
  const text = unescapeSpl(quoted.slice(1, quoted.endsWith('"') && quoted.length > 1 ? -1 : undefined))
  if ((option(words, "mode") ?? "").toLowerCase() === "sed") {
    const m = /^s(.)((?:\\.|(?!\1)[\s\S])*)\1((?:\\.|(?!\1)[\s\S])*)\1([gi\d]*)$/.exec(text)
    if (!m) return { k: "stop", stage, reason: `rex mode=sed expression not supported: ${text}`, drops: false }
    const flags = m[4] as string
    const nth = /\d+/.exec(flags)
    const pattern = (flags.includes("i") ? "(?i)" : "") + (m[2] as string)
    return {
      k: "sed",
      stage,
      field,
      pattern,
      replacement: m[3] as string,
      global: flags.includes("g"),
      nth: nth ? Number(nth[0]) : 1,
    }
  }
  const names = [...text.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)].map((m) => m[1] as string)
  const max = option(words, "max_match")
  const maxMatch = max === undefined ? 1 : Number(max) === 0 ? 10_000 : Math.max(1, Number(max) || 1)
  return { k: "rex", stage, field, pattern: text, names, maxMatch }
}

function renameStep(stage: number, body: string): RowStep {
  const words = topLevelWords(body, true).map((w) => unq(w.w))
  const pairs: Array<{ from: string; to: string }> = []
  for (let i = 0; i + 2 < words.length; i++) {
    if (/^as$/i.test(words[i + 1] as string)) {
      pairs.push({ from: words[i] as string, to: words[i + 2] as string })
      i += 2
    }
  }
  return { k: "rename", stage, pairs }
}

function lookupStep(stage: number, body: string): RowStep {
  const words = topLevelWords(body, true)
    .map((w) => w.w)
    .filter((w) => !/^(local|update|event_time_field)=/i.test(w))
  const table = words.shift()
  if (!table) return { k: "stop", stage, reason: "lookup without a table name", drops: false }
  const outAt = words.findIndex((w) => /^output(new)?$/i.test(w))
  const pairs = (ws: string[]) => {
    const out: Array<{ column: string; field: string }> = []
    for (let i = 0; i < ws.length; i++) {
      const column = unq(ws[i] as string)
      if (/^as$/i.test(ws[i + 1] ?? "") && ws[i + 2] !== undefined) {
        out.push({ column, field: unq(ws[i + 2] as string) })
        i += 2
      } else out.push({ column, field: column })
    }
    return out
  }
  const inputs = pairs(outAt < 0 ? words : words.slice(0, outAt))
  const outputs = outAt < 0 ? [] : pairs(words.slice(outAt + 1))
  if (!inputs.length) return { k: "stop", stage, reason: "lookup without an input field", drops: false }
  return { k: "lookup", stage, table: unq(table), inputs, outputs, outputNew: outAt >= 0 && /new$/i.test(words[outAt] as string) }
}

function transformStep(stage: number, command: string, body: string): RowStep {
  const words = topLevelWords(body, true).map((w) => w.w)
  switch (command) {
    case "eval":
      return evalStep(stage, body)
    case "rex":
      return rexStep(stage, body)
    case "rename":
      return renameStep(stage, body)
    case "fillnull": {
      const fields = words.filter((w) => !/^value=/i.test(w)).map(unq)
      return { k: "fillnull", stage, value: option(words, "value") ?? "0", fields }
    }
    case "spath": {
      const bare = words.find((w) => !w.includes("="))
      const step: RowStep = { k: "spath", stage, input: unq(option(words, "input") ?? "_raw") }
      const path = option(words, "path") ?? (bare === undefined ? undefined : unq(bare))
      const output = option(words, "output")
      if (path !== undefined) step.path = path
      if (output !== undefined) step.output = unq(output)
      return step
    }
    case "makemv": {
      const field = words.filter((w) => !w.includes("=")).pop()
      if (!field) return { k: "stop", stage, reason: "makemv without a field", drops: false }
      const step: RowStep = {
        k: "makemv",
        stage,
        field: unq(field),
        allowEmpty: (option(words, "allowempty") ?? "false").toLowerCase() === "true",
      }
      const delim = option(words, "delim")
      const tokenizer = option(words, "tokenizer")
      if (delim !== undefined) step.delim = delim
      if (tokenizer !== undefined) step.tokenizer = tokenizer
      return step
    }
    case "mvexpand": {
      const field = words.find((w) => !w.includes("="))
      if (!field) return { k: "stop", stage, reason: "mvexpand without a field", drops: false }
      const limit = option(words, "limit")
      return limit === undefined
        ? { k: "mvexpand", stage, field: unq(field) }
        : { k: "mvexpand", stage, field: unq(field), limit: Number(limit) || 1 }
    }
    case "lookup":
      return lookupStep(stage, body)
    case "fields":
    case "table": {
      const minus = words[0] === "-"
      const names = words.filter((w) => w !== "-" && w !== "+").map(unq)
      return { k: "fields", stage, keep: !minus, names }
    }
    case "convert": {
      const format = option(words, "timeformat") ?? "%m/%d/%Y %H:%M:%S"
      const items: Array<{ field: string; as: string }> = []
      const rest = topLevelWords(body).map((w) => w.w).filter((w) => !/^timeformat=/i.test(w))
      for (let i = 0; i < rest.length; i++) {
        const m = /^ctime\(([^)]*)\)$/i.exec(rest[i] as string)
        if (!m) return { k: "stop", stage, reason: `convert ${rest[i]} is not supported`, drops: false }
        const field = unq((m[1] as string).trim())
        if (/^as$/i.test(rest[i + 1] ?? "") && rest[i + 2]) {
          items.push({ field, as: unq(rest[i + 2] as string) })
          i += 2
        } else items.push({ field, as: field })
      }
      return { k: "convert", stage, format, items }
    }
    case "bin":
    case "bucket": {
      const span = option(words, "span")
      const seconds = span === undefined ? undefined : spanSeconds(span)
      const plain = topLevelWords(body).map((w) => w.w).filter((w) => !w.includes("="))
      const field = plain[0] ? unq(plain[0]) : undefined
      if (seconds === undefined || !field)
        return { k: "stop", stage, reason: `${command} without a time span is not supported`, drops: false }
      const asAt = plain.findIndex((w) => /^as$/i.test(w))
      return { k: "bin", stage, field, span: seconds, as: asAt > 0 && plain[asAt + 1] ? unq(plain[asAt + 1] as string) : field }
    }
    case "stats":
    case "eventstats":
    case "streamstats": {
      const clause = parseStatsClause(body)
      const aggregates: RowAggregate[] = clause.aggregates.map((a) =>
        a.arg === undefined ? { fn: a.fn, output: a.output } : { fn: a.fn, arg: unq(a.arg), output: a.output },
      )
      return { k: "stats", stage, by: clause.by.map(unq), aggregates, command }
    }
  }
  if (command === "replace") {
    const all = topLevelWords(body, true).map((w) => w.w)
    const inAt = all.findIndex((w) => /^in$/i.test(w))
    const head = inAt < 0 ? all : all.slice(0, inAt)
    const pairs: Array<{ from: string; to: string }> = []
    for (let i = 0; i < head.length; i += 3) {
      if (!/^with$/i.test(head[i + 1] ?? "") || head[i + 2] === undefined)
        return { k: "stop", stage, reason: "cannot read the replace command", drops: false }
      pairs.push({ from: unquote(head[i] as string), to: unquote(head[i + 2] as string) })
    }
    return { k: "replace", stage, pairs, fields: inAt < 0 ? [] : all.slice(inAt + 1).map(unq) }
  }
  if (command === "foreach") {
    const open = body.indexOf("[")
    const close = body.lastIndexOf("]")
    const patterns = topLevelWords(open < 0 ? body : body.slice(0, open)).map((w) => unq(w.w))
    const inner = open < 0 || close < open ? "" : body.slice(open + 1, close).trim()
    const m = /^eval\s+([\s\S]*)$/i.exec(inner)
    if (!m || patterns.some((p) => p.includes("=")) || !patterns.length)
      return { k: "stop", stage, reason: "`foreach` other than one eval over the event's own fields is not run", drops: true }
    const template = (m[1] as string)
      .replace(/<<FIELD>>/g, FOREACH_FIELD)
      .replace(/<<MATCHSTR>>/g, FOREACH_MATCH)
    const step = evalStep(stage, template)
    if (step.k !== "eval")
      return { k: "stop", stage, reason: step.k === "stop" ? step.reason : "cannot read the foreach template", drops: true }
    return { k: "foreach", stage, patterns, assign: step.assign }
  }
  if (command === "iplocation") {
    const prefix = option(words, "prefix") ?? ""
    const extra = (option(words, "allfields") ?? "").toLowerCase() === "true" ? ["Continent", "MetroCode", "Timezone"] : []
    const adds = ["City", "Country", "Region", "lat", "lon", ...extra].map((f) => prefix + f)
    return { k: "stop", stage, reason: "`iplocation` needs a GeoIP database", drops: false, adds }
  }
  if (PASS.has(command)) return { k: "pass", stage }
  const b = blockerFor(command, false)
  return {
    k: "stop",
    stage,
    reason: b?.message ?? `\`${command}\` is not run on one event`,
    drops: !ENRICH.has(command),
  }
}

function searchmatchQueries(e: Expr, out: Set<string>): void {
  if (e.k === "call") {
    if (e.fn === "searchmatch" && e.args[0]?.k === "str") out.add(e.args[0].v)
    e.args.forEach((a) => searchmatchQueries(a, out))
  } else if (e.k === "bin" || e.k === "like") {
    searchmatchQueries(e.l, out)
    searchmatchQueries(e.r, out)
  } else if (e.k === "in") {
    searchmatchQueries(e.l, out)
    e.list.forEach((a) => searchmatchQueries(a, out))
  } else if (e.k === "not" || e.k === "neg") searchmatchQueries(e.e, out)
  else if (e.k === "bool") e.args.forEach((a) => searchmatchQueries(a, out))
}

/** The plan of an analysed pipeline, or undefined when its first stage reads no events. */
export function buildRowPlan(stages: readonly SplStage[], datamodel: DataModelInfo | undefined): RowPlan | undefined {
  const s0 = stages[0]
  if (!s0 || (s0.command !== "search" && s0.command !== "tstats")) return undefined
  const steps: RowStep[] = []
  if (s0.command === "tstats") {
    const body = s0.text.replace(/^\|?\s*tstats\b/i, "")
    const info = parseTstats(body)
    const tstats: NonNullable<(RowStep & { k: "first" })["tstats"]> = {
      prefixes: datamodel?.prefixes ?? [],
      by: info.by.map(unq),
      aggregates: info.aggregates.map((a) =>
        a.arg === undefined ? { fn: a.fn, output: a.output } : { fn: a.fn, arg: unq(a.arg), output: a.output },
      ),
    }
    if (info.fillnull !== undefined) tstats.fillnull = info.fillnull
    steps.push({ k: "first", stage: 0, tstats })
  } else steps.push({ k: "first", stage: 0 })
  const queries = new Set<string>()
  for (const st of stages.slice(1)) {
    const word = /^[A-Za-z_]\w*/.exec(st.text)?.[0] ?? ""
    const command = st.command
    const body = st.text.slice(word.length)
    if (command === "macro") {
      steps.push({ k: "stop", stage: st.index, reason: "a macro in this stage could not be expanded", drops: true })
      continue
    }
    if (FILTER_COMMANDS.has(command)) {
      if (command === "where") {
        const { expr, errors } = parseEval(body)
        if (errors.length) steps.push({ k: "stop", stage: st.index, reason: `where: ${errors.join("; ")}`, drops: true })
        else {
          searchmatchQueries(expr, queries)
          steps.push({ k: "where", stage: st.index, expr })
        }
        continue
      }
      const f = parseFilter(command, body, 0, {})
      if (f.errors.length)
        steps.push({ k: "stop", stage: st.index, reason: `${command}: ${f.errors.join("; ")}`, drops: true })
      else steps.push({ k: "filter", stage: st.index, predicate: f.predicate })
      continue
    }
    if (command === "tstats") {
      steps.push({ k: "stop", stage: st.index, reason: "a later `tstats` runs another search", drops: true })
      continue
    }
    const step = transformStep(st.index, command, body)
    if (step.k === "eval") for (const a of step.assign) searchmatchQueries(a.expr, queries)
    steps.push(step)
  }
  const plan: RowPlan = { steps }
  if (queries.size) {
    const sm: Record<string, Predicate> = {}
    for (const q of queries) {
      const r = parseSearch(q)
      if (!r.errors.length) sm[q] = r.predicate
    }
    plan.searchmatch = sm
  }
  return plan
}

/**
 * Why a step cannot run on one event with the data the build has (`tables`: lookup tables
 * present), or undefined when it can: unsupported eval functions, regexes RE2 cannot run,
 * stages the runner does not execute.
 */
export function stepProblem(step: RowStep, tables: (name: string) => boolean): string | undefined {
  const fnProblem = (e: Expr): string | undefined => {
    const bad = unsupportedIn(e)
    return bad.size ? `${[...bad].join(", ")}() cannot be computed` : undefined
  }
  switch (step.k) {
    case "stop":
      return step.reason
    case "eval":
      for (const a of step.assign) {
        const p = fnProblem(a.expr)
        if (p) return p
      }
      return undefined
    case "where":
      return fnProblem(step.expr)
    case "foreach":
      for (const a of step.assign) {
        const p = fnProblem(a.expr)
        if (p) return p
      }
      return undefined
    case "rex":
    case "sed": {
      const r = compileRegex(step.pattern.replace(/\(\?P</g, "(?<"))
      return r.ok ? undefined : r.reason
    }
    case "makemv": {
      if (step.tokenizer === undefined) return undefined
      const r = compileRegex(step.tokenizer)
      return r.ok ? undefined : r.reason
    }
    case "lookup":
      return tables(step.table) ? undefined : `the lookup table ${step.table} is not in the content folder`
    case "stats":
      return step.command === "stats" ? undefined : `\`${step.command}\` combines many events`
    default:
      return undefined
  }
}

/** Fields a step reads; "all" when it may read any (free text, wildcard renames, every field). */
export function stepReads(step: RowStep): Set<string> | "all" {
  const out = new Set<string>()
  switch (step.k) {
    case "filter": {
      let all = false
      walkLeaves(step.predicate, (l) => {
        if (l.op === "keyword") all = true
        else if ("field" in l) {
          out.add(l.field)
          if (l.op === "fieldcmp") out.add(l.other)
        }
      })
      return all ? "all" : out
    }
    case "where":
      return exprFields(step.expr)
    case "eval":
      for (const a of step.assign) exprFields(a.expr, out)
      return out
    case "foreach":
      return "all"
    case "rex":
    case "sed":
    case "makemv":
    case "mvexpand":
      return new Set([step.field])
    case "spath":
      return new Set([step.input])
    case "lookup":
      return new Set(step.inputs.map((i) => i.field))
    case "convert":
      return new Set(step.items.map((i) => i.field))
    case "bin":
      return new Set([step.field])
    case "stats":
      for (const b of step.by) out.add(b)
      for (const a of step.aggregates) if (a.arg !== undefined) out.add(a.arg)
      return out
    case "rename":
      if (step.pairs.some((p) => p.from.includes("*"))) return "all"
      return new Set(step.pairs.map((p) => p.from))
    case "fillnull":
      return new Set(step.fields)
    case "replace":
      return step.fields.length ? new Set(step.fields) : "all"
    case "fields":
    case "pass":
    case "first":
      return out
    case "stop":
      return "all"
  }
}

/** Fields an enriching step adds (lookup outputs, eventstats results, iplocation's); undefined when unknown. */
export function stepAdds(step: RowStep): string[] | undefined {
  if (step.k === "lookup") return step.outputs.length ? step.outputs.map((o) => o.field) : undefined
  if (step.k === "stats" && step.command !== "stats") return step.aggregates.map((a) => a.output)
  if (step.k === "stop" && !step.drops) return step.adds
  return undefined
}
