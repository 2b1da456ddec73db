/**
 * Files in, catalog out: each file of a content tree goes to the first rule format that claims it
 * (lib/formats/registry.ts), which reads it into rules and records; then the checks only the whole
 * catalog can make (duplicate ids and slugs, unresolved stories and data sources); then every
 * rule through its format's analyser, which sees the whole catalog (SPL needs its macros).
 *
 * Owns: the accounting of every input file (loaded, rejected with a reason, or ignored with a
 * reason) and the cross-record checks. Invariants: pure and deterministic for a given file list;
 * never throws on file content; one bad file never hides another file's records.
 * Never imports: React, Next, Node built-ins (the walker in load.node.ts does the I/O).
 */
import { addOnTable, installAddOnTable } from "../events/addon.ts"
import { EVENT_SHAPE_DEFS } from "../events/shapes.ts"
import { claimingFormat, findFormat, formatLabel, FORMATS } from "../formats/registry.ts"
import type { AnalyseContext, CatalogRecords, SourceFile } from "../formats/types.ts"
import { lookupNames, lookupTable } from "../formats/splunk/lookup-table.ts"
import type { AttackResolver, Diagnostic, LookupTableData } from "../model/types.ts"
import { positionOf } from "../source/diagnostics.ts"
import type { Catalog, Detection, FileRecord } from "./types.ts"
import { fileStem } from "./util.ts"

export { positionOf }

/** One file handed to the assembler: its display path, its place in the tree, and its text. */
export type InputFile = SourceFile

/** Progress callback: the phase, and files done out of the total. */
export type AssembleProgress = (phase: string, done: number, total: number) => void

/** Files between two progress calls. */
const PROGRESS_EVERY = 250

/** The catalog's record lists, filled file by file. */
type Accumulator = CatalogRecords & Pick<Catalog, "detections" | "files" | "diagnostics">

/** The non-rule record kinds a format may return, each appended to its list. */
const RECORD_KINDS = ["macros", "stories", "dataSources", "lookups"] as const satisfies ReadonlyArray<
  keyof CatalogRecords
>

/** Build a catalog from the files of the content roots: each file goes to the format that claims it. */
export function assembleCatalog(
  roots: string[],
  inputs: InputFile[],
  attack: AttackResolver & { version: string },
  onProgress?: AssembleProgress,
): Omit<Catalog, "loadMs"> {
  const acc: Accumulator = {
    detections: [],
    macros: [],
    stories: [],
    dataSources: [],
    lookups: [],
    files: [],
    diagnostics: [],
  }
  const lookupData: Array<{ input: InputFile; format: string }> = []
  for (const [i, input] of inputs.entries()) {
    if (i % PROGRESS_EVERY === 0) onProgress?.("parsing", i, inputs.length)
    const claim = claimingFormat(input)
    if (!claim.format) {
      acc.files.push({ path: input.path, kind: "other", format: "none", status: "ignored", reason: claim.reason })
      continue
    }
    const r = claim.format.load(input, { attack })
    // Lookup table data is accounted for once every lookup definition is known.
    if (r.file.kind === "lookup_data") {
      lookupData.push({ input, format: claim.format.id })
      continue
    }
    acc.diagnostics.push(...r.diagnostics)
    for (const d of r.detections) acc.detections.push({ ...d, source: sourceOf(input) })
    for (const kind of RECORD_KINDS) {
      const records = r.records?.[kind]
      // Each list holds its own kind; the cast only joins the four list types TypeScript keeps apart.
      if (records) (acc[kind] as unknown[]).push(...records)
    }
    const record: FileRecord = { path: input.path, kind: r.file.kind, format: claim.format.id, status: r.file.status }
    if (r.file.reason !== undefined) record.reason = r.file.reason
    acc.files.push(record)
  }
  accountLookupData(lookupData, acc)
  const lookupTables = tablesOf(lookupData, acc)
  checkDuplicateIds(acc)
  disambiguateSlugs(acc)
  const unresolvedDataSources = checkReferences(acc)
  // Built raw events carry the add-on fields the data sources give them: in force before any
  // rule is analysed or a tester payload is cut, since both read built events.
  const addOnFields = addOnTable(EVENT_SHAPE_DEFS, acc.dataSources).table
  installAddOnTable(addOnFields)
  // The tester's deciders read lookup tables by name (the browser fetches them apart).
  for (const f of FORMATS) f.tester.addTables?.(lookupTables)
  onProgress?.("analysing searches", inputs.length, inputs.length)
  analyse({ ...acc, lookupTables }, acc.diagnostics)
  return { roots, attackVersion: attack.version, ...acc, lookupTables, addOnFields, unresolvedDataSources }
}

/** Where a rule's file sits: its content root and its path below it. */
function sourceOf(input: InputFile): NonNullable<Detection["source"]> {
  const root = input.path.endsWith(`/${input.rel}`) ? input.path.slice(0, -input.rel.length - 1) : ""
  return { root, rel: input.rel }
}

/** Each rule through its format's analyser (set up once per format, with the whole catalog). */
function analyse(context: AnalyseContext, diagnostics: Diagnostic[]): void {
  const analysers = new Map(FORMATS.map((f) => [f.id, f.analyser(context)]))
  for (const d of context.detections) {
    const analyser = analysers.get(d.format)
    if (!analyser) continue
    const r = analyser(d)
    if (r.analysis) d.analysis = r.analysis
    else delete d.analysis
    diagnostics.push(...r.diagnostics)
  }
}

/**
 * The data of the lookup tables rules may name (a `lookup` in a search or a macro), by lookup
 * name: what the SPL row runner matches against. Tables no rule names are not kept.
 */
function tablesOf(lookupData: Array<{ input: InputFile }>, acc: Accumulator): Record<string, LookupTableData> {
  const named = lookupNames([...acc.detections.map((d) => d.search), ...acc.macros.map((m) => m.definition)])
  const byFile = new Map(lookupData.map(({ input }) => [input.rel.split("/").pop()?.toLowerCase() ?? "", input]))
  const out: Record<string, LookupTableData> = {}
  for (const l of acc.lookups) {
    if (!named.has(l.name) || !l.filename) continue
    const text = byFile.get(l.filename.toLowerCase())?.text
    if (text !== undefined) out[l.name] = lookupTable(l, text)
  }
  return out
}

/** Lookup tables are data, not records: accounted for by the lookup definition that names them. */
function accountLookupData(lookupData: Array<{ input: InputFile; format: string }>, acc: Accumulator): void {
  const named = new Map(acc.lookups.filter((l) => l.filename).map((l) => [l.filename?.toLowerCase(), l.name]))
  for (const { input, format } of lookupData) {
    const base = input.rel.split("/").pop()?.toLowerCase() ?? ""
    const owner = named.get(base) ?? acc.lookups.find((l) => l.name.toLowerCase() === fileStem(base))?.name
    acc.files.push({
      path: input.path,
      kind: "lookup_data",
      format,
      status: "ignored",
      reason: owner ? `table data of lookup ${owner}` : "table data that no lookup definition names",
    })
    if (!owner) {
      acc.diagnostics.push({
        path: input.path,
        line: 0,
        column: 0,
        severity: "warning",
        code: "orphan-lookup-data",
        message: "no lookups/*.yml names this file",
      })
    }
  }
}

/**
 * Ids are unique within a format: contentctl rejects an id repeated across a repository's
 * detections, stories and data sources, and a Sigma or Elastic id names one rule. A repeat inside
 * one format is an error, and the first file in path order keeps the id. Across formats an id
 * may repeat (SigmaHQ rules reuse the ids of rules they were translated from), and nothing is
 * lost: rule pages are addressed per format, so both rules load and a warning names both files.
 * Ids are compared lower-cased, as permalinks look them up.
 */
function checkDuplicateIds(acc: Accumulator): void {
  const formatOf = new Map(acc.files.map((f) => [f.path, f.format]))
  /** First holder of each id, per format, and of each id in any format. */
  const inFormat = new Map<string, string>()
  // The first holder's position is found only when another format repeats its id (a search
  // through the whole file, worth skipping for the thousands of ids that never repeat).
  const anywhere = new Map<string, { format: string; item: { path: string; id: string; raw?: string } }>()
  const check = <T extends { id: string; path: string; format?: string; raw?: string }>(items: T[]): T[] =>
    items.filter((item) => {
      const id = item.id.toLowerCase()
      const format = item.format ?? formatOf.get(item.path) ?? ""
      const first = inFormat.get(`${format}\u0000${id}`)
      if (first !== undefined) {
        acc.diagnostics.push({
          path: item.path,
          line: 1,
          column: 1,
          severity: "error",
          code: "duplicate-id",
          message: `id ${item.id} is already used by ${first}; this file was not loaded`,
        })
        const rec = acc.files.find((f) => f.path === item.path)
        if (rec) Object.assign(rec, { status: "rejected", reason: `duplicate id ${item.id} (first in ${first})` })
        return false
      }
      inFormat.set(`${format}\u0000${id}`, item.path)
      const other = anywhere.get(id)
      if (other === undefined) anywhere.set(id, { format, item })
      else if (other.format !== format) {
        const first = idPosition(other.item)
        acc.diagnostics.push({
          path: item.path,
          ...idPosition(item),
          severity: "warning",
          code: "shared-id",
          message: `id ${item.id} is also the id of the ${formatLabel(other.format)} rule at ${other.item.path}:${first.line}:${first.column}; both rules load, told apart by format`,
        })
      }
      return true
    })
  acc.detections = check(acc.detections)
  acc.stories = check(acc.stories)
  acc.dataSources = check(acc.dataSources)
}

/** Where a record's id is written in its file (1:1 when the record keeps no text). */
function idPosition(item: { id: string; raw?: string }): { line: number; column: number } {
  if (item.raw === undefined) return { line: 1, column: 1 }
  const lower = item.raw.toLowerCase()
  // Lower-casing keeps offsets only when it keeps the length (it does for every ASCII id).
  return lower.length === item.raw.length ? positionOf(lower, item.id.toLowerCase()) : positionOf(item.raw, item.id)
}

/** Two rules with one slug would share a URL: the later one gets a suffix and a warning. */
function disambiguateSlugs(acc: Accumulator): void {
  const bySlug = new Map<string, string>()
  for (const d of acc.detections) {
    const key = `${d.format}/${d.slug}`
    const first = bySlug.get(key)
    if (first !== undefined) {
      let n = 2
      while (bySlug.has(`${d.format}/${d.slug}-${n}`)) n++
      acc.diagnostics.push({
        path: d.path,
        line: 1,
        column: 1,
        severity: "warning",
        code: "duplicate-slug",
        message: `slug ${d.slug} is already used by ${first}; this rule is published as ${d.slug}-${n}`,
      })
      d.slug = `${d.slug}-${n}`
    }
    bySlug.set(`${d.format}/${d.slug}`, d.path)
  }
  for (const list of [acc.stories, acc.dataSources] as Array<Array<{ slug: string; path: string }>>) {
    const seen = new Set<string>()
    for (const item of list) {
      let slug = item.slug
      for (let n = 2; seen.has(slug); n++) slug = `${item.slug}-${n}`
      item.slug = slug
      seen.add(slug)
    }
  }
}

/** Normalised key for data source names: the corpus drifts between "Windows Security N" and "Windows Event Log Security N". */
function dataSourceKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/^windows event log security/, "windows security")
    .replace(/\s+/g, " ")
    .trim()
}

function checkReferences(acc: Accumulator): Catalog["unresolvedDataSources"] {
  const stories = new Set(acc.stories.map((s) => s.name))
  const sources = new Map(acc.dataSources.map((s) => [s.name, s.name]))
  const looseSources = new Map(acc.dataSources.map((s) => [dataSourceKey(s.name), s.name]))
  const unresolved = new Map<string, string[]>()
  for (const d of acc.detections) {
    const names = findFormat(d.format)?.dataSourceNames
    if (names === "labels") {
      d.dataSources = d.dataSources.map((n) => sources.get(n) ?? looseSources.get(dataSourceKey(n)) ?? n)
      d.dataSourceGroups = d.dataSources.map((n) => [n])
      continue
    }
    if (names === "derived") {
      // Names the format derived (from a log source), not the author's: keep those this catalog defines, silently.
      d.dataSources = [
        ...new Set(
          d.dataSources
            .map((n) => sources.get(n) ?? looseSources.get(dataSourceKey(n)))
            .filter((n): n is string => n !== undefined),
        ),
      ]
      d.dataSourceGroups = d.dataSources.map((n) => [n])
      continue
    }
    const warn = (code: string, message: string, needle: string) =>
      acc.diagnostics.push({ path: d.path, ...positionOf(d.raw, needle), severity: "warning", code, message })
    for (const s of d.stories)
      if (!stories.has(s)) warn("unknown-story", `analytic story "${s}" has no file in stories/`, s)
    const resolved = new Map<string, string>()
    d.dataSources = d.dataSources.map((name) => {
      if (sources.has(name)) return name
      const loose = looseSources.get(dataSourceKey(name))
      if (loose) {
        warn("data-source-alias", `data source "${name}" resolved to "${loose}" by a normalised name`, name)
        resolved.set(name, loose)
        return loose
      }
      warn("unknown-data-source", `data source "${name}" has no file in data_sources/`, name)
      unresolved.set(name, [...(unresolved.get(name) ?? []), d.id])
      return name
    })
    d.dataSourceGroups = d.dataSourceGroups?.map((g) => [...new Set(g.map((n) => resolved.get(n) ?? n))])
  }
  return [...unresolved.entries()]
    .map(([name, detections]) => ({ name, detections }))
    .sort((a, b) => a.name.localeCompare(b.name))
}
