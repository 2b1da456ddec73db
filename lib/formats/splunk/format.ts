/**
 * The Splunk format: security_content's layout (detections/, macros/, stories/, data_sources/,
 * lookups/ YAML) read into rules and records, each search analysed by the SPL engine with the
 * catalog's macros.
 *
 * Owns: which files are Splunk's (by folder), the record kind of each, and the Splunk answers
 * to the RuleFormat questions (tester shapes from the data model, data sources and fields a
 * search reads; pasted events read as they are, with no log-source gate).
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/splunk but
 * lib/formats/types.ts, lib/events, lib/predicate, lib/model and lib/source.
 */
import type { FileRecord } from "../../model/types.ts"
import { firstError } from "../../source/diagnostics.ts"
import { parseYamlFile } from "../../source/yaml.ts"
import type { LoadResult, RuleFormat, SourceFile } from "../types.ts"
import { splunkAnalyser } from "./analyze.ts"
import { normalizeSplunkDetection } from "./detection.ts"
import { normalizeDataSource, normalizeLookup, normalizeMacro, normalizeStory } from "./records.ts"
import { splCoverage } from "./report.ts"
import { splunkTesting } from "./tester.ts"

type Kind = FileRecord["kind"]

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
  if (!kind)
    return { kind: "other", reason: "outside the content folders (detections, macros, stories, data_sources, lookups)" }
  if (yaml) return { kind }
  if (kind === "lookup" && /\.(csv|mlmodel)$/i.test(rel)) return { kind: "lookup_data" }
  return { kind: "other", reason: `not a YAML file in ${top}/` }
}

function load(input: SourceFile, context: { attack: Parameters<typeof normalizeSplunkDetection>[4] }): LoadResult {
  const { kind } = classify(input.rel)
  const rejected = (reason: string, diagnostics: LoadResult["diagnostics"]): LoadResult => ({
    detections: [],
    diagnostics,
    file: { kind, status: "rejected", reason },
  })
  // Table data is accounted for by the catalog once every lookup definition is known.
  if (kind === "lookup_data") return { detections: [], diagnostics: [], file: { kind, status: "ignored" } }
  if (input.text === undefined) {
    const reason = input.readError ?? "could not be read"
    return rejected(reason, [
      { path: input.path, line: 0, column: 0, severity: "error", code: "unreadable", message: reason },
    ])
  }
  const parsed = parseYamlFile(input.path, input.text)
  if (parsed.value === undefined) return rejected(firstError(parsed.diagnostics), parsed.diagnostics)
  const diagnostics = [...parsed.diagnostics]
  const loaded = (
    r: { diagnostics: LoadResult["diagnostics"] },
    put: Omit<LoadResult, "diagnostics" | "file">,
    ok: boolean,
  ): LoadResult => {
    diagnostics.push(...r.diagnostics)
    return ok
      ? { ...put, diagnostics, file: { kind, status: "loaded" } }
      : rejected(firstError(r.diagnostics), diagnostics)
  }
  switch (kind) {
    case "detection": {
      const parts = input.rel.split("/")
      const category = parts.length > 2 ? parts[1] : undefined
      const r = normalizeSplunkDetection(input.path, input.text, parsed, category, context.attack)
      return loaded(r, { detections: r.detection ? [r.detection] : [] }, r.detection !== undefined)
    }
    case "macro": {
      const r = normalizeMacro(input.path, parsed)
      return loaded(r, { detections: [], records: { macros: r.record ? [r.record] : [] } }, r.record !== undefined)
    }
    case "story": {
      const r = normalizeStory(input.path, parsed)
      return loaded(r, { detections: [], records: { stories: r.record ? [r.record] : [] } }, r.record !== undefined)
    }
    case "data_source": {
      const r = normalizeDataSource(input.path, parsed)
      return loaded(r, { detections: [], records: { dataSources: r.record ? [r.record] : [] } }, r.record !== undefined)
    }
    default: {
      const r = normalizeLookup(input.path, parsed)
      return loaded(r, { detections: [], records: { lookups: r.record ? [r.record] : [] } }, r.record !== undefined)
    }
  }
}

export const splunkFormat: RuleFormat = {
  ...splunkTesting,
  claims: (file) => classify(file.rel).kind !== "other",
  unclaimedReason: (file) => classify(file.rel).reason,
  load,
  analyser: (context) => {
    const tables = context.lookupTables ?? {}
    const analyse = splunkAnalyser(context.macros, (name) => Object.prototype.hasOwnProperty.call(tables, name))
    return (d) => analyse(d)
  },
  dataSourceNames: "declared",
  pageSections: () => [],
  report: (detections) => ({ spl: splCoverage({ detections: [...detections] }) }),
}
