/**
 * An example event for a rule, built from the rule's own positive conditions, that the tester
 * fires it on: what "Open in tester" on a rule page pastes, and what the build checks for every
 * evaluable rule (report.json gives the share that fire their own example).
 *
 * Owns: turning predicate leaves into field values, choosing among OR branches, and the check
 * that the example fires. What a format needs on the event besides (a Sigma rule's Windows
 * channel and event id) is the format's `exampleOrigin`.
 *
 * Invariants:
 * - The example is checked with the tester itself (compileCatalog + matchEvent on a pasted event),
 *   so an example that is offered fires; a rule whose examples all fail gets the reason instead.
 * - Values satisfy the positive leaves: a wildcard pattern contributes its literal pieces (start,
 *   middle, end), several patterns on one field are joined into one value; exclusions are not
 *   solved for, only checked. OR branches are tried in order, at most MAX_CANDIDATES events.
 * - Fields a stats stage groups by are given a value, so the rule does not drop the event.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../model/types.ts"
import type { Event, Leaf, Predicate } from "../predicate/types.ts"
import { isLeaf } from "../predicate/types.ts"
import { walkLeaves } from "../predicate/build.ts"
import { findFormatTesting } from "../formats/testers.ts"
import { compileCatalog } from "./compile.ts"
import { matchEvent } from "./fast.ts"
import { EMPTY_FORM, formToHash } from "./form.ts"

const MAX_CANDIDATES = 12

/** What one field must look like: literal pieces at its start, anywhere, at its end; or exact. */
type FieldSpec = {
  exact?: string
  start: string[]
  middle: string[]
  end: string[]
  absent?: boolean
  number?: number
  /** The spec of each leaf merged into this one, apart: for a field holding several values. */
  each: FieldSpec[]
}
type Spec = Map<string, FieldSpec>

export type ExampleResult = { event: Event } | { reason: string }

const spec = (m: Spec, field: string): FieldSpec => {
  let s = m.get(field)
  if (!s) m.set(field, (s = { start: [], middle: [], end: [], each: [] }))
  return s
}

/** Adds a search-language wildcard pattern (`*` any run) to a field's spec. */
function addPattern(s: FieldSpec, pattern: string): void {
  if (!pattern.includes("*")) {
    s.exact ??= pattern
    return
  }
  const pieces = pattern.split("*")
  const first = pieces[0] ?? ""
  const last = pieces[pieces.length - 1] ?? ""
  if (first !== "") s.start.push(first)
  if (last !== "" && pieces.length > 1) s.end.push(last)
  for (const p of pieces.slice(1, -1)) if (p !== "") s.middle.push(p)
}

/** A string a simple regular expression matches (literals, classes, groups, common quantifiers); undefined when unsure. */
export function regexExample(source: string): string | undefined {
  let i = 0
  const re = source.replace(/^\(\?[imsx]+\)/, "")
  const alt = (): string | undefined => {
    const first = seq()
    if (first === undefined) return undefined
    while (re[i] === "|") {
      i++
      if (seq() === undefined) return undefined
    }
    return first
  }
  const seq = (): string | undefined => {
    let out = ""
    while (i < re.length && re[i] !== "|" && re[i] !== ")") {
      const atom = one()
      if (atom === undefined) return undefined
      const q = re[i]
      if (q === "*" || q === "?") {
        i++
        if (re[i] === "?" || re[i] === "+") i++
        continue
      }
      if (q === "+") {
        i++
        if (re[i] === "?" || re[i] === "+") i++
        out += atom
        continue
      }
      if (q === "{") {
        const m = /^\{(\d+)(,\d*)?\}\??/.exec(re.slice(i))
        if (!m) return undefined
        i += m[0].length
        out += atom.repeat(Number(m[1]))
        continue
      }
      out += atom
    }
    return out
  }
  const one = (): string | undefined => {
    const c = re[i]!
    if (c === "^" || c === "$") {
      i++
      return ""
    }
    if (c === "(") {
      i++
      if (re[i] === "?") {
        if (re[i + 1] === ":") i += 2
        else if (re[i + 1] === "<" && re[i + 2] !== "=" && re[i + 2] !== "!") i = re.indexOf(">", i) + 1
        else if (re[i + 1] === "P" && re[i + 2] === "<") i = re.indexOf(">", i) + 1
        else return undefined
        if (i <= 0) return undefined
      }
      const inner = alt()
      if (re[i] !== ")") return undefined
      i++
      return inner
    }
    if (c === "[") {
      const end = re.indexOf("]", i + 2)
      if (end < 0) return undefined
      const body = re.slice(i + 1, end)
      i = end + 1
      if (body.startsWith("^")) return body.includes("a") ? "#" : "a"
      const ch = body[0] === "\\" ? escaped(body[1] ?? "") : body[0]
      return ch
    }
    if (c === "\\") {
      i += 2
      return escaped(re[i - 1] ?? "")
    }
    if (c === ".") {
      i++
      return "a"
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") return undefined
    i++
    return c
  }
  const escaped = (e: string): string | undefined => {
    if (e === "d") return "1"
    if (e === "w") return "a"
    if (e === "s") return " "
    if (e === "b" || e === "B" || e === "A" || e === "Z" || e === "z") return ""
    if (/[DWS]/.test(e)) return e === "D" ? "a" : e === "W" ? "-" : "a"
    if (e === "x" || e === "u" || e === "p" || e === "P" || /[0-9]/.test(e)) return undefined
    if (e === "t") return "\t"
    if (e === "n") return "\n"
    if (e === "r") return "\r"
    return e
  }
  try {
    const out = alt()
    return i === re.length ? out : undefined
  } catch {
    return undefined
  }
}

/** Specs (alternatives) that make `p` hold; empty when none is known. */
function specs(p: Predicate, positive: boolean): Spec[] {
  if (isLeaf(p)) return positive ? leafSpecs(p) : [new Map()]
  switch (p.op) {
    case "true":
    case "false":
      return [new Map()]
    case "not":
      return specs(p.arg, !positive)
    case "xor":
      return [new Map()]
    default: {
      const conj = (p.op === "and") === positive
      if (!conj) {
        const out: Spec[] = []
        for (const a of p.args) for (const s of specs(a, positive)) if (out.length < MAX_CANDIDATES) out.push(s)
        return out
      }
      let acc: Spec[] = [new Map()]
      for (const a of p.args) {
        const next: Spec[] = []
        for (const left of acc)
          for (const right of specs(a, positive)) if (next.length < MAX_CANDIDATES) next.push(merge(left, right))
        acc = next
        if (acc.length === 0) return []
      }
      return acc
    }
  }
}

function merge(a: Spec, b: Spec): Spec {
  const out: Spec = new Map()
  for (const m of [a, b]) {
    for (const [k, v] of m) {
      const s = spec(out, k)
      if (v.exact !== undefined) s.exact ??= v.exact
      if (v.number !== undefined) s.number ??= v.number
      if (v.absent) s.absent = true
      s.start.push(...v.start)
      s.middle.push(...v.middle)
      s.end.push(...v.end)
      s.each.push(...v.each)
    }
  }
  return out
}

/** Each field's spec also kept apart (`each`), before specs of other leaves are merged in. */
function apart(specs: Spec[]): Spec[] {
  for (const m of specs) for (const s of m.values()) s.each = [{ ...s, each: [] }]
  return specs
}

function leafSpecs(l: Leaf): Spec[] {
  return apart(leafSpecsOf(l))
}

function leafSpecsOf(l: Leaf): Spec[] {
  if (l.meta) return [new Map()]
  const m: Spec = new Map()
  switch (l.op) {
    case "cmp": {
      const s = spec(m, l.field)
      if (l.fn === "len") s.exact ??= "a".repeat(Math.max(1, Number(l.value) + (l.cmpOp.includes(">") ? 1 : 0)))
      else if (l.cmpOp === "=") {
        if (l.lang === "search") addPattern(s, l.fn === "lower" ? l.value.toLowerCase() : l.value)
        else s.exact ??= l.value
      } else if (l.cmpOp === "!=") s.exact ??= "example"
      else {
        const n = Number(l.value)
        s.number ??= l.cmpOp.startsWith(">") ? n + 1 : n - 1
      }
      return [m]
    }
    case "in":
      return l.values.slice(0, MAX_CANDIDATES).map((v) => {
        const one: Spec = new Map()
        if (l.lang === "search") addPattern(spec(one, l.field), v)
        else spec(one, l.field).exact = v
        return one
      })
    case "like":
      spec(m, l.field).exact ??= l.pattern.replace(/%/g, "").replace(/_/g, "a")
      return [m]
    case "regex": {
      const ex = regexExample(l.pattern)
      if (ex === undefined) return []
      spec(m, l.field).middle.push(ex)
      return [m]
    }
    case "cidr":
      spec(m, l.field).exact ??= l.cidr.split("/")[0] ?? l.cidr
      return [m]
    case "isnotnull":
      spec(m, l.field)
      return [m]
    case "isnull":
      spec(m, l.field).absent = true
      return [m]
    case "keyword":
      spec(m, "_raw").middle.push(l.value.replace(/\*/g, ""))
      return [m]
    case "fieldcmp":
      spec(m, l.field).exact ??= "example"
      spec(m, l.other).exact ??= l.cmpOp === "=" ? "example" : "other"
      return [m]
    default:
      return []
  }
}

function valueOf(s: FieldSpec): string | undefined {
  if (s.absent) return undefined
  if (s.number !== undefined) return String(s.number)
  if (s.exact !== undefined) return s.exact
  const start = s.start.reduce((a, b) => (b.length > a.length ? b : a), "")
  const end = s.end.reduce((a, b) => (b.length > a.length ? b : a), "")
  const middle = [...s.start.filter((x) => x !== start), ...s.middle, ...s.end.filter((x) => x !== end)]
  const v = [start, ...middle, end].filter((x) => x !== "").join(" ")
  return v === "" ? "example" : v
}

/** One value per leaf testing the field (one when they agree); undefined when the field must be absent. */
function valuesOf(s: FieldSpec): string | string[] | undefined {
  if (s.absent) return undefined
  const vals = [...new Set(s.each.map(valueOf).filter((v): v is string => v !== undefined))]
  return vals.length === 1 ? vals[0] : vals.length === 0 ? undefined : vals
}

/** Placeholder values for fields a stats stage groups by, named as a person would read them. */
const BY_DEFAULTS: Record<string, string> = {
  dest: "ws-example",
  user: "EXAMPLE\\user",
  src: "10.0.0.5",
  host: "ws-example",
}

/** What the rule's format needs on an example event to read it (its gate's source fields). */
function origin(d: Detection): Event {
  const f = findFormatTesting(d.format)?.tester.exampleOrigin
  return f && d.analysis ? f(d.analysis) : {}
}

function predicateOf(d: Detection): Predicate | undefined {
  return d.analysis?.predicate
}

/**
 * Events built from a predicate's positive conditions, one per way of satisfying it (OR branches,
 * at most MAX_CANDIDATES), unchecked: what the Sigma → SPL round trip feeds both engines.
 */
export function positiveEvents(p: Predicate): Event[] {
  return specs(p, true).map((c) => {
    const event: Event = {}
    for (const [k, s] of c) {
      const v = valueOf(s)
      if (v !== undefined) event[k] = v
    }
    return event
  })
}

/** True when the tester can decide the rule on one event (the rules the build checks). */
export function evaluable(d: Detection): boolean {
  return d.analysis !== undefined && d.analysis.multiEvent === undefined && d.analysis.evaluability.evaluable
}

/** An event built from the rule's positive conditions that the tester fires the rule on, or why there is none. */
export function exampleEvent(d: Detection): ExampleResult {
  const p = predicateOf(d)
  if (!p) return { reason: "the rule has no predicate" }
  if (!evaluable(d)) return { reason: "the rule cannot be judged on one event" }
  const candidates = specs(p, true)
  if (candidates.length === 0)
    return {
      reason:
        "a condition has no example value (a regular expression too complex to invert, or an unsupported construct)",
    }
  const catalog = compileCatalog([d])
  if (catalog.rules.length === 0) return { reason: "the rule could not be compiled" }
  const by = (d.analysis?.stages ?? []).flatMap((s) => s.requires ?? [])
  for (const c of candidates) {
    // One value per field first; then a field several leaves test holds one value per leaf (a
    // multi-valued field such as ECS `process.args`, where each test may hold on another element).
    for (const several of [false, true]) {
      if (several && ![...c.values()].some((s) => s.each.length > 1)) continue
      const event: Event = { ...origin(d) }
      for (const f of by) event[f] = BY_DEFAULTS[f] ?? "example"
      for (const [k, s] of c) {
        const v = several && s.each.length > 1 ? valuesOf(s) : valueOf(s)
        if (v !== undefined) event[k] = v
      }
      const r = matchEvent(catalog, { event }, { nearMisses: false })
      if (r.fired.length > 0) return { event }
    }
  }
  return {
    reason:
      "no example built from its positive conditions fires it (an exclusion or a combination of conditions on one field)",
  }
}

/** Tester permalinks for a rule page (site paths, without base path). */
export type TesterLinks = {
  /** The rule's own example event in the tester, when one fires the rule. */
  example?: string
  /** Why there is no example, when there is none. */
  reason?: string
  /** Each data source's example log with one, in the tester. */
  exampleLogs: Array<{ dataSource: string; href: string }>
}

/** The tester's address for a pasted event text (the form's hash encoding). */
export const testerEventHref = (text: string): string =>
  `/tester/${formToHash({ ...EMPTY_FORM, mode: "event", event: text })}`

export function testerLinks(d: Detection, exampleLog: (dataSource: string) => string | undefined): TesterLinks {
  const r = exampleEvent(d)
  const out: TesterLinks = { exampleLogs: [] }
  if ("event" in r) out.example = testerEventHref(JSON.stringify(r.event, null, 1))
  else out.reason = r.reason
  for (const name of d.dataSources) {
    const log = exampleLog(name)?.trim()
    if (log && !out.exampleLogs.some((x) => x.dataSource === name))
      out.exampleLogs.push({ dataSource: name, href: testerEventHref(log) })
  }
  return out
}

/** True when a condition reads a value an earlier stage computes (eval, rex…): no event field sets it directly. */
function readsComputed(d: Detection): boolean {
  let found = false
  const p = predicateOf(d)
  if (p) walkLeaves(p, (l) => void (found ||= l.derived !== undefined))
  return found
}

type ShareCount = { evaluable: number; fire: number; share: string }
const shareOf = (fire: number, evaluableCount: number): string =>
  evaluableCount === 0 ? "n/a" : `${((100 * fire) / evaluableCount).toFixed(1)} %`

/**
 * report.json's `testerExamples`: how many evaluable rules fire their own example, overall and per
 * format, and why the others do not. Rules whose conditions read values the pipeline computes
 * (`computed`) are counted apart: an example built from their conditions would set the computed
 * field, which the pipeline then recomputes from the fields it comes from.
 */
export function exampleShare(detections: readonly Detection[]): ShareCount & {
  computed: number
  ms: number
  byFormat: Record<string, ShareCount>
  failing: Array<{ format: string; id: string; name: string; reason: string }>
} {
  const t0 = performance.now()
  let evaluableCount = 0
  let fire = 0
  let computed = 0
  const byFormat: Record<string, ShareCount> = {}
  const failing: Array<{ format: string; id: string; name: string; reason: string }> = []
  for (const d of detections) {
    if (!evaluable(d)) continue
    if (readsComputed(d)) {
      computed++
      continue
    }
    evaluableCount++
    const f = (byFormat[d.format] ??= { evaluable: 0, fire: 0, share: "" })
    f.evaluable++
    const r = exampleEvent(d)
    if ("event" in r) {
      fire++
      f.fire++
    } else failing.push({ format: d.format, id: d.id, name: d.name, reason: r.reason })
  }
  for (const f of Object.values(byFormat)) f.share = shareOf(f.fire, f.evaluable)
  return {
    evaluable: evaluableCount,
    fire,
    share: shareOf(fire, evaluableCount),
    computed,
    ms: Math.round(performance.now() - t0),
    byFormat,
    failing,
  }
}
