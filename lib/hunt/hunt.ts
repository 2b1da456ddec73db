/**
 * Hunting a log: every event through every rule of the catalog, single-event rules event by
 * event and Splunk rules with multi-event stages (stats, tstats, eventstats, streamstats, bin)
 * over the whole log, ending in per-rule hits with the events behind them, risk per entity
 * against the threshold and an ATT&CK summary.
 *
 * Owns: the hunt catalog (which rules run how, and why the others do not), the per-event scan
 * and the report. A rule runs as
 * - `log`: a Splunk rule whose every stage runs here (spl-plan.ts): its first stage filters
 *   events, the rest turns the passing events into result rows; a hit is a result row;
 * - `event`: any other rule one event decides (Splunk, Sigma, Elastic): a hit is an event that
 *   fires it;
 * - not hunted, with the reason (lookups, joins, Sigma correlations, eval not run yet…).
 *
 * Invariants:
 * - Pure and synchronous: `push` one event at a time, `finish` once; memory is the rules'
 *   aggregation state (bounded per stage, pipeline.ts; rules starting with the same aggregation
 *   share one state of it, fed by the first of them alone) and per rule at most MAX_RULE_EVENTS
 *   event indices in a typed array, not the events.
 * - The per-event scan only touches rules a value prefilter admits (key-index.ts, over the
 *   filtering stage alone for `log` rules, so the prefilter never drops an event a later stage
 *   would count; keywords searched in every field keyed the same way) and skips rules whose
 *   required fields are absent or whose non-ASCII patterns meet an ASCII-only event. Every such
 *   test is a necessary condition of the filter: it only skips work, never changes a verdict.
 * - A rule evaluated once per event: built events are tried shape by shape (only the shapes some
 *   rule reads are built, read.ts) and the first shape that passes is the event's one row. Rules
 *   making the same first row of one shape share it, and the event's origin; stages never change
 *   what they are given.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { EVENT_SHAPE_DEFS } from "../events/shapes.ts"
import type { EventShapeId } from "../events/types.ts"
import { findFormatTesting } from "../formats/testers.ts"
import type { FormatTesting } from "../formats/types.ts"
import type { Detection, LookupTableData } from "../model/types.ts"
import type { RuleAnalysis } from "../predicate/analysis.ts"
import { and } from "../predicate/build.ts"
import type { Event, Predicate } from "../predicate/types.ts"
import { isLeaf, type Leaf } from "../predicate/types.ts"
import { compile, compiledLeaf, evaluate, type CompiledPredicate } from "../predicate/compile.ts"
import { EventView, fieldSlot } from "../predicate/event-view.ts"
import type { CompiledLeaf, EvaluateOptions } from "../predicate/leaf-tests.ts"
import type { LongValue } from "../predicate/grams.ts"
import { gateInterner, requiredFields, SHAPE_SLOT } from "../tester/compile.ts"
import { DEFAULT_RISK_THRESHOLD } from "../tester/form.ts"
import { atomFrequencies, keyClause, keySlot, leafAtoms, MAX_GRAM_VALUE, type KeyAtom } from "../tester/key-index.ts"
import { requiredLiterals } from "../predicate/regex.ts"
import type { TesterInput } from "../tester/report.ts"
import { riskOf } from "../tester/risk.ts"
import { FORMAT_TESTERS } from "../formats/testers.ts"
import type { Value } from "./aggregate.ts"
import {
  DEFAULT_LIMITS,
  Fanout,
  mergeOrigin,
  newStageStats,
  type StatsStage,
  type Flow,
  type Origin,
  type Sink,
  type StageLimits,
  type StageStats,
  type ResultSink,
} from "./pipeline.ts"
import type { Row } from "./rows.ts"
import { splPlan, type SplPlan } from "./spl-plan.ts"
import { numberText } from "./aggregate.ts"

/** Event indices kept per rule in the report (the hit count is exact). */
export const MAX_RULE_EVENTS = 1000
/** Distinct entity values kept per rule, and risk entities over the log. */
export const MAX_ENTITIES = 10_000

export type HuntRule = {
  detection: Detection
  format: FormatTesting
  mode: "log" | "event"
  plan?: SplPlan
  /** The filter evaluated per event: the first stage (`log`) or the whole rule (`event`). */
  filter: CompiledPredicate
  /** One event decides the rule as a whole (`event` rules whose analysis says so). */
  decides: boolean
  /**
   * The filter tests nothing but where events come from (`sourcetype=crushftp`, then a `rex`):
   * an event must say so itself (metadata read strictly), or a rule for another product would
   * take every event of the log into its pipeline.
   */
  metaOnly: boolean
  shapes: EventShapeId[]
  gateId: number
  required: number[][]
  byFields: number[][]
  keyed: boolean
  /** `required` and `byFields` as event-view slots (what the per-event scan reads). */
  requiredSlots: number[][]
  bySlots: number[][]
  /**
   * View slots one of which must hold a character outside ASCII for the filter to hold (a rule
   * looking for emoji, right-to-left overrides or look-alike letters); undefined when the filter
   * has no such clause. Such patterns give no trigram key, so without it these rules would be
   * tried on every event.
   */
  nonAscii?: number[]
  /** Bit per shape slot (SHAPE_SLOT) of the built shapes the rule reads. */
  shapeMask: number
  /** For `log` rules whose first row is a field list: the list as one key (rules sharing it share the row). */
  rowKey?: string
  /**
   * For a `log` rule whose first stages another rule computes alike (same share key, same event
   * filter and prefilters): that rule's number. The leader alone is scanned per event; one state of
   * the shared stages feeds both rules' later stages.
   */
  leader?: number
}

export type NotHunted = { id: string; name: string; format: string; reason: string }

export type HuntCatalog = {
  rules: HuntRule[]
  notHunted: NotHunted[]
  /** Interned fields the prefilters read. */
  fields: Array<{ field: string; dm?: string; slot: number }>
  /** key slot → lower-cased value → rule numbers. */
  keys: Map<number, Map<string, number[]>>
  /**
   * Trigram key slot → rule → the texts its trigrams there were cut from: a value admits the rule
   * only when it holds one of them (a trigram is in many more values than the text it came from).
   * Rules not listed are admitted on the trigram.
   */
  keyTexts: Map<number, Map<number, string[]>>
  /** Event field name → the key slots that read it (bare and data-model-prefixed names). */
  keyByName: Map<string, number[]>
  /**
   * Rules without a key clause, tried on every event their shape and gate admit: per shape slot,
   * those reading that shape of a built event (`built`) and those reading a pasted event as it
   * (`pasted`).
   */
  unkeyed: { built: number[][]; pasted: number[][] }
  /**
   * Rules keyed by a trigram of a keyword searched in every field (Sigma `keywords`): trigram →
   * rule numbers; and, per shape slot, whether some such rule reads that shape (built, pasted).
   */
  keywords: { grams: Map<string, number[]>; built: boolean[]; pasted: boolean[] }
  gates: Array<{ format: FormatTesting; source: unknown }>
  /**
   * Bumped by the hunter before each view it scans: a condition several rules hold (the same
   * field, test and pattern) is tested once per view and its verdict shared (sharedLeaves).
   */
  leafEpoch: { n: number }
  /** The shapes of a built event some rule reads, in table order: the others are never built or scanned. */
  builtShapes: Array<{ id: EventShapeId; slot: number }>
}

const TRUE: Predicate = { op: "true" }

/**
 * The shapes of a built process event a rule reads. A `tstats` over another data model than
 * Endpoint.Processes (Filesystem, Network_Resolution…) reads no process event, whatever fields
 * the two share (`dest`, `user`); in a log it would otherwise count every process event.
 */
function builtShapes(
  d: Detection,
  analysis: RuleAnalysis,
  mode: "log" | "event",
  format: FormatTesting,
): EventShapeId[] {
  const dm = (analysis.detail as { datamodel?: { name?: string; nodename?: string } }).datamodel
  if (mode === "log" && analysis.stages[0]?.command === "tstats" && dm?.name !== undefined) {
    const processes =
      dm.name === "Endpoint.Processes" || (dm.name === "Endpoint" && /(^|\.)Processes$/.test(dm.nodename ?? ""))
    if (!processes) return []
  }
  return format.tester.shapes(d, analysis)
}

/**
 * Key atoms of a regular-expression leaf of the search language (Sigma `|re`, SPL `| regex`) on a
 * real field, which is false, never NULL or 'unknown', when the field is absent: a trigram of the
 * longest text every match contains (requiredLiterals). A value the pattern matches holds that
 * text, so its lower-cased form holds the text lower-cased: ASCII texts only, whose lower-casing
 * is one character for one; a case-folded text is lower-case ASCII already.
 */
function regexAtoms(p: Leaf, unsupported: ReadonlySet<number>): KeyAtom[] | undefined {
  if (p.op !== "regex" || p.lang !== "search" || p.fn || p.derived || p.meta || p.fill !== undefined) return undefined
  if (unsupported.has(p.id)) return undefined
  const best = regexText(p.pattern)
  if (best.length < 3) return undefined
  const field = p.dm === undefined ? { field: p.field } : { field: p.field, dm: p.dm }
  const atoms = leafAtoms(
    { op: "cmp", id: p.id, ...field, cmpOp: "=", value: `*${best}*`, lang: "search" },
    unsupported,
  )
  return atoms?.length === 1 && atoms[0]!.kind === "gram" ? atoms : undefined
}

/** The longest lower-cased ASCII text without `*` every match of a pattern holds ("" when none). */
function regexText(pattern: string): string {
  let best = ""
  for (const l of requiredLiterals(pattern)) {
    if (!/^[\x20-\x7e]+$/.test(l.needle.text)) continue
    // A piece between `*` is held too, and reads as text in the glob pattern regexAtoms makes.
    for (const piece of l.needle.text.toLowerCase().split("*")) if (piece.length > best.length) best = piece
  }
  return best
}

/**
 * The text a trigram atom was cut from: the part of the leaf's lower-cased pattern between `*`
 * holding the trigram, which a value the leaf holds on holds too (lower-cased, as the index
 * compares); for a regular expression, regexText. Undefined when it cannot be told.
 */
function atomText(leaf: Leaf | undefined, a: KeyAtom): string | undefined {
  if (!leaf) return undefined
  if (leaf.op === "regex") return regexText(leaf.pattern)
  const pattern = leaf.op === "cmp" ? leaf.value : leaf.op === "in" ? leaf.values[a.at ?? -1] : undefined
  return pattern
    ?.toLowerCase()
    .split("*")
    .find((part) => part.includes(a.value))
}

/** Whether a text holds a character outside ASCII. */
const hasNonAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true
  return false
}

/**
 * Fields one of which must carry a character outside ASCII for the predicate to be true or
 * 'unknown', or undefined. Built like the key clause (key-index.ts) from search-language equality
 * leaves on real fields, which are never NULL or 'unknown': a leaf qualifies when every pattern
 * holds such a character outside its wildcards, compared as the leaf compares (lower-cased unless
 * case-sensitive). A value matching the pattern holds that character, and an ASCII value
 * lower-cases to ASCII. AND needs one argument's clause, OR every branch's.
 */
function nonAsciiClause(
  p: Predicate,
  unsupported: ReadonlySet<number>,
): Array<{ field: string; dm?: string }> | undefined {
  if (isLeaf(p)) {
    if (p.derived || p.meta || p.fill !== undefined || unsupported.has(p.id)) return undefined
    const field = p.dm === undefined ? { field: "" } : { field: "", dm: p.dm }
    if (p.op === "cmp" && p.lang === "search" && p.cmpOp === "=" && !p.fn) {
      const v = p.caseSensitive ? p.value : p.value.toLowerCase()
      return hasNonAscii(v) ? [{ ...field, field: p.field }] : undefined
    }
    if (p.op === "in" && p.lang === "search" && !p.fn && p.values.length > 0)
      return p.values.every((v) => hasNonAscii(v.toLowerCase())) ? [{ ...field, field: p.field }] : undefined
    return undefined
  }
  if (p.op === "and") {
    for (const a of p.args) {
      const c = nonAsciiClause(a, unsupported)
      if (c) return c
    }
    return undefined
  }
  if (p.op === "or") {
    const out: Array<{ field: string; dm?: string }> = []
    for (const a of p.args) {
      const c = nonAsciiClause(a, unsupported)
      if (!c) return undefined
      out.push(...c)
    }
    return out
  }
  return undefined
}

/**
 * Trigrams one of which an event's values (lower-cased, any field) must hold for the predicate
 * to be true or 'unknown', from keywords searched in every field (never NULL or 'unknown'): a
 * value holding the keyword holds each of its trigrams. AND needs one argument's, OR every
 * branch's; undefined when there are none.
 */
function keywordClause(p: Predicate, unsupported: ReadonlySet<number>): string[] | undefined {
  if (isLeaf(p)) {
    if (p.op !== "keyword" || p.regex || p.scope !== "fields" || p.derived || p.meta || unsupported.has(p.id))
      return undefined
    // The trigram the key index would choose for `*keyword*` on one field.
    const atoms = leafAtoms(
      { op: "cmp", id: p.id, field: "_", cmpOp: "=", value: `*${p.value}*`, lang: "search" },
      new Set(),
    )
    const a = atoms?.[0]
    return a?.kind === "gram" ? [a.value] : undefined
  }
  if (p.op === "and") {
    for (const a of p.args) {
      const c = keywordClause(a, unsupported)
      if (c) return c
    }
    return undefined
  }
  if (p.op === "or") {
    const out: string[] = []
    for (const a of p.args) {
      const c = keywordClause(a, unsupported)
      if (!c) return undefined
      out.push(...c)
    }
    return out
  }
  return undefined
}

/** Whether some value of one of the slots holds a character outside ASCII. */
function anyNonAscii(slots: number[], view: EventView): boolean {
  for (const slot of slots) {
    const vals = view.valuesAt(slot)
    if (vals) for (const v of vals) if (hasNonAscii(v)) return true
  }
  return false
}

/**
 * The compiled leaves of a predicate, each shared with every other rule's leaf of the same
 * content (all but its id): its bulk check remembers its verdict for the view being scanned
 * (`epoch`, bumped by the hunter per view), so a condition fifty rules hold is tested once per
 * event shape. A leaf's verdict depends only on the leaf, the view and the options, which are
 * part of what is remembered.
 */
function sharedLeaves(
  p: Predicate,
  share: Map<string, CompiledLeaf>,
  epoch: { n: number },
): Map<import("../predicate/types.ts").Leaf, CompiledLeaf> {
  const out = new Map<import("../predicate/types.ts").Leaf, CompiledLeaf>()
  const walk = (q: Predicate): void => {
    if (isLeaf(q)) {
      const key = JSON.stringify({ ...q, id: 0 })
      let c = share.get(key)
      if (!c) {
        const own = compiledLeaf(q)
        const check = own.check ?? ((view, opts) => own.test(view, opts).held)
        let at = -1
        let atOpts: EvaluateOptions | undefined
        let last: ReturnType<typeof check> = false
        c = {
          ...own,
          check: (view, opts) => {
            if (at === epoch.n && atOpts === opts) return last
            last = check(view, opts)
            at = epoch.n
            atOpts = opts
            return last
          },
        }
        share.set(key, c)
      }
      out.set(q, c)
    } else if (q.op === "not") walk(q.arg)
    else if (q.op === "and" || q.op === "or" || q.op === "xor") q.args.forEach(walk)
  }
  walk(p)
  return out
}

/** Whether a predicate tests some event content, not only metadata (index, source, sourcetype…). */
function hasContent(p: Predicate): boolean {
  if (isLeaf(p)) return !p.meta
  if (p.op === "not") return hasContent(p.arg)
  if (p.op === "and" || p.op === "or" || p.op === "xor") return p.args.some(hasContent)
  return false
}

function hasUnknown(p: Predicate): boolean {
  if (isLeaf(p)) return p.op === "unknown"
  if (p.op === "not") return hasUnknown(p.arg)
  if (p.op === "and" || p.op === "or" || p.op === "xor") return p.args.some(hasUnknown)
  return false
}

/**
 * The event filter of a `log` rule: its first stage, and the filters of the per-row stages after
 * it up to the first stage that combines or orders rows (an aggregate, `dedup`, `head`…). A row
 * those filters drop never reaches the aggregation, so testing them on the event first is exact
 * when false; when they cannot be decided on the event (a field an `eval` computes) the event
 * goes on and the pipeline decides. After a `tstats` every stage reads aggregated rows.
 */
function eventFilter(stages: RuleAnalysis["stages"]): Predicate {
  if (stages[0]?.command === "tstats") return stages[0].predicate ?? TRUE
  const parts: Predicate[] = []
  for (const [i, st] of stages.entries()) {
    if (i > 0 && (st.role === "aggregate" || st.role === "blocker" || ROW_ORDER.has(st.command))) break
    if (st.predicate) parts.push(st.predicate)
  }
  return and(parts)
}

/** Stages whose output depends on the other rows: a filter after them cannot be tested on one event first. */
const ROW_ORDER = new Set(["dedup", "head", "tail", "reverse", "sort", "mvexpand", "mvcombine", "transaction"])

/** Whether a rule is tried as a `log` rule: a Splunk rule that aggregates or that one event cannot decide. */
export function wantsLogPlan(d: Pick<Detection, "format" | "analysis">): boolean {
  const a = d.analysis
  if (d.format !== "splunk" || !a) return false
  const multiStage = a.stages.some((s) => s.role === "aggregate") || a.stages[0]?.command === "tstats"
  return multiStage || !a.evaluability.evaluable
}

/** Which rules run how, compiled once for many hunts. */
export function compileHunt(
  detections: readonly Detection[],
  options: { lookupTables?: Readonly<Record<string, LookupTableData>> } = {},
): HuntCatalog {
  const tables = options.lookupTables
  const lookups = tables ? (name: string) => tables[name] : undefined
  const rules: HuntRule[] = []
  const notHunted: NotHunted[] = []
  const fields: HuntCatalog["fields"] = []
  const fieldIds = new Map<string, number>()
  const intern = (f: { field: string; dm?: string }): number => {
    const k = f.dm === undefined ? f.field : `${f.dm}\u0000${f.field}`
    let id = fieldIds.get(k)
    if (id === undefined) {
      id = fields.length
      fields.push(
        f.dm === undefined
          ? { field: f.field, slot: fieldSlot(f.field) }
          : { field: f.field, dm: f.dm, slot: fieldSlot(f.field, f.dm) },
      )
      fieldIds.set(k, id)
    }
    return id
  }
  const gates: HuntCatalog["gates"] = []
  const gateOf = gateInterner(gates)
  const leafEpoch = { n: 0 }
  const leafShare = new Map<string, CompiledLeaf>()
  const pending: Array<{ rule: HuntRule; predicate: Predicate; unsupported: Set<number> }> = []
  const skip = (d: Detection, reason: string) => notHunted.push({ id: d.id, name: d.name, format: d.format, reason })
  const leaders = new Map<string, number>()
  for (const d of detections) {
    const format = findFormatTesting(d.format)
    const analysis = d.analysis
    if (!format || !analysis) {
      skip(d, format ? "the rule could not be analysed" : `no rule format "${d.format}"`)
      continue
    }
    if (analysis.multiEvent !== undefined) {
      skip(d, analysis.multiEvent)
      continue
    }
    let mode: HuntRule["mode"] = "event"
    let plan: SplPlan | undefined
    let predicate = analysis.predicate
    let planReason: string | undefined
    if (wantsLogPlan(d)) {
      const p = splPlan(analysis, lookups)
      if ("reason" in p) planReason = p.reason
      else {
        const first = analysis.stages[0]?.predicate ?? TRUE
        if (hasUnknown(first)) planReason = "its first stage holds conditions that cannot be decided on an event"
        else {
          mode = "log"
          plan = p
          predicate = eventFilter(analysis.stages)
        }
      }
    }
    if (mode === "event" && !analysis.evaluability.evaluable) {
      skip(d, planReason ?? analysis.evaluability.reasons[0]?.message ?? "one event cannot decide the rule")
      continue
    }
    const filter = compile(predicate, { leaves: sharedLeaves(predicate, leafShare, leafEpoch) })
    const unsupported = new Set(filter.unsupported.map((u) => u.id))
    const prefixes = analysis.prefixes ?? []
    const rule: HuntRule = {
      detection: d,
      format,
      mode,
      filter,
      decides: mode === "log" || analysis.evaluability.evaluable,
      metaOnly: mode === "log" && !hasContent(predicate),
      shapes: builtShapes(d, analysis, mode, format),
      gateId: -1,
      required: (requiredFields(predicate, unsupported, false) ?? []).map((c) => [...new Set(c.map(intern))]),
      byFields:
        mode === "log"
          ? []
          : analysis.stages.flatMap((s) =>
              (s.requires ?? []).map((f) => [f, ...prefixes.map((p) => `${p}.${f}`)].map((x) => intern({ field: x }))),
            ),
      keyed: false,
      requiredSlots: [],
      bySlots: [],
      shapeMask: 0,
    }
    if (plan) rule.plan = plan
    // A tstats rule without a WHERE reads every event of its data model: an event must carry one
    // of the fields it groups or aggregates, or it is not of that model (a process event is not
    // a DNS query).
    if (plan && rule.metaOnly && plan.first.kind === "fields") {
      const { prefixes } = plan.first
      const clause = plan.first.fields
        .filter((f) => f !== "_time")
        .map((f) => {
          const dot = f.indexOf(".")
          const prefix = dot > 0 ? f.slice(0, dot) : undefined
          return intern(
            prefix !== undefined && prefixes.includes(prefix) ? { field: f.slice(dot + 1), dm: prefix } : { field: f },
          )
        })
      if (clause.length) rule.required.push([...new Set(clause)])
    }
    rule.gateId = gateOf(format, analysis) ?? -1
    rule.requiredSlots = rule.required.map((c) => c.map((id) => fields[id]!.slot))
    rule.bySlots = rule.byFields.map((c) => c.map((id) => fields[id]!.slot))
    for (const sh of rule.shapes) {
      const slot = SHAPE_SLOT.get(sh)
      if (slot !== undefined) rule.shapeMask |= 1 << slot
    }
    const nonAscii = nonAsciiClause(predicate, unsupported)
    if (nonAscii) rule.nonAscii = [...new Set(nonAscii.map((f) => fields[intern(f)]!.slot))]
    if (plan?.first.kind === "fields") rule.rowKey = plan.first.fields.join("\u0000")
    if (plan?.shareKey !== undefined) {
      // Everything that decides which events reach the shared stages, and how their first row is made.
      const key = JSON.stringify([
        plan.shareKey,
        JSON.stringify(predicate, (k, v: unknown) => (k === "id" ? undefined : v)),
        rule.gateId,
        rule.shapeMask,
        rule.metaOnly,
        rule.decides,
        rule.requiredSlots,
        rule.nonAscii ?? null,
        rule.rowKey ?? null,
        plan.first,
      ])
      const lead = leaders.get(key)
      if (lead === undefined) leaders.set(key, rules.length)
      else rule.leader = lead
    }
    rules.push(rule)
    pending.push({ rule, predicate, unsupported })
  }
  const freq = atomFrequencies(
    pending.map(({ predicate, unsupported }) => {
      const leaves: import("../predicate/types.ts").Leaf[] = []
      const walk = (p: Predicate): void => {
        if (isLeaf(p)) leaves.push(p)
        else if (p.op === "not") walk(p.arg)
        else if (p.op === "and" || p.op === "or" || p.op === "xor") p.args.forEach(walk)
      }
      walk(predicate)
      return { leaves, unsupported }
    }),
  )
  const keys: HuntCatalog["keys"] = new Map()
  const keyTexts: HuntCatalog["keyTexts"] = new Map()
  const unkeyed: number[] = []
  pending.forEach(({ rule, predicate, unsupported }, i) => {
    // A rule sharing its leader's first stages is never scanned: the leader feeds them.
    if (rule.leader !== undefined) return
    const key = keyClause(predicate, unsupported, freq, (leaf) => regexAtoms(leaf, unsupported))
    if (!key) {
      unkeyed.push(i)
      return
    }
    rule.keyed = true
    const leaves = new Map<number, Leaf>()
    const walk = (q: Predicate): void => {
      if (isLeaf(q)) leaves.set(q.id, q)
      else if (q.op === "not") walk(q.arg)
      else if (q.op === "and" || q.op === "or" || q.op === "xor") q.args.forEach(walk)
    }
    walk(predicate)
    // Trigram atoms whose text cannot be told admit the rule on the trigram alone.
    const texts = new Map<number, string[] | null>()
    for (const a of key) {
      const slot = keySlot(intern(a.dm === undefined ? { field: a.field } : { field: a.field, dm: a.dm }), a.kind)
      let byValue = keys.get(slot)
      if (!byValue) keys.set(slot, (byValue = new Map()))
      const list = byValue.get(a.value)
      if (!list) byValue.set(a.value, [i])
      else if (list[list.length - 1] !== i) list.push(i)
      if (a.kind !== "gram") continue
      const text = atomText(a.leaf === undefined ? undefined : leaves.get(a.leaf), a)
      const got = texts.get(slot)
      if (text === undefined || !text.includes(a.value)) texts.set(slot, null)
      else if (got === undefined) texts.set(slot, [text])
      else if (got !== null && !got.includes(text)) got.push(text)
    }
    for (const [slot, list] of texts) {
      if (list === null) continue
      let byRule = keyTexts.get(slot)
      if (!byRule) keyTexts.set(slot, (byRule = new Map()))
      byRule.set(i, list)
    }
  })
  // Unkeyed event rules that search keywords in every field: keyed by a trigram of each keyword.
  const keywordGrams: HuntCatalog["keywords"]["grams"] = new Map()
  const keywordRules: number[] = []
  for (let u = unkeyed.length - 1; u >= 0; u--) {
    const i = unkeyed[u]!
    const { rule, predicate, unsupported } = pending[i]!
    if (rule.mode !== "event") continue
    const grams = keywordClause(predicate, unsupported)
    if (!grams) continue
    rule.keyed = true
    keywordRules.push(i)
    unkeyed.splice(u, 1)
    for (const g of grams) {
      const list = keywordGrams.get(g)
      if (!list) keywordGrams.set(g, [i])
      else if (!list.includes(i)) list.push(i)
    }
  }
  const keyByName = new Map<string, number[]>()
  for (const slot of keys.keys()) {
    const f = fields[slot >> 2]!
    for (const name of f.dm === undefined ? [f.field] : [f.field, `${f.dm}.${f.field}`]) {
      const list = keyByName.get(name)
      if (list) list.push(slot)
      else keyByName.set(name, [slot])
    }
  }
  const bySlot = (want: (r: HuntRule, shape: EventShapeId) => boolean): number[][] =>
    [...SHAPE_SLOT].reduce<number[][]>((acc, [shape, slot]) => {
      acc[slot] = unkeyed.filter((i) => want(rules[i]!, shape))
      return acc
    }, [])
  return {
    rules,
    notHunted,
    fields,
    keys,
    keyTexts,
    keyByName,
    unkeyed: {
      built: bySlot((r, shape) => r.shapes.includes(shape)),
      pasted: bySlot((r, shape) => r.format.tester.pastedShape === shape),
    },
    keywords: {
      grams: keywordGrams,
      built: [...SHAPE_SLOT].reduce<boolean[]>((acc, [shape, slot]) => {
        acc[slot] = keywordRules.some((i) => rules[i]!.shapes.includes(shape))
        return acc
      }, []),
      pasted: [...SHAPE_SLOT].reduce<boolean[]>((acc, [shape, slot]) => {
        acc[slot] = keywordRules.some((i) => rules[i]!.format.tester.pastedShape === shape)
        return acc
      }, []),
    },
    gates,
    leafEpoch,
    builtShapes: EVENT_SHAPE_DEFS.flatMap((d) => {
      const slot = SHAPE_SLOT.get(d.id)
      return slot !== undefined && rules.some((r) => (r.shapeMask & (1 << slot)) !== 0) ? [{ id: d.id, slot }] : []
    }),
  }
}

/** One rule's hits in the report. */
export type RuleHits = {
  id: string
  name: string
  format: string
  slug: string
  type: string
  severity?: string
  mode: "log" | "event"
  /** Result rows (`log`) or firing events (`event`). */
  hits: number
  /** Indices of the events behind the hits (0-based, log order), the first MAX_RULE_EVENTS. */
  events: number[]
  /** How many events are behind the hits (exact). */
  eventCount: number
  first?: number
  last?: number
  /** Entity values the hits name, most hits first. */
  entities: Array<{ field: string; value: string; hits: number }>
  /** ATT&CK technique ids of the rule. */
  techniques: string[]
  /** Risk the hits add, summed per entity. */
  risk: Array<{ field: string; value: string; score: number }>
  /** The first result rows (`log` rules), for drill-down. */
  rows?: Array<{ row: Row; events: number[] }>
  /** Rows or events a condition could not decide (not counted as hits). */
  undecided: number
  /** Stages that reached a memory bound: the hits may be incomplete. */
  truncated?: string[]
}

export type RiskEntity = { field: string; value: string; score: number; rules: string[]; exceeds: boolean }

export type TechniqueHits = { id: string; name?: string; tactics: string[]; rules: number; hits: number }

export type HuntReport = {
  events: number
  rules: RuleHits[]
  risk: { threshold: number; entities: RiskEntity[] }
  attack: TechniqueHits[]
  counts: {
    rules: number
    log: number
    event: number
    notHunted: number
    undecidedEvents: number
    /** Rules whose answer may be incomplete (a stage reached its bound or left rows out), hits or not. */
    truncated: number
    /** Rules fed by another rule's first stages (one state for both). */
    shared: number
  }
  /** The bounds this hunt ran with: event indices kept per rule, and what each aggregating stage may hold. */
  limits: StageLimits & { eventsPerRule: number }
  notHunted: NotHunted[]
}

type RuleState = {
  hits: number
  /** Event indices of an `event` rule's hits, in log order: the first MAX_RULE_EVENTS (grown as needed). */
  idx: Uint32Array
  /** How many of `idx` are used. */
  nIdx: number
  n: number
  first?: number
  last?: number
  entities: Map<string, { field: string; value: string; hits: number }>
  risk: Map<string, { field: string; value: string; score: number }>
  undecided: number
  /**
   * A `log` rule's pipeline: `entry` takes its first rows (the shared head's entry for a leader,
   * nothing for a rule led by another), `results` its rows, `stats` its own stages' counters and
   * `head` those of the first stages it may share.
   */
  pipe?: { entry: Sink; results: ResultSink; stats: StageStats; head: StageStats }
  /** Event number this rule last ran on (a built event is tried shape by shape, once). */
  seen: number
}

export type HuntOptions = {
  threshold?: number
  metadata?: EvaluateOptions["metadata"]
  /** What each aggregating stage may hold (default DEFAULT_LIMITS); every stage has its own. */
  limits?: Partial<StageLimits>
  /** Remember rules' verdicts per field values (default true; false evaluates every time, for tests). */
  memo?: boolean
}

/** A rule led by another takes no events itself. */
const IGNORE: Sink = { push() {}, finish() {} }

const EMPTY_IDX = new Uint32Array(0)

const firstValue = (v: Value | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === "string" ? v : v[0]

/** A hunt over one log: `push` every event in order, then `finish`. */
export class Hunter {
  private readonly cat: HuntCatalog
  private readonly state: RuleState[]
  private readonly opts: EvaluateOptions & { trace: false }
  private readonly strictOpts: EvaluateOptions & { trace: false } = { metadata: "strict", trace: false }
  private readonly threshold: number
  private count = 0
  private undecidedEvents = 0
  private readonly limits: StageLimits
  /** The shared first stages, by the number of the rule that leads them. */
  private readonly heads = new Map<
    number,
    {
      entry: Sink
      fan: Fanout
      stats: StageStats
      group: StatsStage | undefined
      admits: Array<((row: Row) => boolean) | undefined>
    }
  >()
  private builtAdmitted: Uint8Array | undefined
  /** The key index split by shape, and the trigram filter (shapeIndexes). */
  private readonly index: ShapeIndexes
  private readonly grams: Uint32Array
  /** Per rule: its remembered verdicts (undefined: none yet; null: not remembering). */
  private readonly memo: Array<Map<number | string, boolean | "unknown"> | null | undefined>
  /** Value numbers (valueId): text → number; per slot, the number on the view of `idView`. */
  private readonly valueIds = new Map<string, number>()
  private readonly idAt: Int32Array
  private readonly idView: Int32Array
  /** Per slot: values numbered, and of them new; -1 once over half were new (not numbered since). */
  private readonly idSeen: Int32Array
  private readonly idFresh: Int32Array
  private viewEpoch = 0
  /** Per built shape slot, its unkeyed rules grouped by the fields they read (unkeyedPassing). */
  private readonly groups: Array<UnkeyedGroup[] | undefined> = []
  private readonly memoTries: Int32Array
  private readonly memoHits: Int32Array
  private memoLeft = MEMO_ENTRIES
  private readonly stamp: Int32Array
  private marks = 0

  constructor(cat: HuntCatalog, options: HuntOptions = {}) {
    this.cat = cat
    this.threshold = options.threshold ?? DEFAULT_RISK_THRESHOLD
    this.opts = { metadata: options.metadata ?? "assume", trace: false }
    this.limits = { ...DEFAULT_LIMITS, ...options.limits }
    this.state = cat.rules.map((r, i) => {
      const s: RuleState = {
        hits: 0,
        idx: EMPTY_IDX,
        nIdx: 0,
        n: 0,
        entities: new Map(),
        risk: new Map(),
        undecided: 0,
        seen: -1,
      }
      if (r.plan) {
        // One state of the first stages per leader; each rule its own later stages, fed from it.
        const lead = r.leader ?? i
        let head = this.heads.get(lead)
        if (!head) {
          const fan = new Fanout()
          const stats = newStageStats(this.limits)
          const built = r.plan.buildHead(fan, stats)
          head = { entry: built.entry, fan, stats, group: built.group, admits: [] }
          this.heads.set(lead, head)
        }
        const stats = newStageStats(this.limits)
        const rest = r.plan.buildRest(stats)
        head.fan.sinks.push(rest.entry)
        head.admits.push(r.plan.admit)
        s.pipe = { entry: r.leader === undefined ? head.entry : IGNORE, results: rest.results, stats, head: head.stats }
      }
      return s
    })
    // A shared group stage drops a group only when every rule it feeds would drop it.
    for (const head of this.heads.values()) {
      const admits = head.admits
      if (!head.group || admits.some((a) => a === undefined)) continue
      head.group.admit = admits.length === 1 ? admits[0] : (row) => admits.some((a) => a!(row))
    }
    this.stamp = new Int32Array(cat.rules.length).fill(-1)
    const derived = shapeIndexes(cat)
    this.index = derived
    this.grams = derived.grams
    this.memo = new Array(cat.rules.length).fill(options.memo === false ? null : undefined)
    this.memoTries = new Int32Array(cat.rules.length)
    const slots = Math.max(0, ...cat.rules.map((_, i) => Math.max(-1, ...(derived.reads[i] ?? [])) + 1))
    this.idAt = new Int32Array(slots)
    this.idView = new Int32Array(slots).fill(-1)
    this.idSeen = new Int32Array(slots)
    this.idFresh = new Int32Array(slots)
    for (const [, slot] of SHAPE_SLOT) {
      const bySignature = new Map<string, UnkeyedGroup>()
      const groups: UnkeyedGroup[] = []
      for (const i of cat.unkeyed.built[slot] ?? []) {
        const reads = derived.reads[i]
        const sig = reads === null || reads === undefined || options.memo === false ? `#${i}` : reads.join(",")
        let g = bySignature.get(sig)
        if (!g) {
          g = { reads: reads ?? [], rules: [], memo: sig.startsWith("#") ? null : new Map(), tries: 0, hits: 0 }
          bySignature.set(sig, g)
          groups.push(g)
        }
        g.rules.push(i)
      }
      this.groups[slot] = groups
    }
    this.memoHits = new Int32Array(cat.rules.length)
  }

  /**
   * What the rules' first aggregations hold now (the bulk of a hunt's memory): groups held, groups
   * finalised before the end of the log, and rows whose group the later stages would drop (never kept).
   */
  held(): { groups: number; finalised: number; dropped: number; stages: number } {
    let groups = 0
    let finalised = 0
    let dropped = 0
    let stages = 0
    for (const h of this.heads.values()) {
      if (!h.group) continue
      stages++
      groups += h.group.size
      finalised += h.group.evicted
      dropped += h.group.dropped
    }
    return { groups, finalised, dropped, stages }
  }

  /** Events pushed so far. */
  get events(): number {
    return this.count
  }

  /**
   * One event of the log, with its time (epoch seconds) when known. True when some rule took it
   * (a hit, or a row of a rule run over the log): the caller may keep such events for drill-down.
   */
  push(input: TesterInput, time?: number): boolean {
    const index = this.count++
    const cat = this.cat
    const shared = new Map<string, LongValue>()
    let taken = false
    this.undecided = false
    // One origin for every rule this event reaches: stages copy from it and never change it.
    const origin: Origin = time === undefined ? { idx: [index], n: 1 } : { idx: [index], n: 1, first: time, last: time }
    if ("built" in input) {
      if (!this.builtAdmitted) {
        const sources = new Map<string, readonly unknown[] | undefined>()
        for (const f of FORMAT_TESTERS) if (f.tester.gate) sources.set(f.id, f.tester.gate.builtSources)
        this.builtAdmitted = this.gatesAdmitted(sources)
      }
      const shapes = input.built.shapes
      for (const { id, slot } of cat.builtShapes) {
        const event = shapes[id]
        if (event === undefined) continue
        if (
          this.scan(
            this.view(this.builtViews, slot, event, shared),
            id,
            slot,
            true,
            this.builtAdmitted,
            index,
            time,
            origin,
          )
        )
          taken = true
      }
    } else {
      const views: Array<[EventShapeId, EventView]> = []
      const sources = new Map<string, readonly unknown[] | undefined>()
      for (const f of FORMAT_TESTERS) {
        const event = f.tester.readEvent(input.event)
        const slot = SHAPE_SLOT.get(f.tester.pastedShape)
        if (slot !== undefined && !views.some(([s]) => s === f.tester.pastedShape))
          views.push([f.tester.pastedShape, this.view(this.pastedViews, slot, event, shared)])
        if (f.tester.gate) sources.set(f.id, f.tester.gate.eventSources(event))
      }
      const admitted = this.gatesAdmitted(sources)
      for (const [shape, view] of views) {
        const slot = SHAPE_SLOT.get(shape)
        if (slot === undefined) continue
        if (this.scan(view, shape, slot, false, admitted, index, time, origin)) taken = true
      }
    }
    if (this.undecided) this.undecidedEvents++
    return taken
  }

  /** Views reused from event to event, one per shape slot (EventView.reset). */
  private readonly builtViews: EventView[] = []
  private readonly pastedViews: EventView[] = []

  private view(views: EventView[], slot: number, event: Event, shared: Map<string, LongValue>): EventView {
    let v = views[slot]
    if (v === undefined) views[slot] = v = new EventView(event, shared)
    else v.reset(event, shared)
    return v
  }

  /** Whether an event was undecided for some rule (set by `scan`). */
  private undecided = false

  private gatesAdmitted(sources: Map<string, readonly unknown[] | undefined>): Uint8Array {
    const out = new Uint8Array(this.cat.gates.length)
    for (let i = 0; i < out.length; i++) {
      const g = this.cat.gates[i]!
      const s = sources.get(g.format.id)
      out[i] = !s || g.format.tester.gate?.admits(g.source, s) !== false ? 1 : 0
    }
    return out
  }

  /** One shape of an event through the rules reading it; true when some rule took it. */
  private scan(
    view: EventView,
    shape: EventShapeId,
    slot: number,
    built: boolean,
    admitted: Uint8Array,
    index: number,
    time: number | undefined,
    origin: Origin,
  ): boolean {
    const cat = this.cat
    cat.leafEpoch.n++
    this.viewEpoch++
    const groups = built ? this.groups[slot] : undefined
    // Built events: the unkeyed rules are decided group by group (unkeyedPassing); the keyed ones
    // follow, as in the catalog index's order.
    const candidates = this.candidates(
      view,
      groups ? [] : ((built ? cat.unkeyed.built : cat.unkeyed.pasted)[slot] ?? []),
      (built ? this.index.built : this.index.pasted)[slot] ?? NO_INDEX,
    )
    const bit = 1 << slot
    let taken = false
    // First rows shared by the rules of this shape that make the same one (never changed downstream).
    let eventRow: Row | undefined
    let fieldRows: Map<string, Row> | undefined
    const take = (i: number, v: true | "unknown"): void => {
      const r = cat.rules[i]!
      const st = this.state[i]!
      // A log rule's pipeline decides what its event filter leaves open.
      if (v === "unknown" && r.mode === "event") {
        st.undecided++
        this.undecided = true
        return
      }
      st.seen = index
      taken = true
      if (r.mode === "log") {
        let row: Row
        if (r.rowKey === undefined) row = eventRow ??= firstRow(r, view, time)
        else {
          fieldRows ??= new Map()
          const got = fieldRows.get(r.rowKey)
          if (got) row = got
          else fieldRows.set(r.rowKey, (row = firstRow(r, view, time)))
        }
        st.pipe!.entry.push({ row, o: origin })
      } else this.hit(r, st, index, time, view)
    }
    if (groups) {
      const passing = this.unkeyedPassing(groups, view, admitted)
      for (let p = 0; p < passing.length; p++) {
        const code = passing[p]!
        const i = code >> 1
        if (this.state[i]!.seen !== index) take(i, (code & 1) === 1 ? true : "unknown")
      }
    }
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c]!
      const r = cat.rules[i]!
      if (this.state[i]!.seen === index) continue
      if (r.gateId >= 0 && admitted[r.gateId] === 0) continue
      if (built ? (r.shapeMask & bit) === 0 : r.format.tester.pastedShape !== shape) continue
      const v = this.memoVerdict(i, r, view)
      if (v !== false) take(i, v)
    }
    return taken
  }

  /**
   * The unkeyed rules of a built shape not false on the view, as `rule * 2 + (verdict true ? 1 :
   * 0)`, by rule number. Rules reading the same fields form a group whose passing list is
   * remembered on those fields' values, so a group of rules for other products, or of rules
   * reading only the image and parent, costs one lookup per event. A group whose values rarely
   * repeat stops remembering after a trial.
   */
  private unkeyedPassing(groups: UnkeyedGroup[], view: EventView, admitted: Uint8Array): number[] {
    const out: number[] = []
    let sorted = true
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!
      let memo = group.memo
      const key = memo === null ? undefined : this.memoKey(view, group.reads)
      // A group reading a slot no longer numbered stops remembering for good.
      if (
        key === undefined &&
        memo !== null &&
        group.reads.some((x) => x < this.idFresh.length && this.idFresh[x]! < 0)
      ) {
        this.memoLeft += memo.size
        group.memo = memo = null
      }
      let got = key === undefined ? undefined : memo!.get(key)
      if (got !== undefined) group.hits++
      else {
        got = []
        for (const i of group.rules) {
          const r = this.cat.rules[i]!
          if (r.gateId >= 0 && admitted[r.gateId] === 0) continue
          const v = this.verdict(r, view)
          if (v !== false) got.push(i * 2 + (v === true ? 1 : 0))
        }
        if (key !== undefined && memo) {
          if (++group.tries >= MEMO_TRIAL && group.hits * 4 < group.tries) {
            this.memoLeft += memo.size
            group.memo = memo = null
          } else if (memo.size < MEMO_RULE_ENTRIES && this.memoLeft > 0) {
            memo.set(key, got)
            this.memoLeft--
          }
        }
      }
      if (got.length === 0) continue
      if (out.length > 0 && got[0]! < out[out.length - 1]!) sorted = false
      for (const x of got) out.push(x)
    }
    if (!sorted) out.sort((a, b) => a - b)
    return out
  }

  /**
   * Rules worth evaluating on this view: the unkeyed ones and those whose key the view carries,
   * looked up in the key index of the rules reading this shape (shapeIndexes). The order is the
   * catalog-wide index's filtered to the shape: unkeyed, then keyword hits, then key hits in the
   * order of the event's fields, their key slots, values and positions.
   */
  private candidates(view: EventView, unkeyed: number[], index: ShapeIndex): number[] {
    this.cMark = ++this.marks
    const out = (this.cOut = unkeyed.slice())
    const keywords = index.keywords
    if (keywords)
      for (const v of view.allLowerValues()) {
        if (v.length > MAX_GRAM_VALUE) for (const rules of keywords.values()) this.admit(rules)
        else this.gramScan(v, index.keywordGroups!, index.keywordCache)
      }
    for (const name in view.event) {
      const probes = index.byName.get(name)
      if (!probes) continue
      for (let p = 0; p < probes.length; p++) {
        const probe = probes[p]!
        const vals = view.lowerAt(probe.viewSlot)
        if (!vals) continue
        const byValue = probe.byValue
        const kind = probe.kind
        for (const v of vals) {
          if (kind === 0) this.admit(byValue.get(v))
          else if (kind === 1) this.admit(byValue.get(v.slice(v.lastIndexOf("\\") + 1)))
          else if (v.length > MAX_GRAM_VALUE) for (const rules of byValue.values()) this.admit(rules)
          else this.gramScan(v, probe.byText!, probe.cache)
        }
      }
    }
    return out
  }

  /** The candidates list being made and its stamp. */
  private cOut: number[] = []
  private cMark = 0

  /** Adds rules not added yet to the candidates. */
  private admit(rules: number[] | undefined): void {
    if (rules === undefined) return
    const stamp = this.stamp
    const mark = this.cMark
    for (let j = 0; j < rules.length; j++) {
      const r = rules[j]!
      if (stamp[r] !== mark) {
        stamp[r] = mark
        this.cOut.push(r)
      }
    }
  }

  /** Admits the rules of a trigram's groups whose text the value holds. */
  private admitGroups(v: string, groups: TextGroup[]): void {
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!
      if (group.text === undefined || v.includes(group.text)) this.admit(group.rules)
    }
  }

  /**
   * Admits the rules of every trigram of `v` the map holds, in position order (the filter answers
   * most positions without cutting the trigram out or probing the map); what a text up to
   * GRAM_CACHE_TEXT long finds is kept in the map's cache, dropped after a trial when under a
   * quarter of the lookups find their text (command lines).
   */
  private gramScan(v: string, byGram: Map<string, TextGroup[]>, cache: GramCache): void {
    const texts = cache.texts
    if (texts !== null && v.length <= GRAM_CACHE_TEXT) {
      cache.tries++
      const got = texts.get(v)
      if (got !== undefined) {
        cache.hits++
        for (let i = 0; i < got.length; i++) this.admitGroups(v, got[i]!)
        return
      }
    }
    const collect: TextGroup[][] | undefined = texts !== null && v.length <= GRAM_CACHE_TEXT ? [] : undefined
    const filter = this.grams
    for (let k = 0; k + 3 <= v.length; k++)
      if (hasBit(filter, gramBit(v, k))) {
        const groups = byGram.get(v.slice(k, k + 3))
        if (groups === undefined) continue
        collect?.push(groups)
        this.admitGroups(v, groups)
      }
    if (collect === undefined || texts === null) return
    if (cache.tries >= GRAM_CACHE_TRIAL && cache.hits * 4 < cache.tries) cache.texts = null
    else if (texts.size < GRAM_CACHE_SIZE) texts.set(v, collect)
  }

  /**
   * `verdict`, remembered per rule on the values of the fields it reads (memoReads): over a log
   * the same image, parent or log-source fields come back event after event. A rule whose keys
   * rarely repeat (it reads the command line) stops remembering after a trial; the entries every
   * rule may keep together are bounded (MEMO_ENTRIES).
   */
  private memoVerdict(i: number, r: HuntRule, view: EventView): boolean | "unknown" {
    let memo = this.memo[i]
    if (memo === null) return this.verdict(r, view)
    const reads = this.index.reads[i]!
    if (reads === null) {
      this.memo[i] = null
      return this.verdict(r, view)
    }
    const key = this.memoKey(view, reads)
    if (key === undefined) {
      // A rule reading a slot no longer numbered stops remembering for good.
      if (reads.some((x) => x < this.idFresh.length && this.idFresh[x]! < 0)) {
        if (memo) this.memoLeft += memo.size
        this.memo[i] = null
      }
      return this.verdict(r, view)
    }
    const tries = ++this.memoTries[i]!
    if (memo !== undefined) {
      const got = memo.get(key)
      if (got !== undefined) {
        this.memoHits[i]!++
        return got
      }
    }
    const v = this.verdict(r, view)
    if (tries >= MEMO_TRIAL && this.memoHits[i]! * 4 < tries) {
      if (memo) this.memoLeft += memo.size
      this.memo[i] = null
      return v
    }
    if (memo === undefined) this.memo[i] = memo = new Map()
    if (memo.size < MEMO_RULE_ENTRIES && this.memoLeft > 0) {
      memo.set(key, v)
      this.memoLeft--
    }
    return v
  }

  /**
   * The memo key of the values of `slots` on the view: each slot's values as a number (valueId),
   * packed into one number for up to three slots, else joined as text; undefined when a value has
   * no number (too long, or the numbering is full).
   */
  private memoKey(view: EventView, slots: number[]): number | string | undefined {
    if (slots.length <= 3) {
      let key = 0
      for (let i = 0; i < slots.length; i++) {
        const id = this.valueId(view, slots[i]!)
        if (id < 0) return undefined
        key = key * ID_SPAN + id
      }
      return key
    }
    let key = ""
    for (let i = 0; i < slots.length; i++) {
      const id = this.valueId(view, slots[i]!)
      if (id < 0) return undefined
      key += `${id},`
    }
    return key
  }

  /**
   * A number standing for the values of a slot on the view being scanned (0: absent), the same
   * for the same values throughout the hunt; -1 for a value longer than MEMO_VALUE_MAX or once
   * MEMO_VALUES values are numbered. Made once per view and slot.
   */
  private valueId(view: EventView, slot: number): number {
    if (slot >= this.idAt.length) return -1
    if (this.idView[slot] === this.viewEpoch) return this.idAt[slot]!
    const vals = view.valuesAt(slot)
    let id = 0
    // A slot whose values are mostly new (the command line) is not numbered at all.
    if (this.idFresh[slot]! < 0) id = -1
    else if (vals !== undefined) {
      let text: string
      if (vals.length === 1) text = `s${vals[0]!}`
      else {
        text = `m${vals.length}`
        for (const v of vals) text += `,${v.length}:${v}`
      }
      if (text.length > MEMO_VALUE_MAX) id = -1
      else {
        const got = this.valueIds.get(text)
        const seen = ++this.idSeen[slot]!
        if (got !== undefined) id = got
        else if (this.valueIds.size >= MEMO_VALUES) id = -1
        else {
          this.valueIds.set(text, (id = this.valueIds.size + 1))
          if (++this.idFresh[slot]! * 2 > seen && seen >= MEMO_TRIAL) this.idFresh[slot] = -1
        }
      }
    }
    this.idView[slot] = this.viewEpoch
    this.idAt[slot] = id
    return id
  }

  private verdict(r: HuntRule, view: EventView): boolean | "unknown" {
    if (!presentAll(r.requiredSlots, view)) return false
    if (r.nonAscii && !anyNonAscii(r.nonAscii, view)) return false
    const v = evaluate(r.filter, view, r.metaOnly ? this.strictOpts : this.opts).matched
    if (v === false) return false
    if (!presentAll(r.bySlots, view)) return false
    return v === "unknown" || !r.decides ? "unknown" : true
  }

  private hit(r: HuntRule, st: RuleState, index: number, time: number | undefined, view: EventView): void {
    st.hits++
    st.n++
    if (st.nIdx < MAX_RULE_EVENTS) {
      if (st.nIdx === st.idx.length) {
        const grown = new Uint32Array(Math.min(MAX_RULE_EVENTS, Math.max(8, st.idx.length * 2)))
        grown.set(st.idx)
        st.idx = grown
      }
      st.idx[st.nIdx++] = index
    }
    if (time !== undefined) {
      if (st.first === undefined || time < st.first) st.first = time
      if (st.last === undefined || time > st.last) st.last = time
    }
    this.credit(r, st, (f) => view.values(f)?.[0])
  }

  /** Adds one hit's entities and risk, read with `read`. */
  private credit(r: HuntRule, st: RuleState, read: (field: string) => string | undefined): void {
    const named = (field: string, value: string) => {
      const key = `${field}\u0000${value.toLowerCase()}`
      const e = st.entities.get(key)
      if (e) e.hits++
      else if (st.entities.size < MAX_ENTITIES) st.entities.set(key, { field, value, hits: 1 })
      return key
    }
    let any = false
    for (const c of riskOf(r.detection, read)) {
      if (c.value === undefined) continue
      any = true
      const key = named(c.field, c.value)
      const k = st.risk.get(key)
      if (k) k.score += c.score
      else if (st.risk.size < MAX_ENTITIES) st.risk.set(key, { field: c.field, value: c.value, score: c.score })
    }
    // A hit that names no risk object still names the user and host it carries.
    if (!any)
      for (const f of ["user", "dest"]) {
        const v = read(f)
        if (v !== undefined) named(f, v)
      }
  }

  /** Ends the log: the multi-event stages emit their rows, and the report is made. */
  finish(): HuntReport {
    const out: RuleHits[] = []
    // The first stages emit once, to every rule they feed; each rule's stages then finish.
    for (const head of this.heads.values()) head.entry.finish()
    let truncatedRules = 0
    this.cat.rules.forEach((r, i) => {
      const st = this.state[i]!
      let rows: RuleHits["rows"]
      let truncated: string[] | undefined
      let events: number[]
      if (st.pipe) {
        const { results, stats, head } = st.pipe
        st.hits = results.count
        st.undecided += head.undecided + stats.undecided
        const why = [...head.truncated, ...stats.truncated]
        if (why.length) {
          truncated = why
          truncatedRules++
        }
        const origin: Origin = { idx: [], n: 0 }
        rows = []
        for (const f of results.results) {
          mergeOrigin(origin, f.o)
          this.credit(r, st, (field) => firstValue(f.row[field]))
          if (rows.length < 100) rows.push({ row: f.row, events: f.o.idx })
        }
        events = [...new Set(results.results.flatMap((f: Flow) => f.o.idx))]
          .sort((a, b) => a - b)
          .slice(0, MAX_RULE_EVENTS)
        st.n = origin.n
        if (origin.first !== undefined) st.first = origin.first
        if (origin.last !== undefined) st.last = origin.last
      } else events = Array.from(st.idx.subarray(0, st.nIdx))
      if (st.hits === 0) return
      const d = r.detection
      const entry: RuleHits = {
        id: d.id,
        name: d.name,
        format: d.format,
        slug: d.slug,
        type: d.type,
        mode: r.mode,
        hits: st.hits,
        events,
        eventCount: st.n,
        entities: [...st.entities.values()].sort((a, b) => b.hits - a.hits).slice(0, 20),
        techniques: d.attack.filter((a) => /^T\d{4}/.test(a.id)).map((a) => a.id),
        risk: [...st.risk.values()].sort((a, b) => b.score - a.score),
        undecided: st.undecided,
      }
      if (d.risk.severity !== undefined) entry.severity = d.risk.severity
      if (st.first !== undefined) entry.first = st.first
      if (st.last !== undefined) entry.last = st.last
      if (rows) entry.rows = rows
      if (truncated) entry.truncated = truncated
      out.push(entry)
    })
    out.sort((a, b) => b.hits - a.hits || a.name.localeCompare(b.name))
    return {
      events: this.count,
      rules: out,
      risk: { threshold: this.threshold, entities: riskEntities(out, this.threshold) },
      attack: attackSummary(out, this.cat),
      counts: {
        rules: this.cat.rules.length + this.cat.notHunted.length,
        log: this.cat.rules.filter((r) => r.mode === "log").length,
        event: this.cat.rules.filter((r) => r.mode === "event").length,
        notHunted: this.cat.notHunted.length,
        undecidedEvents: this.undecidedEvents,
        truncated: truncatedRules,
        shared: this.cat.rules.filter((r) => r.leader !== undefined).length,
      },
      limits: { eventsPerRule: MAX_RULE_EVENTS, ...this.limits },
      notHunted: this.cat.notHunted,
    }
  }
}

/** One key slot of an event field: its kind (0 exact, 1 basename, 2 trigram), the view slot of its values, value → rules. */
type Probe = {
  kind: number
  viewSlot: number
  byValue: Map<string, number[]>
  cache: GramCache
  /**
   * Trigram slots: per trigram, its rules grouped by the text a value must hold to admit them
   * (HuntCatalog.keyTexts; undefined: none), so each text is looked for once per hit.
   */
  byText: Map<string, TextGroup[]> | undefined
}

/** Rules a trigram admits when the value holds `text` (always when undefined). */
type TextGroup = { text: string | undefined; rules: number[] }

/** A trigram map's rules grouped by the text each needs (a rule needing one of several texts is in each group). */
function textGroups(
  byValue: Map<string, number[]>,
  texts: Map<number, string[]> | undefined,
): Map<string, TextGroup[]> {
  const out = new Map<string, TextGroup[]>()
  for (const [gram, rules] of byValue) {
    const groups = new Map<string | undefined, number[]>()
    for (const r of rules)
      for (const t of texts?.get(r) ?? [undefined]) {
        const list = groups.get(t)
        if (list) list.push(r)
        else groups.set(t, [r])
      }
    out.set(
      gram,
      [...groups].map(([text, list]) => ({ text, rules: list })),
    )
  }
  return out
}

/**
 * The key index of the rules reading one shape: event field name → its probes, in the catalog
 * index's order; and the keyword trigrams of the keyword rules reading it. Rules of other shapes
 * are left out, so a lookup never admits a rule the scan would then skip for its shape.
 */
type ShapeIndex = {
  byName: Map<string, Probe[]>
  keywords?: Map<string, number[]>
  keywordGroups?: Map<string, TextGroup[]>
  keywordCache: GramCache
}
type ShapeIndexes = {
  built: ShapeIndex[]
  pasted: ShapeIndex[]
  grams: Uint32Array
  /** Per rule, the view slots its verdict reads (memoReads). */
  reads: Array<number[] | null>
}

/** Unkeyed rules of a shape reading the same fields, with their remembered passing lists (one hunt's). */
type UnkeyedGroup = {
  reads: number[]
  /** Rule numbers, ascending. */
  rules: number[]
  /** Fields' values (memoKey) → passing list; null when not remembering. */
  memo: Map<number | string, number[]> | null
  tries: number
  hits: number
}

/** Verdicts remembered per rule, and by every rule of a hunt together. */
const MEMO_RULE_ENTRIES = 4096
const MEMO_ENTRIES = 200_000
/** Lookups after which a rule whose remembered verdicts answer under a quarter of them stops remembering. */
const MEMO_TRIAL = 1024
/** Values longer than this (long command lines) are not numbered, so not remembered. */
const MEMO_VALUE_MAX = 512
/** Distinct slot values numbered for memo keys in one hunt. */
const MEMO_VALUES = 65_536
/** Above every value number: three of them pack into one exact number. */
const ID_SPAN = 2 ** 17

/**
 * The view slots a rule's verdict reads: the fields of its filter's leaves (and the other field
 * of a field comparison, `_raw` for a raw keyword) and those of its presence and ASCII tests.
 * Null when it reads more than named fields (a keyword searched in every field). The verdict is
 * a function of these slots' values: leaves read nothing else but the rule's fixed options.
 */
function memoReads(r: HuntRule): number[] | null {
  const out = new Set<number>()
  let ok = true
  const walk = (p: Predicate): void => {
    if (!ok) return
    if (isLeaf(p)) {
      if (p.op === "keyword") {
        if (p.scope === "fields") ok = false
        else out.add(fieldSlot("_raw"))
      } else if (p.op === "fieldcmp") {
        out.add(fieldSlot(p.field, p.dm))
        out.add(fieldSlot(p.other, p.dm))
      } else if (p.op !== "unknown") out.add(fieldSlot(p.field, p.dm))
    } else if (p.op === "not") walk(p.arg)
    else if (p.op === "and" || p.op === "or" || p.op === "xor") p.args.forEach(walk)
  }
  walk(r.filter.predicate)
  if (!ok) return null
  for (const c of r.requiredSlots) for (const x of c) out.add(x)
  for (const c of r.bySlots) for (const x of c) out.add(x)
  for (const x of r.nonAscii ?? []) out.add(x)
  return [...out].sort((a, b) => a - b)
}

const newCache = (): GramCache => ({ texts: new Map(), tries: 0, hits: 0 })
const NO_INDEX: ShapeIndex = { byName: new Map(), keywordCache: { texts: null, tries: 0, hits: 0 } }

/** Bits of the trigram filter: a trigram's bit is set when some index holds it. */
const GRAM_BITS = 1 << 21

/** The filter bit of the trigram at `k` of `v` (collisions only cost a map lookup). */
const gramBit = (v: string, k: number): number =>
  (Math.imul(v.charCodeAt(k), 0x9e3779b1) ^
    Math.imul(v.charCodeAt(k + 1), 0x85ebca6b) ^
    Math.imul(v.charCodeAt(k + 2), 0xc2b2ae35)) >>>
  11

const hasBit = (filter: Uint32Array, b: number): boolean => (filter[b >>> 5]! & (1 << (b & 31))) !== 0

/**
 * What a trigram scan (Hunter.gramScan) found in texts seen before, per trigram map: the same
 * user, host, parent or constant comes back in every event.
 */
type GramCache = { texts: Map<string, TextGroup[][]> | null; tries: number; hits: number }
const GRAM_CACHE_TEXT = 256
const GRAM_CACHE_SIZE = 4096
const GRAM_CACHE_TRIAL = 1024

const shapeIndexCache = new WeakMap<HuntCatalog, ShapeIndexes>()

/** The catalog's key index split by shape (built and pasted) with its trigram filter; made once per catalog. */
function shapeIndexes(cat: HuntCatalog): ShapeIndexes {
  const cached = shapeIndexCache.get(cat)
  if (cached) return cached
  const grams = new Uint32Array(GRAM_BITS / 32)
  const mark = (g: string) => {
    if (g.length !== 3) return
    const b = gramBit(g, 0)
    grams[b >>> 5]! |= 1 << (b & 31)
  }
  const make = (reads: (r: HuntRule) => boolean, keywordsRead: boolean): ShapeIndex => {
    const keep = (rules: number[]) => rules.filter((i) => reads(cat.rules[i]!))
    const byName = new Map<string, Probe[]>()
    for (const [name, slots] of cat.keyByName) {
      const probes: Probe[] = []
      for (const slot of slots) {
        const byValue = new Map<string, number[]>()
        for (const [value, rules] of cat.keys.get(slot) ?? []) {
          const kept = keep(rules)
          if (kept.length === 0) continue
          byValue.set(value, kept)
          if ((slot & 3) === 2) mark(value)
        }
        if (byValue.size)
          probes.push({
            kind: slot & 3,
            viewSlot: cat.fields[slot >> 2]!.slot,
            byValue,
            cache: newCache(),
            byText: (slot & 3) === 2 ? textGroups(byValue, cat.keyTexts.get(slot)) : undefined,
          })
      }
      if (probes.length) byName.set(name, probes)
    }
    const out: ShapeIndex = { byName, keywordCache: newCache() }
    if (keywordsRead) {
      const keywords = new Map<string, number[]>()
      for (const [g, rules] of cat.keywords.grams) {
        const kept = keep(rules)
        if (kept.length === 0) continue
        keywords.set(g, kept)
        mark(g)
      }
      if (keywords.size) {
        out.keywords = keywords
        out.keywordGroups = textGroups(keywords, undefined)
      }
    }
    return out
  }
  const built: ShapeIndex[] = []
  const pasted: ShapeIndex[] = []
  for (const [shape, slot] of SHAPE_SLOT) {
    built[slot] = make((r) => (r.shapeMask & (1 << slot)) !== 0, cat.keywords.built[slot] === true)
    pasted[slot] = make((r) => r.format.tester.pastedShape === shape, cat.keywords.pasted[slot] === true)
  }
  const out = { built, pasted, grams, reads: cat.rules.map(memoReads) }
  shapeIndexCache.set(cat, out)
  return out
}

/** Whether each clause has one of its slots present on the view. */
function presentAll(clauses: number[][], view: EventView): boolean {
  for (const clause of clauses) {
    let any = false
    for (const slot of clause)
      if (view.valuesAt(slot) !== undefined) {
        any = true
        break
      }
    if (!any) return false
  }
  return true
}

/** The first row of an event that passed a `log` rule's first stage. */
function firstRow(r: HuntRule, view: EventView, time: number | undefined): Row {
  const row: Row = {}
  const first = r.plan!.first
  if (first.kind === "event") {
    const event = view.event
    for (const k in event) {
      if (!Object.hasOwn(event, k)) continue
      const v = event[k]
      if (v === null || v === undefined) continue
      row[k] = typeof v === "string" ? v : Array.isArray(v) ? v.map(String) : String(v)
    }
  } else {
    for (const f of first.fields) {
      if (f === "_time") continue
      const dot = f.indexOf(".")
      const prefix = dot > 0 ? f.slice(0, dot) : undefined
      const vals =
        prefix !== undefined && first.prefixes.includes(prefix) ? view.values(f.slice(dot + 1), prefix) : view.values(f)
      if (vals !== undefined) row[f] = vals.length === 1 ? vals[0]! : vals
    }
  }
  if (time !== undefined) row._time = numberText(time)
  return row
}

function riskEntities(rules: RuleHits[], threshold: number): RiskEntity[] {
  const totals = new Map<string, RiskEntity>()
  for (const r of rules)
    for (const c of r.risk) {
      const key = `${c.field}\u0000${c.value.toLowerCase()}`
      let t = totals.get(key)
      if (!t) {
        if (totals.size >= MAX_ENTITIES) continue
        totals.set(key, (t = { field: c.field, value: c.value, score: 0, rules: [], exceeds: false }))
      }
      t.score += c.score
      if (!t.rules.includes(r.name)) t.rules.push(r.name)
    }
  const out = [...totals.values()]
  for (const t of out) t.exceeds = t.score > threshold
  return out.sort((a, b) => b.score - a.score || a.field.localeCompare(b.field) || a.value.localeCompare(b.value))
}

function attackSummary(rules: RuleHits[], cat: HuntCatalog): TechniqueHits[] {
  const byId = new Map<string, TechniqueHits>()
  const detections = new Map(cat.rules.map((r) => [`${r.detection.format}\u0000${r.detection.id}`, r.detection]))
  for (const r of rules) {
    const d = detections.get(`${r.format}\u0000${r.id}`)
    for (const a of d?.attack ?? []) {
      if (!/^T\d{4}/.test(a.id)) continue
      let t = byId.get(a.id)
      if (!t) {
        t = { id: a.id, tactics: a.tactics, rules: 0, hits: 0 }
        if (a.name !== undefined) t.name = a.name
        byId.set(a.id, t)
      }
      t.rules++
      t.hits += r.hits
    }
  }
  return [...byId.values()].sort((a, b) => b.hits - a.hits || a.id.localeCompare(b.id))
}
