/**
 * The tester's payload split so a browser fetches only what an input needs: a core chunk (rules
 * no log-source gate splits off that a process built from a command line can fire or come near,
 * multi-event rules), the rules read only for pasted events, and one chunk per group of gated
 * log sources (each format's `FormatGate.chunk` names the groups), listed in a small manifest
 * with each chunk's gate sources, rule count and content-hashed file name.
 *
 * Owns: chunking, chunk choice for an input, leaf-id stripping and restoring, and the count
 * correction that makes a report over some chunks equal the report over all of them.
 *
 * Invariants:
 * - A gated chunk is needed exactly when its format's gate admits one of its sources for some
 *   input (the gate matchEvent applies), or when an input names no source for that format (then
 *   every rule of the format reads it). Rules of chunks left out are the ones the gate would have
 *   kept away: `withSkipped` adds them to `rules` and `notApplicable`, so the counts equal the
 *   full catalog's, and fired / near-miss / undecided lists are the same (rule order is the
 *   catalog's report order either way).
 * - The pasted-event chunk (`pastedOnly`) holds ungrouped rules that cannot fire, be undecided or
 *   be near on any built process event: on every shape they read, some clause of fields the rule
 *   needs present (compile.ts `required`) names no field a built shape carries, and none of
 *   their anchor fields is one. Left out for built inputs, they count as not firing.
 * - Leaf ids are left out of a row when numbering its leaves depth-first from 1 (stage after
 *   stage) gives them back exactly; `restoreIds` renumbers such rows. Other rows keep their ids.
 * - File names carry a hash of the content: a browser may keep a chunk forever.
 * - Names no format: formats are read through lib/formats/testers.ts.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { walkLeaves } from "../predicate/build.ts"
import type { Predicate } from "../predicate/types.ts"
import { findFormatTesting } from "../formats/testers.ts"
import type { FormatGate } from "../formats/types.ts"
import type { AddOnTable } from "../events/addon.ts"
import { buildProcessEvents } from "./event.ts"
import type { MatchReport } from "./report.ts"
import { compileTesterRules, fromTesterRules, type TesterRule } from "./rules-data.ts"

/** The chunk group of a lean row whose format's gate splits the payload, with the gated source. */
function groupOf(
  r: TesterRule,
): { format: string; gate: FormatGate; source: unknown; name: string; small?: string } | undefined {
  const gate = findFormatTesting(r.format)?.tester.gate
  if (!gate?.chunk || !r.analysis || r.analysis.multiEvent !== undefined) return undefined
  const [d] = fromTesterRules([r])
  const source = gate.ruleSource(d!.analysis!)
  if (source === undefined) return undefined
  return { format: r.format, gate, source, ...gate.chunk(source) }
}

export type ChunkInfo = {
  name: string
  file: string
  rules: number
  bytes: number
  /** The log sources its rules are gated on, for one format's gate; absent for ungated chunks. */
  gate?: { format: string; sources: unknown[] }
  pastedOnly?: true
}
export type TesterManifest = {
  version: 2
  rules: number
  chunks: ChunkInfo[]
  /** The add-on fields built raw events carry (lib/events/addon.ts), installed by the worker before it builds one. */
  addOn?: AddOnTable
  /** Lookup tables the rules may read, by name: fetched only when a rule left undecided needs one (tables.ts). */
  tables?: Record<string, TableInfo>
}

/** One lookup table shipped beside the chunks: its content-named file and size. */
export type TableInfo = { file: string; bytes: number }

/** Chunks smaller than this are merged into their product's "other" chunk. */
const MIN_CHUNK = 60

/** 53-bit string hash (cyrb53), hex: stable content names without Node's crypto. */
export function contentHash(s: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0")
}

function predicates(r: TesterRule): Predicate[] {
  if (r.analysis?.predicate) return [r.analysis.predicate]
  return (r.analysis?.stages ?? []).flatMap((s) => (s.predicate ? [s.predicate] : []))
}

/** True when the row's leaf ids are 1, 2, 3… in depth-first order across its predicates. */
function depthFirstIds(r: TesterRule): boolean {
  let next = 1
  let ok = true
  for (const p of predicates(r)) walkLeaves(p, (l) => void (ok &&= l.id === next++))
  return ok
}

/**
 * What a chunk row carries beside a lean row: `n` its leaf ids were left out (they are 1, 2, 3…
 * depth-first); the other flags say which leaf defaults were left out of its stage predicates
 * (see `packRow`).
 */
type Packed = {
  n?: 1
  /** Every leaf's `stage` was its stage's index. */
  s?: 1
  /** Every leaf with a data model had `written` = `<dm>.<field>`. */
  w?: 1
  /** Every leaf had a `selection`; each one equal to the previous leaf's is left out. */
  l?: 1
  /** Comparisons are case-sensitive unless they say `caseSensitive: false` (none said false before). */
  k?: 1
}

/** Leaf ops whose `lang` is required: "search" is left out and restored. */
const LANG_OPS = new Set(["cmp", "in", "regex"])

type Loose = Record<string, unknown>
type LooseLeaf = Loose & { op: string }

/** Every leaf of the row's stage predicates with the index of its stage, depth-first. */
function eachStageLeaf(r: TesterRule, visit: (leaf: LooseLeaf, stage: number) => void): void {
  // A packed stage whose index is its position has none (packFields).
  ;(r.analysis?.stages ?? []).forEach((st, i) => {
    const index = (st.index as number | undefined) ?? i
    if (st.predicate) walkLeaves(st.predicate, (l) => visit(l as unknown as LooseLeaf, index))
  })
}

/**
 * The row as a chunk writes it: a copy (the input is not changed) whose stage predicates leave
 * out what `restoreIds` puts back: leaf ids numbered depth-first, `lang` "search", `cmpOp` "=",
 * and, when every leaf of the row agrees, the stage index, the data-model prefix of `written`, a
 * selection name repeated from the leaf before, and `caseSensitive: true` (then written as its
 * absence, and its absence as `false`). Other predicates a format ships (a plan's) are kept as
 * they are.
 */
function packRow(row: TesterRule): TesterRule & Packed {
  const r = packFields(row)
  if (!r.analysis) return r
  const ids = !r.analysis.predicate && depthFirstIds(r)
  const stages = r.analysis.stages.map((st) =>
    st.predicate ? { ...st, predicate: JSON.parse(JSON.stringify(st.predicate)) as Predicate } : st,
  )
  const out: TesterRule & Packed = { ...r, analysis: { ...r.analysis, stages } }
  const all: Array<{ leaf: LooseLeaf; stage: number }> = []
  eachStageLeaf(out, (leaf, stage) => all.push({ leaf, stage }))
  if (!all.length) return r
  if (ids) out.n = 1
  if (all.every(({ leaf, stage }) => leaf.stage === stage)) out.s = 1
  const withDm = all.filter(({ leaf }) => leaf.dm !== undefined)
  if (withDm.length && withDm.every(({ leaf }) => leaf.written === `${String(leaf.dm)}.${String(leaf.field)}`))
    out.w = 1
  if (all.every(({ leaf }) => typeof leaf.selection === "string")) out.l = 1
  const cmps = all.filter(({ leaf }) => leaf.op === "cmp")
  const sensitive = cmps.filter(({ leaf }) => leaf.caseSensitive === true).length
  if (sensitive * 2 > cmps.length && !cmps.some(({ leaf }) => leaf.caseSensitive === false)) out.k = 1
  let previous: unknown
  for (const { leaf } of all) {
    if (out.n) delete leaf.id
    if (LANG_OPS.has(leaf.op) && leaf.lang === "search") delete leaf.lang
    if (leaf.op === "cmp" && leaf.cmpOp === "=") delete leaf.cmpOp
    if (out.s) delete leaf.stage
    if (out.w && leaf.dm !== undefined) delete leaf.written
    if (out.l) {
      const sel = leaf.selection
      if (sel === previous) delete leaf.selection
      previous = sel
    }
    if (out.k && leaf.op === "cmp") {
      if (leaf.caseSensitive === true) delete leaf.caseSensitive
      else leaf.caseSensitive = false
    }
  }
  return out
}

/** The slug a Splunk rule's name gives (each character not a lower-case letter or digit a dash). */
const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "-")

/**
 * The row's own fields that a reader can put back, left out (a shallow copy): a slug its name
 * gives, the format detail's format (the row's), each stage's index when it is its position,
 * and empty lists. Each is a field the lean row always has, so its absence is the signal.
 */
function packFields(r: TesterRule): TesterRule {
  const out: Loose = { ...r, risk: { ...r.risk } }
  if (r.slug === slugOf(r.name)) delete out.slug
  if (r.dataSources.length === 0) delete out.dataSources
  if (r.risk.entities.length === 0) delete (out.risk as Loose).entities
  if (r.analysis) {
    const a: Loose = {
      ...r.analysis,
      detail: { ...r.analysis.detail },
      evaluability: { ...r.analysis.evaluability },
      stages: r.analysis.stages.map((st, i) => {
        const copy: Loose = { ...st }
        if (st.index === i) delete copy.index
        return copy
      }),
    }
    if (r.analysis.detail.format === r.format) delete (a.detail as Loose).format
    const ev = a.evaluability as Loose
    if (r.analysis.evaluability.reasons.length === 0) delete ev.reasons
    if (r.analysis.evaluability.requires.length === 0) delete ev.requires
    out.analysis = a
  }
  return out as TesterRule
}

/** What `packFields` left out, put back (in place). */
function restoreFields(r: Loose & { name: string; format: string }): void {
  r.slug ??= slugOf(r.name)
  r.dataSources ??= []
  const risk = r.risk as Loose
  risk.entities ??= []
  const a = r.analysis as Loose | undefined
  if (!a) return
  ;(a.detail as Loose).format ??= r.format
  const ev = a.evaluability as Loose
  ev.reasons ??= []
  ev.requires ??= []
  ;(a.stages as Loose[]).forEach((st, i) => {
    st.index ??= i
  })
}

/** Gives rows read from a chunk what `packRow` left out (in place). */
export function restoreIds(rows: Array<TesterRule & Packed>): TesterRule[] {
  for (const r of rows) {
    restoreFields(r as unknown as Loose & { name: string; format: string })
    let next = 1
    let previous: unknown
    eachStageLeaf(r, (leaf, stage) => {
      if (r.n) leaf.id = next++
      if (LANG_OPS.has(leaf.op) && leaf.lang === undefined) leaf.lang = "search"
      if (leaf.op === "cmp" && leaf.cmpOp === undefined) leaf.cmpOp = "="
      if (r.s) leaf.stage = stage
      if (r.w && leaf.dm !== undefined) leaf.written = `${String(leaf.dm)}.${String(leaf.field)}`
      if (r.l) {
        if (leaf.selection === undefined) leaf.selection = previous
        previous = leaf.selection
      }
      if (r.k && leaf.op === "cmp") {
        if (leaf.caseSensitive === undefined) leaf.caseSensitive = true
        else delete leaf.caseSensitive
      }
    })
    delete r.n
    delete r.s
    delete r.w
    delete r.l
    delete r.k
  }
  return rows
}

/** Every field a built process event carries, per shape (all optional inputs given). */
function builtFields(): Record<string, Set<string>> {
  const b = buildProcessEvents({ cmd: "a.exe b", parent: "p.exe", user: "u", host: "h", originalFileName: "o.exe" })
  return Object.fromEntries(Object.entries(b.shapes).map(([k, e]) => [k, new Set(Object.keys(e))])) as Record<
    string,
    Set<string>
  >
}

/**
 * The ungrouped rules no built process event can fire, leave undecided or bring near (see the
 * module invariants), by `format id` key: ids are unique only within a format.
 */
function pastedOnlyIds(rows: readonly TesterRule[]): Set<string> {
  const catalog = compileTesterRules(rows)
  const shapeFields = builtFields()
  const all = new Set(Object.values(shapeFields).flatMap((s) => [...s]))
  const out = new Set<string>()
  for (const r of catalog.rules) {
    const on = (shape: string) =>
      r.required.every((clause) => clause.some((id) => shapeFields[shape]?.has(catalog.fields[id]!.field) === true))
    if (r.shapes.some(on) || r.anchorIds.some((id) => all.has(catalog.fields[id]!.field))) continue
    out.add(ruleKey(r.detection))
  }
  return out
}

const ruleKey = (r: { format: string; id: string }) => `${r.format}\u0000${r.id}`

/** Lean rows → the manifest and each chunk's JSON text, by file name. */
export function testerChunks(rows: readonly TesterRule[]): { manifest: TesterManifest; files: Map<string, string> } {
  const core: TesterRule[] = []
  const pasted: TesterRule[] = []
  type Group = { format: string; gate: FormatGate; small?: string; rows: TesterRule[]; sources: unknown[] }
  const groups = new Map<string, Group>()
  const ungrouped: TesterRule[] = []
  const grouped: Array<[TesterRule, NonNullable<ReturnType<typeof groupOf>>]> = []
  for (const r of rows) {
    const g = groupOf(r)
    if (g) grouped.push([r, g])
    else ungrouped.push(r)
  }
  const pastedOnly = pastedOnlyIds(ungrouped)
  for (const r of ungrouped) (pastedOnly.has(ruleKey(r)) ? pasted : core).push(r)
  for (const [r, g] of grouped) {
    const k = `${g.format}\u0000${g.name}`
    const group = groups.get(k) ?? {
      format: g.format,
      gate: g.gate,
      rows: [],
      sources: [],
      ...(g.small ? { small: g.small } : {}),
    }
    group.rows.push(r)
    if (!group.sources.some((s) => g.gate.key(s) === g.gate.key(g.source))) group.sources.push(g.source)
    groups.set(k, group)
  }
  const merged = new Map<string, { format: string; name: string; rows: TesterRule[]; sources: unknown[] }>()
  for (const [k, g] of groups) {
    const small = g.rows.length < MIN_CHUNK && g.small !== undefined
    const name = small ? g.small! : k.split("\u0000")[1]!
    const key = `${g.format}\u0000${name}`
    const m = merged.get(key) ?? { format: g.format, name, rows: [], sources: [] }
    m.rows.push(...g.rows)
    m.sources.push(...g.sources)
    merged.set(key, m)
  }
  const files = new Map<string, string>()
  const chunks: ChunkInfo[] = []
  const add = (name: string, list: TesterRule[], gate?: ChunkInfo["gate"], pastedOnlyChunk?: true) => {
    const text = JSON.stringify(list.map(packRow))
    const file = `${name}.${contentHash(text)}.json`
    files.set(file, text)
    const info: ChunkInfo = { name, file, rules: list.length, bytes: text.length }
    if (gate) info.gate = gate
    if (pastedOnlyChunk) info.pastedOnly = true
    chunks.push(info)
  }
  add("core", core)
  if (pasted.length) add("pasted", pasted, undefined, true)
  for (const m of [...merged.values()].sort((a, b) => b.rows.length - a.rows.length))
    add(`${m.format}-${m.name}`, m.rows, { format: m.format, sources: m.sources })
  return { manifest: { version: 2, rules: rows.length, chunks }, files }
}

/**
 * The chunks an input needs: the core; the pasted-event chunk when some input is a pasted event;
 * every gated chunk whose format's gate admits one of its sources for one of the inputs (per
 * input, the sources it counts as per gated format, inputs.ts `inputGateSources`; a format absent
 * from an input's map, or mapped to undefined: the input names no source, every chunk).
 */
export function chunksFor(
  manifest: TesterManifest,
  inputs: ReadonlyArray<ReadonlyMap<string, readonly unknown[] | undefined>>,
  pasted: boolean,
): ChunkInfo[] {
  return manifest.chunks.filter((c) => {
    if (c.pastedOnly) return pasted
    const g = c.gate
    if (!g) return true
    const gate = findFormatTesting(g.format)?.tester.gate
    return inputs.some((sources) => {
      const s = sources.get(g.format)
      return !gate || s === undefined || g.sources.some((ls) => gate.admits(ls, s))
    })
  })
}

/** Rules of chunks not loaded: gated rules the gate keeps away, rules no built event can fire. */
export type Skipped = { notApplicable: number; notFired: number }

export function skippedOf(manifest: TesterManifest, loaded: ReadonlySet<string>): Skipped {
  const out = { notApplicable: 0, notFired: 0 }
  for (const c of manifest.chunks) {
    if (loaded.has(c.file)) continue
    if (c.pastedOnly) out.notFired += c.rules
    else out.notApplicable += c.rules
  }
  return out
}

/** A report over some chunks, counted as over the whole catalog (see the module invariants). */
export function withSkipped(report: MatchReport, skipped: Skipped): MatchReport {
  const n = skipped.notApplicable + skipped.notFired
  if (n === 0) return report
  const c = report.counts
  return {
    ...report,
    counts: {
      ...c,
      rules: c.rules + n,
      notApplicable: c.notApplicable + skipped.notApplicable,
      notFired: c.notFired + skipped.notFired,
    },
  }
}
