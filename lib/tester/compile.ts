/**
 * Compiles the catalog for the tester once: each analysed rule with its leaves indexed, the
 * event shapes it reads, its prefilters (field presence, key values, near-miss anchors) and the
 * flat arrays the per-event scan reads.
 *
 * Owns: the prefilters, the shape slots and the log-source gates. Which shapes a rule reads and
 * which log source gates it is its format's answer (FormatTesting.tester); a pasted event is read
 * by each format in its own names (`readEvent`) and every rule of the format reads it.
 * Invariants: pure; `compileCatalog` compiles each rule once and the result serves many events;
 * the prefilters are conservative (they never drop a rule that could fire, be undecided or be
 * a near miss).
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../model/types.ts"
import { EVENT_SHAPE_DEFS } from "../events/shapes.ts"
import type { EventShapeId } from "../events/types.ts"
import { FORMAT_TESTERS, findFormatTesting } from "../formats/testers.ts"
import type { FormatTesting, RuleDecider } from "../formats/types.ts"
import { formatLeaf, type Leaf, type Predicate } from "../predicate/index.ts"
import { evaluabilityScope, type RuleAnalysis } from "../predicate/analysis.ts"
import { fieldSlot } from "../predicate/event-view.ts"
import { isLeaf } from "../predicate/types.ts"
import { compiledLeaf, type CompileOptions } from "../predicate/compile.ts"
import type { LeafCheck } from "../predicate/leaf-tests.ts"
import { compilePipeline, type CompiledRule } from "../predicate/pipeline.ts"
import {
  atomFrequencies,
  eachAtomAt,
  buildKeyIndex,
  keyClause,
  keySlot,
  leafAtoms,
  type KeyAtom,
  type KeyIndex,
} from "./key-index.ts"
import { NOT_ANCHORS } from "./near-miss.ts"
import { compareRules, ref, ruleRank } from "./rank.ts"
import type { RuleRef } from "./report.ts"

/**
 * Every shape id a match may use, in slot order: the built shapes (lib/events/shapes.ts), then
 * the shapes formats read pasted events as (`event` when read as pasted). A slot is a bit in
 * `CompiledCatalog.scan.shapes` and an index of the per-event lookups.
 */
export const SHAPE_IDS: readonly EventShapeId[] = [
  ...new Set([...EVENT_SHAPE_DEFS.map((d) => d.id), ...FORMAT_TESTERS.map((f) => f.tester.pastedShape)]),
]
export const SHAPE_SLOT: ReadonlyMap<EventShapeId, number> = new Map(SHAPE_IDS.map((id, i) => [id, i]))
export const SHAPE_COUNT = SHAPE_IDS.length

/** One log source that gates rules (a format's `FormatGate`), decided once per event. */
export type GateSource = { format: FormatTesting; source: unknown }

/**
 * Numbers each distinct (format, gate source) pair once, appending it to `gates`: rules that read
 * the same log source share one gate check per event. Undefined for a rule its format does not gate.
 */
export function gateInterner(
  gates: GateSource[],
): (format: FormatTesting, analysis: RuleAnalysis) => number | undefined {
  const ids = new Map<string, number>()
  return (format, analysis) => {
    const gate = format.tester.gate
    const source = gate?.ruleSource(analysis)
    if (!gate || source === undefined) return undefined
    const k = `${format.id}\u0000${gate.key(source)}`
    let id = ids.get(k)
    if (id === undefined) {
      id = gates.length
      gates.push({ format, source })
      ids.set(k, id)
    }
    return id
  }
}

export type CatalogRule = {
  detection: Detection
  /** The compiled pipeline; compiled on first use (most rules are never touched for an input). */
  rule: CompiledRule
  /** The format the rule was written in. */
  format: FormatTesting
  /** The shapes of a built event the rule reads (its format's answer). */
  shapes: EventShapeId[]
  /** Index into `CompiledCatalog.gates` of the log source gating the rule; absent when ungated. */
  gateId?: number
  /** The rule's reference fields, made once (they are copied into every report entry). */
  ref: RuleRef
  /** The evaluability reasons, de-duplicated: the static part of an undecided entry's reasons. */
  staticReasons: string[]
  /** What the rule needs to be decided (evaluabilityScope), read once. */
  scope: "event" | "log" | "none"
  /** The evaluability category, read once (it is copied into every undecided entry). */
  category?: string
  /** Every leaf by id: under an odd number of NOTs or not, and its text (for traces); made on first use. */
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
   * a value. Such a leaf holds on a value whenever it holds, except isnull, left out. Compiled on
   * first use.
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
  /**
   * The format's decider (FormatTesting.tester.decider), for the few rules whose verdict needs
   * more than the predicate: consulted only when the predicate does not rule the event out.
   */
  decide?: RuleDecider
  /** What compiling the rule found that a later compile may be given instead of finding it again. */
  hints: CompileHints
}

/**
 * The compile products of one rule that are plain data, computed at build time and shipped with
 * the tester payload so the browser does not compute them again (inverting regular expressions,
 * choosing key trigrams and clauses across the catalog is most of a compile's cost):
 * the leaves whose construct cannot be evaluated, the key clause and the near-miss anchor key.
 * A compile given hints trusts them; one without computes them (the same way `compileCatalog`
 * does over the catalog it is given: the key clause depends on how many rules share each atom,
 * so hints made over a whole catalog and used over part of it give another, equally sound, key).
 */
export type CompileHints = {
  /** Ids of the leaves whose construct cannot be evaluated (they always yield 'unknown'). */
  unsupported?: number[]
  /**
   * The key clause: the leaves whose atoms it is, and the trigram chosen for each value that
   * takes one, in order (key-index.ts atomsAt); absent when the rule has none.
   */
  key?: { leaves: number[]; grams: string[] }
  /** The anchor key (the atoms of every anchor leaf): the trigrams chosen; absent when some anchor test has no atoms. */
  anchorKey?: { grams: string[] }
  /** The rule's place in the report order of the catalog the hints were made over. */
  order?: number
}

/** A field the prefilters read, with its EventView slot (see fieldSlot). */
export type FieldRef = { field: string; dm?: string; slot: number }

export type CompiledCatalog = {
  rules: CatalogRule[]
  /** Detections not evaluated: multi-event rules, and rules whose analysis failed. */
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
  /** Distinct log sources gating the rules, per format. */
  gates: GateSource[]
  /**
   * Per rule (same index as `rules`), flat: the per-event scan decides from these alone which
   * rules to evaluate, without touching the rule objects (reading 5,000 scattered objects per
   * event, mostly to skip them, was the largest cost of matchEvent).
   */
  scan: {
    /** gateId, or -1 for ungated rules. */
    gate: Int32Array
    /** The rule's shapes for a built event, as bits (1 << slot). */
    shapes: Uint32Array
    /** The rule's shape for a pasted event, as a bit. */
    pasted: Uint32Array
    /** 1 when the rule has a key clause (`key`): it is evaluated only on a key hit. */
    keyed: Uint8Array
    /** 1 when the rule has an anchorKey: it is a near-miss candidate only on an anchor hit. */
    anchorKeyed: Uint8Array
  }
}

/**
 * A CatalogRule whose costly parts (the compiled pipeline, the leaf texts, the anchor checks)
 * are built on first use. A class, with every field set in the constructor, so all rules share
 * one object layout: the per-event scan reads the same few fields of dozens of rules, and
 * objects each built with their own getters do not share one (every read was a slow lookup).
 */
class LazyRule implements CatalogRule {
  readonly detection: Detection
  readonly format: FormatTesting
  shapes: EventShapeId[] = []
  gateId: number | undefined = undefined
  ref: RuleRef
  staticReasons: string[] = []
  scope: CatalogRule["scope"] = "none"
  category: string | undefined = undefined
  anchors: CatalogRule["anchors"] = []
  required: number[][] = []
  byFields: number[][] = []
  anchorIds: number[] = []
  anchorKey: CatalogRule["anchorKey"] = undefined
  key: CatalogRule["key"] = undefined
  decide: RuleDecider | undefined = undefined
  hints: CompileHints = {}
  private compiled: CompiledRule | undefined
  private leafMap: CatalogRule["leaves"] | undefined = undefined
  private checks: LeafCheck[] | undefined = undefined
  private readonly analysis: RuleAnalysis
  private readonly compileOptions: CompileOptions
  private readonly polarity: ReadonlyMap<number, { leaf: Leaf; negated: boolean }>
  private readonly anchorLeaves: readonly Leaf[]

  constructor(
    detection: Detection,
    analysis: RuleAnalysis,
    format: FormatTesting,
    compileOptions: CompileOptions,
    compiled: CompiledRule | undefined,
    polarity: ReadonlyMap<number, { leaf: Leaf; negated: boolean }>,
    anchorLeaves: readonly Leaf[],
  ) {
    this.detection = detection
    this.format = format
    this.ref = ref(detection)
    this.analysis = analysis
    this.compileOptions = compileOptions
    this.compiled = compiled
    this.polarity = polarity
    this.anchorLeaves = anchorLeaves
  }

  get rule(): CompiledRule {
    return (this.compiled ??= compilePipeline(this.analysis, this.compileOptions))
  }

  get leaves(): CatalogRule["leaves"] {
    return (this.leafMap ??= new Map(
      [...this.polarity].map(([id, { leaf, negated }]) => [id, { leaf, negated, test: formatLeaf(leaf) }]),
    ))
  }

  get anchorChecks(): LeafCheck[] {
    return (this.checks ??= anchorChecksOf(this.anchorLeaves, this.compileOptions))
  }
}

/** Every leaf by id with its polarity (a leaf written twice keeps its first place and its last polarity). */
function leafPolarity(p: Predicate, negated: boolean, out: Map<number, { leaf: Leaf; negated: boolean }>): void {
  if (isLeaf(p)) out.set(p.id, { leaf: p, negated })
  else if (p.op === "not") leafPolarity(p.arg, !negated, out)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) leafPolarity(a, negated, out)
}

const fieldRef = (field: string, dm: string | undefined): FieldRef =>
  dm === undefined ? { field, slot: fieldSlot(field) } : { field, dm, slot: fieldSlot(field, dm) }

/**
 * Clauses (each: at least one of its fields present) necessary for `p` to be true or 'unknown'
 * (`nullOk` false) or for `p` not to be false (`nullOk` true), or undefined when nothing is
 * required. A positive field test on an absent field yields false (search language, isnotnull)
 * or NULL (eval language), never true or 'unknown' — unless the field is derived, metadata or
 * filled, or the test is unsupported, isnull or a keyword. AND is 'unknown' with a NULL argument
 * next to an 'unknown' one, so its arguments are only required not to be false.
 */
export function requiredFields(p: Predicate, unsupported: Set<number>, nullOk: boolean): FieldRef[][] | undefined {
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

/** The positive, non-metadata leaves on anchor fields (see CatalogRule.anchorChecks). */
function anchorLeavesOf(polarity: ReadonlyMap<number, { leaf: Leaf; negated: boolean }>): Leaf[] {
  const out: Leaf[] = []
  for (const { leaf, negated } of polarity.values()) {
    if (negated || leaf.meta || !("field" in leaf) || NOT_ANCHORS.has(leaf.field)) continue
    out.push(leaf)
  }
  return out
}

function anchorChecksOf(leaves: readonly Leaf[], options: CompileOptions): LeafCheck[] {
  const out: LeafCheck[] = []
  // Any one holding will do: regular expressions last, so they compile only when nothing cheaper held.
  const ordered = [...leaves.filter((l) => l.op !== "regex"), ...leaves.filter((l) => l.op === "regex")]
  for (const leaf of ordered) {
    if (leaf.op === "isnull") continue
    const c = compiledLeaf(leaf, options)
    out.push(c.check ?? ((view, o) => c.test(view, o).held))
  }
  return out
}

/** Every list's atoms, or undefined when one list is missing. */
const allAtoms = (lists: Array<KeyAtom[] | undefined>): KeyAtom[] | undefined =>
  lists.every((a) => a !== undefined) ? (lists as KeyAtom[][]).flat() : undefined

const gramsOf = (atoms: readonly KeyAtom[]): string[] => atoms.filter((a) => a.kind === "gram").map((a) => a.value)

/** A key clause as hints keep it: the leaves its atoms come from, and its trigrams. */
const compactKey = (atoms: readonly KeyAtom[]): NonNullable<CompileHints["key"]> => ({
  leaves: [...new Set(atoms.map((a) => a.leaf ?? -1))],
  grams: gramsOf(atoms),
})

/**
 * Compiles every analysed rule once; reuse the result for many events. `hints` gives a rule's
 * compile products made earlier (see CompileHints); the parts an event scan never reads for most
 * rules (the compiled pipeline, the leaf texts, the anchor checks) are built on first use.
 */
export function compileCatalog(
  detections: readonly Detection[],
  hints?: (d: Detection) => CompileHints | undefined,
): CompiledCatalog {
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
  const atomKey = (atoms: readonly KeyAtom[]) =>
    atoms.map((a) => ({ slot: keySlot(intern(fieldRef(a.field, a.dm)), a.kind), value: a.value }))
  /** The key of `leaves`' atoms with the trigrams given (key-index.ts eachAtomAt); undefined when they do not fit. */
  const keyFrom = (leaves: ReadonlyArray<Leaf | undefined>, grams: readonly string[]) => {
    let g = 0
    const out: Array<{ slot: number; value: string }> = []
    for (const leaf of leaves) {
      if (!leaf || !("field" in leaf)) return undefined
      const id = intern(leaf)
      if (
        !eachAtomAt(
          leaf,
          () => grams[g++],
          (kind, value) => out.push({ slot: keySlot(id, kind), value }),
        )
      )
        return undefined
    }
    return g === grams.length ? out : undefined
  }
  const gates: GateSource[] = []
  const gateOf = gateInterner(gates)
  // Key clauses are chosen once every rule is compiled, knowing how many rules share each value.
  const pendingKeys: Array<{
    entry: CatalogRule
    predicate: Predicate
    polarity: ReadonlyMap<number, { leaf: Leaf; negated: boolean }>
    unsupported: Set<number>
  }> = []
  for (const d of detections) {
    const format = findFormatTesting(d.format)
    const analysis = d.analysis
    if (analysis?.multiEvent !== undefined) {
      notAnalysed.push({ id: d.id, name: d.name, format: d.format, reason: analysis.multiEvent })
      continue
    }
    if (!analysis || !format) {
      notAnalysed.push({
        id: d.id,
        name: d.name,
        format: d.format,
        reason: format ? `the ${format.label} analysis failed` : `no rule format "${d.format}" is registered`,
      })
      continue
    }
    const given = hints?.(d)
    const polarity = new Map<number, { leaf: Leaf; negated: boolean }>()
    leafPolarity(analysis.predicate, false, polarity)
    const anchorLeaves = anchorLeavesOf(polarity)
    const anchors: CatalogRule["anchors"] = []
    for (const leaf of anchorLeaves) {
      if (!("field" in leaf) || anchors.some((a) => a.field === leaf.field)) continue
      anchors.push(leaf.dm === undefined ? { field: leaf.field } : { field: leaf.field, dm: leaf.dm })
    }
    // The pipeline and the anchor checks share compiled leaves (whichever comes first compiles them).
    const compileOptions: CompileOptions = { leaves: new Map() }
    const compiled: CompiledRule | undefined = given ? undefined : compilePipeline(analysis, compileOptions)
    const unsupported = new Set(given ? (given.unsupported ?? []) : compiled!.combined.unsupported.map((u) => u.id))
    // Given the leaves found unsupported, the others' regular expressions compile on first use.
    if (given) compileOptions.supported = (leaf: Leaf) => !unsupported.has(leaf.id)
    const prefixes = analysis.prefixes ?? []
    const byFields = analysis.stages.flatMap((s) =>
      (s.requires ?? []).map((field) =>
        [field, ...prefixes.map((p) => `${p}.${field}`)].map((f) => intern(fieldRef(f, undefined))),
      ),
    )
    const required = (requiredFields(analysis.predicate, unsupported, false) ?? []).map((c) => [
      ...new Set(c.map(intern)),
    ])
    const shapes = format.tester.shapes(d, analysis)
    const staticReasons = [...new Set(analysis.evaluability.reasons.map((x) => x.message))]
    const ruleHints: CompileHints = {}
    if (unsupported.size) ruleHints.unsupported = [...unsupported]
    const entry = new LazyRule(d, analysis, format, compileOptions, compiled, polarity, anchorLeaves)
    entry.shapes = shapes
    entry.anchors = anchors
    entry.required = required
    entry.byFields = byFields
    entry.anchorIds = anchors.map(intern)
    entry.staticReasons = staticReasons
    entry.scope = evaluabilityScope(analysis)
    entry.hints = ruleHints
    entry.category = analysis.evaluability.category
    entry.decide = format.tester.decider?.(analysis)
    entry.gateId = gateOf(format, analysis)
    if (given) {
      // The compile products given: keys rebuilt from the leaves they name, no choice made again.
      if (given.order !== undefined) ruleHints.order = given.order
      const anchorKey = given.anchorKey && keyFrom(anchorLeaves, given.anchorKey.grams)
      if (anchorKey) {
        ruleHints.anchorKey = given.anchorKey
        entry.anchorKey = anchorKey
      }
      const key =
        given.key &&
        keyFrom(
          given.key.leaves.map((id) => polarity.get(id)?.leaf),
          given.key.grams,
        )
      if (key) {
        ruleHints.key = given.key
        entry.key = key
      } else if (given.key) pendingKeys.push({ entry, predicate: analysis.predicate, polarity, unsupported })
    } else {
      const anchorAtoms = allAtoms(anchorLeaves.map((l) => leafAtoms(l, unsupported)))
      if (anchorAtoms) {
        ruleHints.anchorKey = { grams: gramsOf(anchorAtoms) }
        entry.anchorKey = atomKey(anchorAtoms)
      }
      pendingKeys.push({ entry, predicate: analysis.predicate, polarity, unsupported })
    }
    rules.push(entry)
  }
  const freq = atomFrequencies(
    pendingKeys.map(({ polarity, unsupported }) => ({
      leaves: [...polarity.values()].map((l) => l.leaf),
      unsupported,
    })),
  )
  for (const { entry, predicate, unsupported } of pendingKeys) {
    const key = keyClause(predicate, unsupported, freq)
    if (key) {
      entry.hints.key = compactKey(key)
      entry.key = atomKey(key)
    }
  }
  // Rules are kept in report order, so every list of a report comes out ranked without sorting
  // per event (localeCompare over dozens of undecided rules cost more than evaluating them).
  // Each rule's rank read once, not once per comparison (the sort made ~50,000 of them).
  // With every rule's place in a whole catalog's order given, the order of part of it is known.
  if (rules.every((r) => r.hints.order !== undefined)) rules.sort((a, b) => a.hints.order! - b.hints.order!)
  else {
    const ranks = new Map(rules.map((r) => [r, ruleRank(r.detection)]))
    rules.sort((a, b) => compareRules(ranks.get(a)!, ranks.get(b)!))
  }
  rules.forEach((r, i) => {
    r.hints.order ??= i
  })
  const keyIndex = buildKeyIndex(rules.map((r) => r.key))
  const anchorIndex = buildKeyIndex(rules.map((r) => r.anchorKey))
  const n = rules.length
  const scan = {
    gate: new Int32Array(n),
    shapes: new Uint32Array(n),
    pasted: new Uint32Array(n),
    keyed: new Uint8Array(n),
    anchorKeyed: new Uint8Array(n),
  }
  const bit = (shape: EventShapeId): number => {
    const slot = SHAPE_SLOT.get(shape)
    return slot === undefined ? 0 : 1 << slot
  }
  rules.forEach((r, i) => {
    scan.gate[i] = r.gateId ?? -1
    for (const shape of r.shapes) scan.shapes[i]! |= bit(shape)
    scan.pasted[i] = bit(r.format.tester.pastedShape)
    scan.keyed[i] = r.key ? 1 : 0
    scan.anchorKeyed[i] = r.anchorKey ? 1 : 0
  })
  return { rules, notAnalysed, fields, keyIndex, anchorIndex, gates, scan }
}
