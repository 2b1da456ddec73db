/**
 * The tester's payload split so a browser fetches only what an input needs: a core chunk (the
 * Splunk rules a process built from a command line can fire or come near, Sigma correlations),
 * the other Splunk rules (read only for pasted events), and one chunk per group of Sigma
 * logsources, listed in a small manifest with each chunk's logsources, rule count and
 * content-hashed file name.
 *
 * Owns: chunking, chunk choice for an input, leaf-id stripping and restoring, and the count
 * correction that makes a report over some chunks equal the report over all of them.
 *
 * Invariants:
 * - A Sigma chunk is needed exactly when the tester's gate admits one of its logsources for the
 *   input (logsourceAdmits, the gate matchEvent applies), or when the input names no logsource
 *   (then every Sigma rule reads it). Rules of chunks left out are the ones the gate would have
 *   kept away: `withSkipped` adds them to `rules` and `notApplicable`, so the counts equal the
 *   full catalog's, and fired / near-miss / undecided lists are the same (rule order is the
 *   catalog's report order either way).
 * - The pasted-event Splunk chunk (`pastedOnly`) holds rules that cannot fire, be undecided or be
 *   near on any built process event: on every shape they read, some clause of fields the rule
 *   needs present (compile.ts `required`) names no field a built shape carries, and none of
 *   their anchor fields is one. Left out for built inputs, they count as not firing.
 * - Leaf ids are left out of a row when numbering its leaves depth-first from 1 (stage after
 *   stage) gives them back exactly; `restoreIds` renumbers such rows. Other rows keep their ids.
 * - File names carry a hash of the content: a browser may keep a chunk forever.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { walkLeaves } from "../predicate/build.ts"
import type { Predicate } from "../predicate/types.ts"
import { findFormatTesting } from "../formats/testers.ts"
import { compileCatalog } from "./compile.ts"
import { buildProcessEvents } from "./event.ts"
import type { MatchReport } from "./report.ts"
import { fromTesterRules, type TesterRule } from "./rules-data.ts"

/** A Sigma logsource as the lean payload carries it (lib/formats/sigma's tester part ships it). */
type SigmaLogsource = { product?: string; category?: string; service?: string }

/**
 * Chunks follow the Sigma logsource gate, the one gate that splits the catalog into many groups;
 * it is read through the format's tester part, never its folder.
 */
const SIGMA_GATE = findFormatTesting("sigma")?.tester.gate
const logsourceAdmits = (ls: SigmaLogsource, sources: readonly unknown[]): boolean =>
  SIGMA_GATE?.admits(ls, sources) ?? true

/** The Sigma view of a lean row: correlation or detection, and its logsource. */
function sigmaOf(r: TesterRule): { kind: "correlation" | "detection"; logsource: SigmaLogsource } | undefined {
  if (!SIGMA_GATE || r.format !== "sigma") return undefined
  const logsource = (r.analysis?.detail as { logsource?: SigmaLogsource } | undefined)?.logsource ?? {}
  return { kind: r.analysis?.multiEvent !== undefined ? "correlation" : "detection", logsource }
}

export type ChunkInfo = {
  name: string
  file: string
  rules: number
  bytes: number
  logsources?: SigmaLogsource[]
  pastedOnly?: true
}
export type TesterManifest = { version: 1; rules: number; chunks: ChunkInfo[] }

/** A row whose leaf ids were left out (they are 1, 2, 3… depth-first). */
type Numbered = { n?: 1 }

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

/** The row without leaf ids, when they can be restored; a copy, the input is not changed. */
function stripIds(r: TesterRule): TesterRule & Numbered {
  if (!r.analysis || r.analysis.predicate || !depthFirstIds(r)) return r
  // Only the stage predicates' ids: other predicates a format ships (a plan's) keep theirs.
  const strip = (p: Predicate): Predicate =>
    JSON.parse(JSON.stringify(p), (k, v: unknown) => (k === "id" && typeof v === "number" ? undefined : v)) as Predicate
  const stages = r.analysis.stages.map((st) => (st.predicate ? { ...st, predicate: strip(st.predicate) } : st))
  return { ...r, n: 1, analysis: { ...r.analysis, stages } }
}

/** Gives rows read from a chunk their leaf ids back (in place). */
export function restoreIds(rows: Array<TesterRule & Numbered>): TesterRule[] {
  for (const r of rows) {
    if (!r.n) continue
    let next = 1
    for (const p of predicates(r)) walkLeaves(p, (l) => void (l.id = next++))
    delete r.n
  }
  return rows
}

const groupOf = (ls: SigmaLogsource): string => `${ls.product ?? "any"}-${ls.category ?? ls.service ?? "any"}`

/** Every field a built process event carries, per shape (all optional inputs given). */
function builtFields(): Record<string, Set<string>> {
  const b = buildProcessEvents({ cmd: "a.exe b", parent: "p.exe", user: "u", host: "h", originalFileName: "o.exe" })
  return Object.fromEntries(Object.entries(b.shapes).map(([k, e]) => [k, new Set(Object.keys(e))])) as Record<
    string,
    Set<string>
  >
}

/** Ids of the Splunk rules no built process event can fire, leave undecided or bring near (see the module invariants). */
function pastedOnlyIds(rows: readonly TesterRule[]): Set<string> {
  const splunk = rows.filter((r) => !sigmaOf(r))
  const catalog = compileCatalog(fromTesterRules(splunk))
  const shapeFields = builtFields()
  const all = new Set(Object.values(shapeFields).flatMap((s) => [...s]))
  const out = new Set<string>()
  for (const r of catalog.rules) {
    const on = (shape: string) =>
      r.required.every((clause) => clause.some((id) => shapeFields[shape]?.has(catalog.fields[id]!.field) === true))
    if (r.shapes.some(on) || r.anchorIds.some((id) => all.has(catalog.fields[id]!.field))) continue
    out.add(r.detection.id)
  }
  return out
}

/** Lean rows → the manifest and each chunk's JSON text, by file name. */
export function testerChunks(rows: readonly TesterRule[]): { manifest: TesterManifest; files: Map<string, string> } {
  const core: TesterRule[] = []
  const pasted: TesterRule[] = []
  const groups = new Map<string, TesterRule[]>()
  const pastedOnly = pastedOnlyIds(rows)
  for (const r of rows) {
    const sigma = sigmaOf(r)
    if (!sigma && pastedOnly.has(r.id)) pasted.push(r)
    else if (!sigma || sigma.kind === "correlation") core.push(r)
    else {
      const g = groupOf(sigma.logsource)
      const list = groups.get(g) ?? []
      list.push(r)
      groups.set(g, list)
    }
  }
  const merged = new Map<string, TesterRule[]>()
  for (const [g, list] of groups) {
    // A product-wide logsource (no category, no service) is admitted by every event of its product: never merged.
    const name = list.length >= MIN_CHUNK || g.endsWith("-any") ? g : `${g.split("-")[0]}-other`
    merged.set(name, [...(merged.get(name) ?? []), ...list])
  }
  const files = new Map<string, string>()
  const chunks: ChunkInfo[] = []
  const add = (name: string, list: TesterRule[], logsources?: SigmaLogsource[], pastedOnlyChunk?: true) => {
    const text = JSON.stringify(list.map(stripIds))
    const file = `${name}.${contentHash(text)}.json`
    files.set(file, text)
    const info: ChunkInfo = { name, file, rules: list.length, bytes: text.length }
    if (logsources) info.logsources = logsources
    if (pastedOnlyChunk) info.pastedOnly = true
    chunks.push(info)
  }
  add("core", core)
  if (pasted.length) add("splunk-pasted", pasted, undefined, true)
  for (const [name, list] of [...merged].sort((a, b) => b[1].length - a[1].length)) {
    const seen = new Set<string>()
    const logsources: SigmaLogsource[] = []
    for (const r of list) {
      const ls = sigmaOf(r)!.logsource
      const k = JSON.stringify([ls.product, ls.category, ls.service])
      if (seen.has(k)) continue
      seen.add(k)
      const one: SigmaLogsource = {}
      if (ls.product !== undefined) one.product = ls.product
      if (ls.category !== undefined) one.category = ls.category
      if (ls.service !== undefined) one.service = ls.service
      logsources.push(one)
    }
    add(name, list, logsources)
  }
  return { manifest: { version: 1, rules: rows.length, chunks }, files }
}

/**
 * The chunks an input needs: the core; the pasted-event Splunk chunk when some input is a pasted
 * event; every Sigma chunk the gate admits for one of the inputs' logsource lists (`undefined`:
 * an event naming none, every chunk).
 */
export function chunksFor(
  manifest: TesterManifest,
  sources: ReadonlyArray<readonly unknown[] | undefined>,
  pasted: boolean,
): ChunkInfo[] {
  return manifest.chunks.filter((c) =>
    c.pastedOnly
      ? pasted
      : !c.logsources || sources.some((s) => s === undefined || c.logsources!.some((ls) => logsourceAdmits(ls, s))),
  )
}

/** Rules of chunks not loaded: Sigma rules the gate keeps away, Splunk rules no built event can fire. */
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
