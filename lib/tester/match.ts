/**
 * The tester's engine: one input (a built process event in its shapes, or a pasted event)
 * against every analysed rule of the catalog → firing rules with traces, near misses, rules that
 * cannot be judged on one event, and the risk they add per entity.
 *
 * Owns: shape selection per rule, ranking, the near-miss definition, risk totals.
 *
 * Invariants:
 * - Pure, synchronous, no I/O; `compileCatalog` compiles each rule once, `matchEvent` reuses it
 *   (one EventView per event shape, shared by all rules).
 * - Shape selection: a tstats/datamodel rule reads the CIM shape; a raw-search rule reads the
 *   Sysmon shape and/or the 4688 shape, chosen from its data sources, the fields its predicate
 *   reads and its expanded text; a rule with no clue reads all three. Each applicable shape is
 *   evaluated and the best verdict kept (true > unknown > false; among false, the one with a near
 *   miss). A pasted event is one event: every rule reads it.
 * - Verdicts: true = fires; 'unknown' = cannot be judged on one event (listed apart with the
 *   reasons); false = does not fire.
 * - Near miss (definition): a rule whose verdict is false, which drops no event for a missing
 *   BY field, and where negating the outcome of exactly one leaf of its combined predicate
 *   (true↔false, NULL→true) would make the combined predicate true; and at least one other
 *   leaf of positive polarity (under an even number of NOTs) held on a value the event carries —
 *   so a rule that merely failed its only real test on an absent field is not "near" (constant
 *   fields the builder fills in — action, vendor_product, EventCode — do not count). The
 *   failing leaves listed are every leaf whose single flip rescues the rule (e.g. either branch
 *   of an OR). A rule rescued only by flips on the process identity is not near, and near
 *   misses are listed closest first (near-miss-rank.ts).
 * - Risk: what a firing rule adds and the totals per entity are decided in risk.ts.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../catalog/types.ts"
import { EventView, formatLeaf, type Event, type EvaluateOptions, type Leaf, type LeafTrace, type Predicate } from "../predicate/index.ts"
import { fieldSlot } from "../predicate/event-view.ts"
import type { LongValue } from "../predicate/grams.ts"
import { isLeaf } from "../predicate/types.ts"
import { evaluate, flipsToTrue } from "../predicate/compile.ts"
import { compileLeaf, type LeafCheck } from "../predicate/leaf-tests.ts"
import { compileRule, evaluateRule, matchRule, type CompiledRule, type RuleEvaluation } from "../spl/index.ts"
import { eventLogsources, logsourceAdmits, PROCESS_CREATION, sigmaEventOf } from "../sigma/index.ts"
import type { SigmaAnalysis, SigmaLogsource } from "../sigma/types.ts"
import type { SplAnalysis } from "../spl/types.ts"
import { EVENT_SHAPES, SPL_SHAPES, type BuiltEvents, type EventShape } from "./event.ts"
import { atomFrequencies, buildKeyIndex, keyClause, keyHits, keySlot, leafAtoms, type KeyIndex } from "./key-index.ts"

import { DEFAULT_RISK_THRESHOLD } from "./form.ts"
import { closeness, compareNearMisses, identityOnly, type Closeness, type LeafOutcome } from "./near-miss-rank.ts"
import { noRiskReason, riskOf, riskTotals, type RiskContribution } from "./risk.ts"

export { DEFAULT_RISK_THRESHOLD, riskTotals }
export type { RiskContribution, RiskTotal } from "./risk.ts"
const TYPE_RANK: Record<string, number> = { TTP: 0, Anomaly: 1, Hunting: 2, Correlation: 3 }

export type CatalogRule = {
  detection: Detection
  rule: CompiledRule
  shapes: EventShape[]
  /** Sigma rules: the logsource that gates which events the rule may see (spec sigma.md §3.4). */
  logsource?: SigmaLogsource
  /** Sigma rules: index of `logsource` in `CompiledCatalog.logsources` (the gate is decided once per distinct logsource). */
  logsourceId?: number
  /** The rule's reference fields, made once (they are copied into every report entry). */
  ref: RuleRef
  /** The evaluability reasons, de-duplicated: the static part of an undecided entry's reasons. */
  staticReasons: string[]
  /** The evaluability category, read once (it is copied into every undecided entry). */
  category?: string
  /** Every leaf by id: under an odd number of NOTs or not, and its text (formatted once, for traces). */
  leaves: Map<number, { leaf: Leaf; negated: boolean; test: string }>
  /** Fields (and data-model prefix) read by positive, non-metadata leaves: the near-miss prefilter. */
  anchors: Array<{ field: string; dm?: string }>
  /**
   * Field-presence prefilter: the combined predicate can only be true or 'unknown' when, for
   * every clause, at least one of its fields is present on the event (conservative: derived,
   * metadata, filled, unsupported and negated leaves add no clause).
   */
  required: number[][]
  /** Stage BY fields (stats `requires`): each as the field ids it may be read from (bare, prefixed). */
  byFields: number[][]
  /** `anchors` as field ids. */
  anchorIds: number[]
  /**
   * Checks of the positive, non-metadata leaves on anchor fields: a near miss needs one to hold on
   * a value. Such a leaf holds on a value whenever it holds, except isnull, left out.
   */
  anchorChecks: LeafCheck[]
  /**
   * Near-miss prefilter: atoms of every anchor test (one holds whenever an anchor test holds);
   * undefined when some anchor test has none, and the rule is then always checked.
   */
  anchorKey?: Array<{ slot: number; value: string }>
  /**
   * Value prefilter: the combined predicate can only be true or 'unknown' when one of these
   * exact, case-insensitive (field, value) tests holds; see `keyClause`. Absent when the rule has
   * no such clause (it is then always evaluated).
   */
  key?: Array<{ slot: number; value: string }>
}

/** A field the prefilters read, with its EventView slot (see fieldSlot). */
type FieldRef = { field: string; dm?: string; slot: number }

export type CompiledCatalog = {
  rules: CatalogRule[]
  /** Detections without an SPL analysis (other formats, analysis failures). */
  notAnalysed: Array<{ id: string; name: string; format: string; reason: string }>
  /** Fields the prefilter reads, interned: rules refer to them by index. */
  fields: FieldRef[]
  /**
   * Inverted value index over the rules' key clauses: key slot (`keySlot`: field id, exact or
   * basename test) → lower-cased value → indexes (into `rules`) of the rules whose key clause
   * contains that test.
   */
  keyIndex: KeyIndex
  /** The same over each rule's anchorKey: which rules may be near misses. */
  anchorIndex: KeyIndex
  /** Distinct Sigma logsources of the rules. */
  logsources: SigmaLogsource[]
  /**
   * Per rule (same index as `rules`), flat: the per-event scan decides from these alone which
   * rules to evaluate, without touching the rule objects (reading 5,000 scattered objects per
   * event, mostly to skip them, was the largest cost of matchEvent).
   */
  scan: {
    /** logsourceId, or -1 for rules without a Sigma gate. */
    gate: Int32Array
    /** The rule's shapes as bits (1 << SHAPE_SLOT). */
    shapes: Uint8Array
    /** 1 when the rule has a key clause (`key`): it is evaluated only on a key hit. */
    keyed: Uint8Array
    /** 1 when the rule has an anchorKey: it is a near-miss candidate only on an anchor hit. */
    anchorKeyed: Uint8Array
  }
}

/** What is being tested: a built process event (all shapes) or one pasted/flat event. */
export type TesterInput = { built: BuiltEvents } | { event: Event }

export type MatchOptions = {
  threshold?: number
  /** Metadata leaves (index, source, eventtype, tag…) the event lacks: default 'assume'. */
  metadata?: EvaluateOptions["metadata"]
  /** Compute near misses (default true); they cost a traced evaluation of candidate rules. */
  nearMisses?: boolean
}

export type TraceLeaf = {
  id: number
  held: boolean | "unknown"
  /** The leaf as written in the rule (`Processes.process_name=wmic.exe`). */
  test: string
  field?: string
  value?: string
  macro?: string
  /** The leaf sits under NOT: it helps the rule when it does NOT hold. */
  negated?: true
  isNull?: true
  /** Sigma: the search identifier the leaf comes from (`selection_img`). */
  selection?: string
}

export type TraceStage = {
  index: number
  command: string
  result: boolean | "unknown" | "pass" | "blocked"
  reason?: string
  macros: string[]
  leaves: TraceLeaf[]
}

export type RuleRef = {
  id: string
  name: string
  slug: string
  format: string
  type: string
  path: string
  status: string
  /** informational … critical: the Splunk risk severity, the Sigma level. */
  severity?: string
}

export type FiredRule = RuleRef & {
  shape: EventShape | "event"
  riskScore?: number
  risk: RiskContribution[]
  /** Why the rule adds no risk (`risk` is then empty). */
  noRisk?: string
  trace: TraceStage[]
  /** One line: the positive leaves that held, with their values. */
  summary: string
}

export type NearMiss = RuleRef & {
  shape: EventShape | "event"
  /** Leaves whose single flip would make the rule fire. */
  failed: TraceLeaf[]
  /** Positive conditions that held on real values, of those counted (near-miss-rank.ts). */
  closeness: Closeness
  trace: TraceStage[]
}

export type Undecided = RuleRef & { shape: EventShape | "event"; category?: string; reasons: string[] }

export type MatchReport = {
  /** Which Sigma logsources the input counts as (the gate); 'any' when the event names none. */
  sigmaLogsources: SigmaLogsource[] | "any"
  fired: FiredRule[]
  nearMisses: NearMiss[]
  undecided: Undecided[]
  counts: {
    rules: number
    fired: number
    nearMisses: number
    undecided: number
    notFired: number
    notAnalysed: number
    /** Sigma rules whose logsource does not admit this event (not run). */
    notApplicable: number
  }
  risk: { threshold: number; totals: import("./risk.ts").RiskTotal[] }
}

/** Fields each built shape carries (see buildProcessEvents): used to skip shapes a rule cannot read. */
const SHAPE_FIELDS: Record<Exclude<EventShape, "sigma">, Set<string>> = {
  cim: new Set(["process", "process_name", "original_file_name", "process_path", "process_exec", "parent_process", "parent_process_name", "parent_process_path", "parent_process_exec", "user", "dest", "action", "vendor_product"]),
  sysmon: new Set(["CommandLine", "Image", "OriginalFileName", "ParentImage", "ParentCommandLine", "User", "Computer", "EventCode", "EventID"]),
  security4688: new Set(["NewProcessName", "Process_Command_Line", "CommandLine", "ParentProcessName", "SubjectUserName", "Computer", "EventCode", "EventID"]),
}

/** Constant CIM fields the builder fills in: holding on them says nothing about closeness. */
const NOT_ANCHORS = new Set(["action", "vendor_product", "EventCode", "EventID", "Channel", "Provider_Name"])

const RAW_SYSMON_FIELDS = new Set(["Image", "ParentImage", "OriginalFileName", "ParentCommandLine", "IntegrityLevel", "Hashes", "ProcessGuid"])
const RAW_4688_FIELDS = new Set(["NewProcessName", "Process_Command_Line", "ParentProcessName", "NewProcessId", "TokenElevationType", "MandatoryLabel"])

function leafIndex(p: Predicate, negated: boolean, out: CatalogRule["leaves"]): void {
  if (isLeaf(p)) out.set(p.id, { leaf: p, negated, test: formatLeaf(p) })
  else if (p.op === "not") leafIndex(p.arg, !negated, out)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) leafIndex(a, negated, out)
}

/** Which event shapes a rule reads (see the module invariants). */
export function ruleShapes(d: Detection, leaves: Iterable<{ leaf: Leaf }>): EventShape[] {
  const a = d.analysis
  if (a?.datamodel) return ["cim"]
  const fields = new Set<string>()
  for (const { leaf } of leaves) if ("field" in leaf) fields.add(leaf.field)
  const ds = d.dataSources.join(" ")
  const text = a?.expanded ?? d.search
  const out: EventShape[] = []
  if (/sysmon/i.test(ds) || /sysmon/i.test(text) || [...fields].some((f) => RAW_SYSMON_FIELDS.has(f))) out.push("sysmon")
  if (/4688/.test(ds) || /\b4688\b/.test(text) || [...fields].some((f) => RAW_4688_FIELDS.has(f))) out.push("security4688")
  if (out.length) return out
  // No clue: only the shapes carrying a field the rule reads; none → the CIM shape stands for all
  // (every field the rule reads is absent from every shape, so one evaluation decides).
  const readable = SPL_SHAPES.filter((s) => s !== "sigma" && [...fields].some((f) => SHAPE_FIELDS[s].has(f)))
  return readable.length ? readable : ["cim"]
}

const fieldRef = (field: string, dm: string | undefined): FieldRef => (dm === undefined ? { field, slot: fieldSlot(field) } : { field, dm, slot: fieldSlot(field, dm) })

/**
 * Clauses (each: at least one of its fields present) necessary for `p` to be true or 'unknown'
 * (`nullOk` false) or for `p` not to be false (`nullOk` true), or undefined when nothing is
 * required. A positive field test on an absent field yields false (search language, isnotnull)
 * or NULL (eval language), never true or 'unknown' — unless the field is derived, metadata or
 * filled, or the test is unsupported, isnull or a keyword. AND is 'unknown' with a NULL argument
 * next to an 'unknown' one, so its arguments are only required not to be false.
 */
function requiredFields(p: Predicate, unsupported: Set<number>, nullOk: boolean): FieldRef[][] | undefined {
  if (isLeaf(p)) {
    if (p.derived || p.meta || p.fill !== undefined || unsupported.has(p.id)) return undefined
    switch (p.op) {
      case "cmp":
      case "in":
      case "regex":
        return p.lang === "search" || !nullOk ? [[fieldRef(p.field, p.dm)]] : undefined
      case "isnotnull":
        return [[fieldRef(p.field, p.dm)]]
      case "like":
      case "cidr":
        return nullOk ? undefined : [[fieldRef(p.field, p.dm)]]
      case "fieldcmp":
        return nullOk ? undefined : [[fieldRef(p.field, p.dm)], [fieldRef(p.other, p.dm)]]
      default:
        return undefined
    }
  }
  if (p.op === "and") {
    const out = p.args.flatMap((a) => requiredFields(a, unsupported, true) ?? [])
    return out.length ? out : undefined
  }
  if (p.op === "or") {
    // True/unknown (resp. not false) only when some branch is: every branch must require
    // something, and then one of the fields of each branch's first clause must be present.
    const clause: FieldRef[] = []
    for (const a of p.args) {
      const r = requiredFields(a, unsupported, nullOk)
      if (!r?.[0]) return undefined
      clause.push(...r[0])
    }
    return clause.length ? [clause] : undefined
  }
  return undefined // not, xor, true, false: nothing required (conservative)
}

/**
 * A Sigma rule seen as a one-stage pipeline, so the SPL evaluation, traces and near misses apply
 * unchanged: the stage is the condition with every search identifier expanded.
 */
export function sigmaAsAnalysis(s: SigmaAnalysis): SplAnalysis {
  const reasons = s.evaluable ? [] : [{ construct: "sigma", category: "other" as const, message: s.reason ?? "cannot be decided on one event" }]
  return {
    expanded: "",
    stages: [{ index: 0, command: "condition", text: s.condition, start: 0, end: 0, macros: [], role: "filter", predicate: s.predicate, evaluable: s.evaluable, ...(s.reason ? { reason: s.reason } : {}) }],
    predicate: s.predicate,
    macroCalls: [],
    diagnostics: [],
    evaluability: { evaluable: s.evaluable, ...(s.evaluable ? {} : { category: "other" as const }), reasons, notes: [], requires: [] },
    parse: { firstStage: "full", unsupportedConstructs: [] },
  }
}

/** Compiles every analysed rule once; reuse the result for many events. */
export function compileCatalog(detections: readonly Detection[]): CompiledCatalog {
  const rules: CatalogRule[] = []
  const notAnalysed: CompiledCatalog["notAnalysed"] = []
  const fields: FieldRef[] = []
  const fieldIds = new Map<string, number>()
  const intern = (f: { field: string; dm?: string }): number => {
    const k = f.dm === undefined ? f.field : `${f.dm}\u0000${f.field}`
    let id = fieldIds.get(k)
    if (id === undefined) {
      id = fields.length
      fields.push(fieldRef(f.field, f.dm))
      fieldIds.set(k, id)
    }
    return id
  }
  const logsources: SigmaLogsource[] = []
  const logsourceIds = new Map<string, number>()
  // Key clauses are chosen once every rule is compiled, knowing how many rules share each value.
  const pendingKeys: Array<{ entry: CatalogRule; predicate: Predicate; unsupported: Set<number> }> = []
  for (const d of detections) {
    if (d.sigma?.kind === "correlation") {
      notAnalysed.push({ id: d.id, name: d.name, format: d.format, reason: "a Sigma correlation rule: it counts or orders other rules' matches over time, never one event" })
      continue
    }
    const analysis = d.analysis ?? (d.sigma ? sigmaAsAnalysis(d.sigma) : undefined)
    if (!analysis) {
      notAnalysed.push({ id: d.id, name: d.name, format: d.format, reason: d.format === "splunk" ? "the SPL analysis failed" : `the ${d.format} rule could not be compiled` })
      continue
    }
    const leaves: CatalogRule["leaves"] = new Map()
    leafIndex(analysis.predicate, false, leaves)
    const anchors: CatalogRule["anchors"] = []
    for (const { leaf, negated } of leaves.values()) {
      if (negated || leaf.meta || !("field" in leaf) || NOT_ANCHORS.has(leaf.field) || anchors.some((a) => a.field === leaf.field)) continue
      anchors.push(leaf.dm === undefined ? { field: leaf.field } : { field: leaf.field, dm: leaf.dm })
    }
    const anchorChecks: LeafCheck[] = []
    const anchorLeaves: Leaf[] = []
    for (const { leaf, negated } of leaves.values()) {
      if (negated || leaf.meta || !("field" in leaf) || NOT_ANCHORS.has(leaf.field)) continue
      const c = compileLeaf(leaf)
      if (leaf.op !== "isnull") anchorChecks.push(c.check ?? ((view, o) => c.test(view, o).held))
      anchorLeaves.push(leaf)
    }
    const rule = compileRule(analysis)
    const unsupported = new Set(rule.combined.unsupported.map((u) => u.id))
    const prefixes = analysis.datamodel?.prefixes ?? []
    const byFields = analysis.stages.flatMap((s) => (s.requires ?? []).map((field) => [field, ...prefixes.map((p) => `${p}.${field}`)].map((f) => intern(fieldRef(f, undefined)))))
    const required = (requiredFields(analysis.predicate, unsupported, false) ?? []).map((c) => [...new Set(c.map(intern))])
    const shapes: EventShape[] = d.sigma ? ["sigma"] : ruleShapes(d, leaves.values())
    const staticReasons = [...new Set(analysis.evaluability.reasons.map((x) => x.message))]
    const entry: CatalogRule = { detection: d, rule, shapes, leaves, anchors, required, byFields, anchorIds: anchors.map(intern), anchorChecks, ref: ref(d), staticReasons }
    if (analysis.evaluability.category) entry.category = analysis.evaluability.category
    if (d.sigma) {
      entry.logsource = d.sigma.logsource
      const k = JSON.stringify([d.sigma.logsource.product, d.sigma.logsource.category, d.sigma.logsource.service])
      let id = logsourceIds.get(k)
      if (id === undefined) {
        id = logsources.length
        logsources.push({ ...d.sigma.logsource })
        logsourceIds.set(k, id)
      }
      entry.logsourceId = id
    }
    const anchorAtoms = anchorLeaves.map((l) => leafAtoms(l, unsupported))
    if (anchorAtoms.every((a) => a !== undefined)) entry.anchorKey = anchorAtoms.flat().map((a) => ({ slot: keySlot(intern(fieldRef(a.field, a.dm)), a.kind), value: a.value }))
    pendingKeys.push({ entry, predicate: analysis.predicate, unsupported })
    rules.push(entry)
  }
  const freq = atomFrequencies(pendingKeys.map(({ entry, unsupported }) => ({ leaves: [...entry.leaves.values()].map((l) => l.leaf), unsupported })))
  for (const { entry, predicate, unsupported } of pendingKeys) {
    const key = keyClause(predicate, unsupported, freq)
    if (key) entry.key = key.map((a) => ({ slot: keySlot(intern(fieldRef(a.field, a.dm)), a.kind), value: a.value }))
  }
  // Rules are kept in report order, so every list of a report comes out ranked without sorting
  // per event (localeCompare over dozens of undecided rules cost more than evaluating them).
  rules.sort((a, b) => compareRules(ruleRank(a.detection), ruleRank(b.detection)))
  const keyIndex = buildKeyIndex(rules.map((r) => r.key))
  const anchorIndex = buildKeyIndex(rules.map((r) => r.anchorKey))
  const n = rules.length
  const scan = { gate: new Int32Array(n), shapes: new Uint8Array(n), keyed: new Uint8Array(n), anchorKeyed: new Uint8Array(n) }
  rules.forEach((r, i) => {
    scan.gate[i] = r.logsourceId ?? -1
    for (const shape of r.shapes) scan.shapes[i]! |= 1 << SHAPE_SLOT[shape]
    scan.keyed[i] = r.key ? 1 : 0
    scan.anchorKeyed[i] = r.anchorKey ? 1 : 0
  })
  return { rules, notAnalysed, fields, keyIndex, anchorIndex, logsources, scan }
}

// ---------------------------------------------------------------------------------------------

type Truth = boolean | "unknown" | null

/** Re-evaluates a predicate from leaf outcomes, optionally with one leaf flipped. */
function replay(p: Predicate, outcome: Map<number, Truth>, flip: number): Truth {
  if (isLeaf(p)) {
    const v = outcome.get(p.id) ?? "unknown"
    if (p.id !== flip) return v
    return v === true ? false : v === "unknown" ? "unknown" : true
  }
  switch (p.op) {
    case "true":
      return true
    case "false":
      return false
    case "not": {
      const v = replay(p.arg, outcome, flip)
      return typeof v === "boolean" ? !v : v
    }
    // Loops rather than mapped arrays: replay runs once per leaf of every near-miss candidate.
    case "xor": {
      let unknown = false
      let sawNull = false
      let odd = false
      for (const a of p.args) {
        const v = replay(a, outcome, flip)
        if (v === "unknown") unknown = true
        else if (v === null) sawNull = true
        else if (v === true) odd = !odd
      }
      return unknown ? "unknown" : sawNull ? null : odd
    }
    default: {
      const stop = p.op === "or"
      let unknown = false
      let sawNull = false
      for (const a of p.args) {
        const v = replay(a, outcome, flip)
        if (v === stop) return stop
        if (v === "unknown") unknown = true
        else if (v === null) sawNull = true
      }
      return unknown ? "unknown" : sawNull ? null : !stop
    }
  }
}

/** Leaf ids whose single flip makes the rule's combined predicate true (empty = not a near miss). */
export function nearMissLeaves(r: CatalogRule, ev: RuleEvaluation): number[] {
  if (ev.matched !== false) return []
  if (ev.reasons.some((x) => x.includes("because BY field"))) return []
  const outcome = new Map<number, Truth>()
  for (const t of ev.leaves) outcome.set(t.id, t.isNull ? null : t.held)
  const pred = r.rule.analysis.predicate
  let anchored = false
  for (const t of ev.leaves) {
    const info = r.leaves.get(t.id)
    if (info && !info.negated && !info.leaf.meta && !NOT_ANCHORS.has(t.field ?? "") && t.held === true && t.value !== undefined) anchored = true
  }
  if (!anchored) return []
  const out: number[] = []
  for (const t of ev.leaves) {
    if (t.held === "unknown") continue
    if (replay(pred, outcome, t.id) === true) out.push(t.id)
  }
  // A rule whose only way to fire is another process identity is about that process, not near.
  if (identityOnly(out.map((id) => ({ field: leafField(r.leaves.get(id)?.leaf) })))) return []
  return out
}

const leafField = (l: Leaf | undefined): string | undefined => (l && "field" in l ? l.field : undefined)

function traceLeaf(r: CatalogRule, t: LeafTrace): TraceLeaf {
  const info = r.leaves.get(t.id)
  const out: TraceLeaf = { id: t.id, held: t.held, test: info ? info.test : `#${t.id}` }
  if (t.field !== undefined) out.field = t.field
  if (t.value !== undefined) out.value = t.value
  if (info?.leaf.macro) out.macro = info.leaf.macro
  if (info?.negated) out.negated = true
  if (t.isNull) out.isNull = true
  if (info?.leaf.selection !== undefined) out.selection = info.leaf.selection
  return out
}

function buildTrace(r: CatalogRule, ev: RuleEvaluation): TraceStage[] {
  return ev.stages.map((s) => {
    const stage = r.rule.analysis.stages.find((x) => x.index === s.index)
    const out: TraceStage = { index: s.index, command: s.command, result: s.result, macros: stage?.macros ?? [], leaves: s.leaves.map((t) => traceLeaf(r, t)) }
    if (s.reason !== undefined) out.reason = s.reason
    return out
  })
}

/** Short human line: the positive leaves that held, with the value they held on. */
export function traceSummary(trace: TraceStage[]): string {
  const parts: string[] = []
  for (const s of trace) {
    for (const l of s.leaves) {
      if (l.negated || l.held !== true) continue
      parts.push(`${l.test}${l.value !== undefined ? ` ← "${l.value.length > 60 ? `${l.value.slice(0, 57)}...` : l.value}"` : ""}${l.macro ? ` [${l.macro}]` : ""}`)
    }
  }
  return parts.join("; ") || "(no positive condition: the rule's filters are all exclusions or metadata)"
}

function ref(d: Detection): RuleRef {
  const r: RuleRef = { id: d.id, name: d.name, slug: d.slug, format: d.format, type: d.type, path: d.path, status: d.status }
  if (d.risk.severity !== undefined) r.severity = d.risk.severity
  return r
}

const rank = (v: boolean | "unknown", near: boolean): number => (v === true ? 3 : v === "unknown" ? 2 : near ? 1 : 0)

function valueOf(views: EventView[], field: string): string | undefined {
  for (const v of views) {
    const vals = v.values(field)
    if (vals?.[0] !== undefined) return vals[0]
  }
  return undefined
}

function ruleRank(d: Detection): RuleRef & { riskScore?: number } {
  const r: RuleRef & { riskScore?: number } = ref(d)
  if (d.risk.score !== undefined) r.riskScore = d.risk.score
  return r
}

function compareRules(a: RuleRef & { riskScore?: number }, b: RuleRef & { riskScore?: number }): number {
  return (
    (TYPE_RANK[a.type] ?? 9) - (TYPE_RANK[b.type] ?? 9) ||
    (b.riskScore ?? -1) - (a.riskScore ?? -1) ||
    a.name.localeCompare(b.name) ||
    a.id.localeCompare(b.id)
  )
}

/** Field presence on one view by interned field id, computed lazily: the prefilter reads it for every rule. */
function presence(view: EventView, fields: readonly FieldRef[]): (id: number) => boolean {
  const known = new Int8Array(fields.length) // 0 not looked up, 1 present, 2 absent
  return (id) => {
    let v = known[id]
    if (v === 0) {
      const f = fields[id]!
      v = known[id] = view.valuesAt(f.slot) !== undefined ? 1 : 2
    }
    return v === 1
  }
}

/** Same verdict as matchRule (rule.ts), with the field prefilter first and no per-call allocation. */
function quickVerdict(r: CatalogRule, view: EventView, has: (id: number) => boolean, opts: EvaluateOptions & { trace: false }): boolean | "unknown" {
  for (const clause of r.required) if (!clause.some(has)) return false
  const v = evaluate(r.rule.combined, view, opts).matched
  if (v === false) return false
  for (const ids of r.byFields) if (!ids.some(has)) return false
  return v === "unknown" || !r.rule.analysis.evaluability.evaluable ? "unknown" : true
}

function anchored(r: CatalogRule, view: EventView, opts: EvaluateOptions): boolean {
  // Checks, not traced tests: this runs for thousands of candidates per event, most rejected.
  for (const c of r.anchorChecks) if (c(view, opts) === true) return true
  return false
}

type Best = { shape: EventShape | "event"; ev: RuleEvaluation; near: number[]; score: number }

function report(
  catalog: CompiledCatalog,
  views: Map<EventShape | "event", EventView>,
  fallbackViews: EventView[],
  /** The rules with a best evaluation, by index into `catalog.rules`, in ascending order; every other applicable rule did not fire. */
  bestIds: readonly number[],
  bests: ReadonlyArray<Best>,
  /** Rules the Sigma gate kept away from this input. */
  notApplicable: number,
  threshold: number,
  sigmaSources: SigmaLogsource[] | undefined,
): MatchReport {
  const fired: FiredRule[] = []
  const nearMisses: NearMiss[] = []
  const undecided: Undecided[] = []
  for (let j = 0; j < bestIds.length; j++) {
    const r = catalog.rules[bestIds[j]!]!
    const best = bests[j]!
    const d = r.detection
    if (best.ev.matched === true) {
      const trace = buildTrace(r, best.ev)
      const view = views.get(best.shape)
      const read = view ? [view, ...fallbackViews] : fallbackViews
      const item: FiredRule = { ...r.ref, shape: best.shape, risk: riskOf(d, (f) => valueOf(read, f)), trace, summary: traceSummary(trace) }
      if (d.risk.score !== undefined) item.riskScore = d.risk.score
      const none = item.risk.length ? undefined : noRiskReason(d)
      if (none) item.noRisk = none
      fired.push(item)
    } else if (best.ev.matched === "unknown") {
      const reasons = r.staticReasons.slice()
      for (const x of best.ev.reasons) if (!reasons.includes(x)) reasons.push(x)
      const f = r.ref
      // Spelled out: an object spread here cost more than the traced evaluation before it.
      const u: Undecided = { id: f.id, name: f.name, slug: f.slug, format: f.format, type: f.type, path: f.path, status: f.status, shape: best.shape, reasons }
      if (f.severity !== undefined) u.severity = f.severity
      if (r.category) u.category = r.category
      undecided.push(u)
    } else if (best.near.length) {
      const trace = buildTrace(r, best.ev)
      const failed = best.ev.leaves.filter((t) => best.near.includes(t.id)).map((t) => traceLeaf(r, t))
      const outcome = new Map<number, LeafOutcome>()
      for (const t of best.ev.leaves) outcome.set(t.id, t.value === undefined ? { held: t.held } : { held: t.held, value: t.value })
      nearMisses.push({ ...r.ref, shape: best.shape, failed, closeness: closeness(r.rule.analysis.predicate, outcome, NOT_ANCHORS), trace })
    }
  }
  nearMisses.sort(compareNearMisses)
  const notFired = catalog.rules.length - notApplicable - fired.length - undecided.length - nearMisses.length
  return {
    sigmaLogsources: sigmaSources ?? "any",
    fired,
    nearMisses,
    undecided,
    counts: {
      rules: catalog.rules.length + catalog.notAnalysed.length,
      fired: fired.length,
      nearMisses: nearMisses.length,
      undecided: undecided.length,
      notFired,
      notAnalysed: catalog.notAnalysed.length,
      notApplicable,
    },
    risk: { threshold, totals: riskTotals(fired, threshold) },
  }
}

type InputViews = {
  views: Map<EventShape | "event", EventView>
  fallbackViews: EventView[]
  /** The logsources Sigma rules are gated on; undefined = the event names none, every Sigma rule reads it. */
  sigmaSources: SigmaLogsource[] | undefined
}

/**
 * One EventView per shape. A built command line has all four shapes (Sigma rules read the
 * `sigma` one, a process_creation event); a pasted event is read as is by SPL rules and with
 * Sigma's names (sigmaEventOf) by Sigma rules, gated on the logsources its Channel and EventID say.
 */
function inputViews(input: TesterInput): InputViews {
  const views = new Map<EventShape | "event", EventView>()
  if ("built" in input) {
    const shared = new Map<string, LongValue>()
    for (const s of EVENT_SHAPES) views.set(s, new EventView(input.built.shapes[s], shared))
    const fallbackViews = [views.get("cim"), views.get("sysmon"), views.get("security4688")].filter((v): v is EventView => v !== undefined)
    return { views, fallbackViews, sigmaSources: [PROCESS_CREATION] }
  }
  const shared = new Map<string, LongValue>()
  views.set("event", new EventView(input.event, shared))
  const sigmaEvent = sigmaEventOf(input.event)
  views.set("sigma", new EventView(sigmaEvent, shared))
  const sources = eventLogsources(sigmaEvent)
  return { views, fallbackViews: [], sigmaSources: sources.length > 0 ? sources : undefined }
}

/** Per distinct Sigma logsource of the catalog: 1 when the input's sources admit it (all, when ungated). */
function admittedLogsources(catalog: CompiledCatalog, sigmaSources: SigmaLogsource[] | undefined): Uint8Array {
  const out = new Uint8Array(catalog.logsources.length)
  catalog.logsources.forEach((ls, i) => {
    out[i] = !sigmaSources || logsourceAdmits(ls, sigmaSources) ? 1 : 0
  })
  return out
}

/** Which shapes a rule reads for this input (the Sigma gate is decided before, from `scan.gate`). */
function shapesFor(r: CatalogRule, built: boolean): ReadonlyArray<EventShape | "event"> {
  if (r.logsourceId !== undefined) return SIGMA_ONLY
  return built ? r.shapes : EVENT_ONLY
}

const EVENT_ONLY: Array<"event"> = ["event"]
const SHAPE_SLOT: Record<EventShape | "event", number> = { cim: 0, sysmon: 1, security4688: 2, sigma: 3, event: 4 }
const SHAPE_COUNT = 5
const SIGMA_BIT = 1 << SHAPE_SLOT.sigma
const EVENT_BIT = 1 << SHAPE_SLOT.event
const SIGMA_ONLY: Array<"sigma"> = ["sigma"]

/**
 * Evaluates one input against every compiled rule. Same report as matchEventReference, faster:
 * one EventView per shape; a field-presence prefilter and an untraced verdict per rule and shape;
 * the traced evaluation only for rules that fire or are undecided, and for near-miss candidates
 * (an anchor field present and at most one leaf flip from true, see flipsToTrue).
 */
export function matchEvent(catalog: CompiledCatalog, input: TesterInput, options: MatchOptions = {}): MatchReport {
  const threshold = options.threshold ?? DEFAULT_RISK_THRESHOLD
  const opts: EvaluateOptions = { metadata: options.metadata ?? "assume" }
  const quickOpts = { ...opts, trace: false as const }
  const wantNear = options.nearMisses !== false
  const { views, fallbackViews, sigmaSources } = inputViews(input)
  // Per-shape lookups by small integer (SHAPE_SLOT) rather than Map.get in the loop over every rule.
  const viewAt: Array<EventView | undefined> = []
  const hasAt: Array<(id: number) => boolean> = []
  const keyedAt: Uint8Array[] = []
  const anchorAt: Uint8Array[] = []
  const n = catalog.rules.length
  for (const [s, v] of views) {
    const k = SHAPE_SLOT[s]
    viewAt[k] = v
    hasAt[k] = presence(v, catalog.fields)
    keyedAt[k] = keyHits(catalog.keyIndex, catalog.fields, n, v)
    if (wantNear) anchorAt[k] = keyHits(catalog.anchorIndex, catalog.fields, n, v)
  }
  const built = "built" in input
  const admitted = admittedLogsources(catalog, sigmaSources)
  const { gate, shapes: shapeBits, keyed, anchorKeyed } = catalog.scan
  const bestIds: number[] = []
  const bests: Best[] = []
  let notApplicable = 0
  for (let i = 0; i < n; i++) {
    // The scan reads flat arrays only; a rule object is touched once the rule may fire or be near.
    const g = gate[i]!
    let bits: number
    if (g >= 0) {
      if (admitted[g] === 0) {
        notApplicable++
        continue
      }
      bits = SIGMA_BIT
    } else bits = built ? shapeBits[i]! : EVENT_BIT
    let worth = false
    for (let k = 0; k < SHAPE_COUNT && !worth; k++) {
      if ((bits & (1 << k)) === 0 || viewAt[k] === undefined) continue
      worth = keyed[i] === 0 || keyedAt[k]![i] === 1 || (wantNear && (anchorKeyed[i] === 0 || anchorAt[k]![i] === 1))
    }
    if (!worth) continue
    const r = catalog.rules[i]!
    let best: Best | undefined
    for (const shape of shapesFor(r, built)) {
      const k = SHAPE_SLOT[shape]
      const view = viewAt[k]
      if (!view) continue
      const present = hasAt[k]!
      const quick = r.key && keyedAt[k]![i] === 0 ? false : quickVerdict(r, view, present, quickOpts)
      if (quick === false) {
        if (!wantNear || (best && best.score > 0) || !r.anchorIds.some(present)) continue
        if (r.anchorKey && anchorAt[k]![i] === 0) continue
        // anchored() first: on a process event it rejects ~6 in 7 candidates, and costs less than a flip walk.
        if (!anchored(r, view, opts) || flipsToTrue(r.rule.combined, view, opts) > 1) continue
      }
      best = traced(r, shape, view, opts, best)
      if (best.score === 3) break
    }
    if (best) {
      bestIds.push(i)
      bests.push(best)
    }
  }
  return report(catalog, views, fallbackViews, bestIds, bests, notApplicable, threshold, sigmaSources)
}


/** Traced evaluation of one rule on one shape, kept when it ranks above the best so far. */
function traced(r: CatalogRule, shape: EventShape | "event", view: EventView, opts: EvaluateOptions, best: Best | undefined): Best {
  const ev = evaluateRule(r.rule, view, opts)
  const near = nearMissLeaves(r, ev)
  const score = rank(ev.matched, near.length > 0)
  return !best || score > best.score ? { shape, ev, near, score } : best
}

/**
 * The straightforward evaluation matchEvent must agree with (kept for tests and the bench):
 * every rule and applicable shape through matchRule, and a traced evaluation for every rule that
 * fires, is undecided or may be a near miss.
 */
export function matchEventReference(catalog: CompiledCatalog, input: TesterInput, options: MatchOptions = {}): MatchReport {
  const threshold = options.threshold ?? DEFAULT_RISK_THRESHOLD
  const opts: EvaluateOptions = { metadata: options.metadata ?? "assume" }
  const wantNear = options.nearMisses !== false
  const { views, fallbackViews, sigmaSources } = inputViews(input)
  const bestIds: number[] = []
  const bests: Best[] = []
  let notApplicable = 0
  catalog.rules.forEach((r, i) => {
    // The reference decides the gate rule by rule, as the spec states it.
    const shapes = r.logsource ? (!sigmaSources || logsourceAdmits(r.logsource, sigmaSources) ? SIGMA_ONLY : null) : "built" in input ? r.shapes : EVENT_ONLY
    if (!shapes) {
      notApplicable++
      return
    }
    let best: Best | undefined
    for (const shape of shapes) {
      const view = views.get(shape)
      if (!view) continue
      const quick = matchRule(r.rule, view, opts)
      if (quick === false && (!wantNear || (best && best.score > 0) || !r.anchors.some((a) => view.values(a.field, a.dm) !== undefined))) continue
      best = traced(r, shape, view, opts, best)
      if (best.score === 3) break
    }
    if (best) {
      bestIds.push(i)
      bests.push(best)
    }
  })
  return report(catalog, views, fallbackViews, bestIds, bests, notApplicable, threshold, sigmaSources)
}
