/**
 * Files in, catalog out: classify each file of a content tree, parse and normalise it, then
 * check what only the whole catalog can tell (duplicate ids and slugs, unresolved stories and data
 * sources), then analyse every search with the catalog's macros (analyze.ts, which reports
 * unresolved macros).
 *
 * Owns: the accounting of every input file (loaded, rejected with a reason, or ignored with a
 * reason) and the cross-record checks. Invariants: pure and deterministic for a given file list;
 * never throws on file content; one bad file never hides another file's records.
 * Never imports: React, Next, Node built-ins (the walker in load.node.ts does the I/O).
 */
import { analyzeDetections } from "./analyze.ts"
import { elasticFormat } from "../formats/elastic/format.ts"
import type { RuleFormat } from "../formats/types.ts"
import { loadSigmaFile } from "./sigma-detection.ts"
import { looksLikeSigma } from "../sigma/yaml.ts"
import { normalizeSplunkDetection, type AttackResolver } from "./splunk-detection.ts"
import { normalizeDataSource, normalizeLookup, normalizeMacro, normalizeStory } from "./splunk-records.ts"
import type { Catalog, DataSource, Detection, Diagnostic, FileRecord, Lookup, Macro, Story } from "./types.ts"
import { fileStem } from "./util.ts"
import { parseYamlFile } from "./yaml.ts"

export { EXTERNAL_MACROS } from "./analyze.ts"

/** One file handed to the assembler: its display path, its place in the tree, and its text. */
export interface InputFile {
  /** Path as shown in diagnostics. */
  path: string
  /** Path relative to its content root, `/`-separated. */
  rel: string
  /** Decoded text, or why it could not be read. */
  text?: string
  readError?: string
}

type Kind = FileRecord["kind"]

/** Progress callback: the phase, and files done out of the total. */
export type AssembleProgress = (phase: string, done: number, total: number) => void

/** Files between two progress calls. */
const PROGRESS_EVERY = 250

/** Which record kind a file holds, from its folder in the security_content layout. */
export function classify(rel: string): { kind: Kind; reason?: string } {
  const top = rel.split("/")[0] ?? ""
  const yaml = /\.ya?ml$/i.test(rel)
  const folders: Record<string, Kind> = {
    detections: "detection",
    macros: "macro",
    stories: "story",
    data_sources: "data_source",
    lookups: "lookup",
  }
  const kind = folders[top]
  if (!kind) return { kind: "other", reason: "outside the content folders (detections, macros, stories, data_sources, lookups)" }
  if (yaml) return { kind }
  if (kind === "lookup" && /\.(csv|mlmodel)$/i.test(rel)) return { kind: "lookup_data" }
  return { kind: "other", reason: `not a YAML file in ${top}/` }
}

interface Accumulator {
  detections: Detection[]
  macros: Macro[]
  stories: Story[]
  dataSources: DataSource[]
  lookups: Lookup[]
  files: FileRecord[]
  diagnostics: Diagnostic[]
}

/** Build a catalog from the files of security_content-layout trees. */
export function assembleCatalog(
  roots: string[],
  inputs: InputFile[],
  attack: AttackResolver & { version: string },
  onProgress?: AssembleProgress,
): Omit<Catalog, "loadMs"> {
  const acc: Accumulator = { detections: [], macros: [], stories: [], dataSources: [], lookups: [], files: [], diagnostics: [] }
  const lookupData: InputFile[] = []
  for (const [i, input] of inputs.entries()) {
    if (i % PROGRESS_EVERY === 0) onProgress?.("parsing", i, inputs.length)
    if (elasticFormat.claims(input)) {
      loadFormatFile(elasticFormat, input, attack, acc)
      continue
    }
    if (/\.ya?ml$/i.test(input.rel) && input.text !== undefined && looksLikeSigma(input.text)) {
      loadSigma(input, attack, acc)
      continue
    }
    const { kind, reason } = classify(input.rel)
    if (kind === "other") {
      acc.files.push({ path: input.path, kind, format: "none", status: "ignored", reason })
      continue
    }
    if (kind === "lookup_data") {
      lookupData.push(input)
      continue
    }
    loadOne(input, kind, attack, acc)
  }
  accountLookupData(lookupData, acc)
  rejectDuplicateIds(acc)
  disambiguateSlugs(acc)
  const unresolvedDataSources = checkReferences(acc)
  onProgress?.("analysing searches", inputs.length, inputs.length)
  for (const d of analyzeDetections(acc.detections, acc.macros, positionOf)) acc.diagnostics.push(d)
  return {
    roots,
    attackVersion: attack.version,
    detections: acc.detections,
    macros: acc.macros,
    stories: acc.stories,
    dataSources: acc.dataSources,
    lookups: acc.lookups,
    files: acc.files,
    diagnostics: acc.diagnostics,
    unresolvedDataSources,
  }
}

function loadOne(input: InputFile, kind: Kind, attack: AttackResolver, acc: Accumulator): void {
  const reject = (reason: string): void => {
    acc.files.push({ path: input.path, kind, format: "splunk", status: "rejected", reason })
  }
  if (input.text === undefined) {
    const reason = input.readError ?? "could not be read"
    acc.diagnostics.push({ path: input.path, line: 0, column: 0, severity: "error", code: "unreadable", message: reason })
    return reject(reason)
  }
  const parsed = parseYamlFile(input.path, input.text)
  acc.diagnostics.push(...parsed.diagnostics)
  if (parsed.value === undefined) return reject(firstError(parsed.diagnostics))
  const result = normalizeByKind(input, kind, parsed, attack)
  acc.diagnostics.push(...result.diagnostics)
  if (!result.record) return reject(firstError(result.diagnostics))
  acc.files.push({ path: input.path, kind, format: "splunk", status: "loaded" })
  if (kind === "detection") acc.detections.push(result.record as Detection)
  else if (kind === "macro") acc.macros.push(result.record as Macro)
  else if (kind === "story") acc.stories.push(result.record as Story)
  else if (kind === "data_source") acc.dataSources.push(result.record as DataSource)
  else acc.lookups.push(result.record as Lookup)
}

/**
 * A file of a format behind the RuleFormat seam: its detections (with their analysis) and its
 * file record. The analysis also carries the few SPL-analysis fields the tester and the stage
 * view still read (no macros, the query as the expanded text).
 */
function loadFormatFile(format: RuleFormat, input: InputFile, attack: AttackResolver, acc: Accumulator): void {
  let r: ReturnType<RuleFormat["load"]>
  try {
    r = format.load(input, { attack })
  } catch (e) {
    // A reader must not throw; if one does, the file is reported (CI counts these) and the build goes on.
    const message = `the ${format.label} reader crashed: ${e instanceof Error ? e.message : String(e)}`
    acc.diagnostics.push({ path: input.path, line: 0, column: 0, severity: "error", code: `${format.id}-crash`, message })
    acc.files.push({ path: input.path, kind: "detection", format: format.id as FileRecord["format"], status: "rejected", reason: message })
    return
  }
  acc.diagnostics.push(...r.diagnostics)
  for (const d of r.detections) {
    if (d.analysis) Object.assign(d.analysis, { expanded: d.search, macroCalls: [], diagnostics: [], parse: { firstStage: "full", unsupportedConstructs: [] } })
    acc.detections.push(d)
  }
  const record: FileRecord = { path: input.path, kind: r.file.kind, format: format.id as FileRecord["format"], status: r.file.status }
  if (r.file.reason) record.reason = r.file.reason
  acc.files.push(record)
}

/** A YAML file holding Sigma rules, wherever it sits in the tree. */
function loadSigma(input: InputFile, attack: AttackResolver, acc: Accumulator): void {
  const r = loadSigmaFile(input.path, input.text ?? "", attack)
  acc.diagnostics.push(...r.diagnostics)
  acc.detections.push(...r.detections)
  const status = r.detections.length > 0 ? "loaded" : "rejected"
  const record: FileRecord = { path: input.path, kind: "detection", format: "sigma", status }
  if (status === "rejected") record.reason = firstError(r.diagnostics)
  else if (r.rejected > 0) record.reason = `${r.rejected} of ${r.rejected + r.detections.length} documents rejected: ${firstError(r.diagnostics)}`
  acc.files.push(record)
}

function normalizeByKind(input: InputFile, kind: Kind, parsed: ReturnType<typeof parseYamlFile>, attack: AttackResolver) {
  switch (kind) {
    case "detection": {
      const parts = input.rel.split("/")
      const category = parts.length > 2 ? parts[1] : undefined
      const r = normalizeSplunkDetection(input.path, input.text ?? "", parsed, category, attack)
      return { record: r.detection, diagnostics: r.diagnostics }
    }
    case "macro":
      return normalizeMacro(input.path, parsed)
    case "story":
      return normalizeStory(input.path, parsed)
    case "data_source":
      return normalizeDataSource(input.path, parsed)
    default:
      return normalizeLookup(input.path, parsed)
  }
}

function firstError(diagnostics: Diagnostic[]): string {
  const d = diagnostics.find((x) => x.severity === "error")
  return d ? `${d.code}: ${d.message}` : "rejected"
}

/** Lookup tables are data, not records: accounted for by the lookup definition that names them. */
function accountLookupData(lookupData: InputFile[], acc: Accumulator): void {
  const named = new Map(acc.lookups.filter((l) => l.filename).map((l) => [l.filename?.toLowerCase(), l.name]))
  for (const input of lookupData) {
    const base = input.rel.split("/").pop()?.toLowerCase() ?? ""
    const owner = named.get(base) ?? acc.lookups.find((l) => l.name.toLowerCase() === fileStem(base))?.name
    acc.files.push({
      path: input.path,
      kind: "lookup_data",
      format: "splunk",
      status: "ignored",
      reason: owner ? `table data of lookup ${owner}` : "table data that no lookup definition names",
    })
    if (!owner) {
      acc.diagnostics.push({ path: input.path, line: 0, column: 0, severity: "warning", code: "orphan-lookup-data", message: "no lookups/*.yml names this file" })
    }
  }
}

/** Ids are unique across every kind (spec §1.10 rule 3): the first file in path order keeps it. */
function rejectDuplicateIds(acc: Accumulator): void {
  const seen = new Map<string, string>()
  const check = <T extends { id: string; path: string }>(items: T[]): T[] =>
    items.filter((item) => {
      const first = seen.get(item.id)
      if (first === undefined) {
        seen.set(item.id, item.path)
        return true
      }
      acc.diagnostics.push({ path: item.path, line: 1, column: 1, severity: "error", code: "duplicate-id", message: `id ${item.id} is already used by ${first}; this file was not loaded` })
      const rec = acc.files.find((f) => f.path === item.path)
      if (rec) Object.assign(rec, { status: "rejected", reason: `duplicate id ${item.id} (first in ${first})` })
      return false
    })
  acc.detections = check(acc.detections)
  acc.stories = check(acc.stories)
  acc.dataSources = check(acc.dataSources)
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
      acc.diagnostics.push({ path: d.path, line: 1, column: 1, severity: "warning", code: "duplicate-slug", message: `slug ${d.slug} is already used by ${first}; this rule is published as ${d.slug}-${n}` })
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

/** Line and column of the first occurrence of `needle` in a file, for cross-record warnings. */
export function positionOf(raw: string, needle: string): { line: number; column: number } {
  const at = raw.indexOf(needle)
  if (at < 0) return { line: 1, column: 1 }
  const before = raw.slice(0, at)
  const line = before.split("\n").length
  return { line, column: at - before.lastIndexOf("\n") }
}

/** Normalised key for data source names: the corpus drifts between "Windows Security N" and "Windows Event Log Security N". */
function dataSourceKey(name: string): string {
  return name.toLowerCase().replace(/^windows event log security/, "windows security").replace(/\s+/g, " ").trim()
}

function checkReferences(acc: Accumulator): Catalog["unresolvedDataSources"] {
  const stories = new Set(acc.stories.map((s) => s.name))
  const sources = new Map(acc.dataSources.map((s) => [s.name, s.name]))
  const looseSources = new Map(acc.dataSources.map((s) => [dataSourceKey(s.name), s.name]))
  const unresolved = new Map<string, string[]>()
  for (const d of acc.detections) {
    if (d.format === "sigma") {
      // Names come from the logsource table, not from the author: keep those this catalog defines, silently.
      d.dataSources = [...new Set(d.dataSources.map((n) => sources.get(n) ?? looseSources.get(dataSourceKey(n))).filter((n): n is string => n !== undefined))]
      d.dataSourceGroups = d.dataSources.map((n) => [n])
      continue
    }
    if (d.format === "elastic") {
      // `Data Source:` tags name products (Sysmon, Elastic Defend), not data_sources/ files: a
      // name this catalog defines links to its page, the others stay as written, silently.
      d.dataSources = d.dataSources.map((n) => sources.get(n) ?? looseSources.get(dataSourceKey(n)) ?? n)
      d.dataSourceGroups = d.dataSources.map((n) => [n])
      continue
    }
    const warn = (code: string, message: string, needle: string) =>
      acc.diagnostics.push({ path: d.path, ...positionOf(d.raw, needle), severity: "warning", code, message })
    for (const s of d.stories) if (!stories.has(s)) warn("unknown-story", `analytic story "${s}" has no file in stories/`, s)
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
