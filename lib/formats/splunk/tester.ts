/**
 * What the browser needs of the Splunk format: which event shapes a search reads, and that a
 * pasted event is read as it is, with no log-source gate.
 *
 * Invariants: light: never imports the SPL engine or the YAML reader.
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/splunk but
 * lib/formats/types.ts, lib/events, lib/predicate and lib/model.
 */
import { shapeDef, shapeFields } from "../../events/shapes.ts"
import type { EventShapeId } from "../../events/types.ts"
import type { RuleAnalysis } from "../../predicate/analysis.ts"
import type { Detection, LookupTableData } from "../../model/types.ts"
import type { FormatTesting, RuleDecider } from "../types.ts"
import { splunkDetail, type SplunkDetail } from "./analysis.ts"
import { compileRowPlan, runRows, type RunOptions } from "./spl/row-runner.ts"

/** Raw-event fields only Sysmon EventID 1 carries, and only Security 4688 carries. */
const RAW_SYSMON_FIELDS = new Set([
  "Image",
  "ParentImage",
  "OriginalFileName",
  "ParentCommandLine",
  "IntegrityLevel",
  "Hashes",
  "ProcessGuid",
])
const RAW_4688_FIELDS = new Set([
  "NewProcessName",
  "Process_Command_Line",
  "ParentProcessName",
  "NewProcessId",
  "TokenElevationType",
  "MandatoryLabel",
])
/** The shapes a Splunk search can read: the CIM data model and the raw Windows events. */
const SPL_SHAPES = ["cim", "sysmon", "security4688"] as const

/**
 * Whether a data model (as the analysis names it: `Endpoint.Processes`, or `Endpoint` with node
 * `Processes`) holds process events: the only kind of event a command line builds.
 */
function holdsProcesses(dm: { name: string; nodename?: string }): boolean {
  return dm.name === "Endpoint.Processes" || (dm.name === "Endpoint" && /(^|\.)Processes$/.test(dm.nodename ?? ""))
}

/**
 * Which event shapes a search reads: a tstats/datamodel search over Endpoint.Processes reads the
 * CIM shape, one over another data model (Filesystem, Network_Resolution, Authentication…)
 * reads no shape of a built process event, whatever fields the two share (`dest`, `user`); a raw
 * search reads the Sysmon shape and/or the 4688 shape, chosen from its data sources, the fields
 * its predicate reads and its expanded text; with no clue, the shapes carrying a field it reads,
 * and with none of those the CIM shape stands for all (every field the rule reads is absent from
 * every shape, so one evaluation decides).
 */
export function splunkShapes(
  d: Pick<Detection, "dataSources" | "search">,
  analysis: RuleAnalysis,
  fields: ReadonlySet<string>,
): EventShapeId[] {
  const detail = splunkDetail(analysis)
  if (detail?.datamodel) return holdsProcesses(detail.datamodel) ? ["cim"] : []
  const ds = d.dataSources.join(" ")
  const text = detail?.expanded ?? d.search
  const out: EventShapeId[] = []
  if (/sysmon/i.test(ds) || /sysmon/i.test(text) || [...fields].some((f) => RAW_SYSMON_FIELDS.has(f)))
    out.push("sysmon")
  if (/4688/.test(ds) || /\b4688\b/.test(text) || [...fields].some((f) => RAW_4688_FIELDS.has(f)))
    out.push("security4688")
  if (out.length) return out
  const readable = SPL_SHAPES.filter((s) => {
    const def = shapeDef(s)
    const carried = def ? shapeFields(def) : new Set<string>()
    return [...fields].some((f) => carried.has(f))
  })
  return readable.length ? readable : ["cim"]
}

/** Event fields a predicate reads. */
function predicateFields(a: RuleAnalysis): Set<string> {
  const out = new Set<string>()
  const walk = (p: RuleAnalysis["predicate"]): void => {
    if ("field" in p) out.add(p.field)
    if ("args" in p) for (const x of p.args) walk(x)
    if ("arg" in p) walk(p.arg)
  }
  walk(a.predicate)
  return out
}

/**
 * The lookup tables deciders read, by the name rules use: the catalog's in Node, the ones the
 * browser worker has fetched so far there. A table not here leaves a lookup that matters
 * undecided, with that reason.
 */
const loadedTables = new Map<string, LookupTableData>()
const lookups = (name: string): LookupTableData | undefined => loadedTables.get(name)

/** Lookup tables a rule's pipeline reads. */
function lookupTablesOf(analysis: RuleAnalysis): string[] {
  const plan = splunkDetail(analysis)?.rowPlan
  return plan ? [...new Set(plan.steps.flatMap((s) => (s.k === "lookup" ? [s.table] : [])))] : []
}

/**
 * The verdict of a rule that needs its pipeline run on the event (eval, rex, spath, lookup…):
 * the row runner over the plan the build made, with the lookup tables loaded so far.
 */
function splunkDecider(analysis: RuleAnalysis): RuleDecider | undefined {
  const plan = splunkDetail(analysis)?.rowPlan
  if (!plan) return undefined
  const compiled = compileRowPlan(plan, analysis.stages[0]?.predicate)
  return (view, options) => {
    const run: RunOptions = { view, verdictOnly: true, lookups }
    if (options.metadata !== undefined) run.metadata = options.metadata
    const r = runRows(compiled, view.event, run)
    return r.reason === undefined ? { verdict: r.verdict } : { verdict: r.verdict, reason: r.reason }
  }
}

export const splunkTesting: FormatTesting = {
  id: "splunk",
  label: "Splunk",
  tester: {
    shapes: (d, analysis) => splunkShapes(d, analysis, predicateFields(analysis)),
    pastedShape: "event",
    readEvent: (event) => event,
    leanDetail: (detail) => {
      const d = detail as SplunkDetail
      // Only the clues splunkShapes reads from the expanded search travel, never the search.
      const clues = [/sysmon/i.test(d.expanded) ? "sysmon" : "", /\b4688\b/.test(d.expanded) ? "4688" : ""]
        .filter(Boolean)
        .join(" ")
      return {
        format: "splunk",
        expanded: clues,
        ...(d.datamodel ? { datamodel: d.datamodel } : {}),
        ...(d.rowPlan ? { rowPlan: d.rowPlan } : {}),
      }
    },
    decider: splunkDecider,
    tables: lookupTablesOf,
    addTables: (tables) => {
      for (const [name, t] of Object.entries(tables))
        if (t === undefined) loadedTables.delete(name)
        else loadedTables.set(name, t as LookupTableData)
    },
  },
}
