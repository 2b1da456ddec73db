/**
 * What the browser needs of the Sigma format: its rules read the `sigma` shape of a built event
 * (Sysmon EventID 1 in Sigma's field names); a pasted event is read with Sigma's names
 * (sigmaEventOf) and gated on the logsources its Channel and EventID name (after SigmaHQ's own
 * checker configuration).
 *
 * Invariants: light: never imports the Sigma reader (YAML parsers, the compiler).
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/sigma but
 * lib/formats/types.ts, lib/events, lib/predicate and lib/model.
 */
import type { Event } from "../../predicate/types.ts"
import type { FormatGate, FormatTesting, RiskContribution, RuleAnalysis } from "../types.ts"
import { sigmaDetail, type SigmaDetail } from "./analysis.ts"
import { sigmaEventOf } from "./event.ts"
import {
  eventLogsources,
  logsourceAdmits,
  PROCESS_CREATION,
  SYSMON_CHANNEL,
  WINDOWS_CATEGORIES,
  WINDOWS_SERVICES,
} from "./logsource.ts"
import type { SigmaLogsource } from "./types.ts"

/** The logsource gate (after SigmaHQ's own checker configuration). */
const gate: FormatGate<SigmaLogsource> = {
  label: "Sigma logsource",
  ruleSource: (analysis) => sigmaDetail(analysis)?.logsource,
  key: (ls) => JSON.stringify([ls.product, ls.category, ls.service]),
  builtSources: [PROCESS_CREATION],
  eventSources: (event) => {
    const sources = eventLogsources(event)
    return sources.length > 0 ? sources : undefined
  },
  admits: (rule, sources) => logsourceAdmits(rule, [...sources]),
  describe: (ls) => [ls.product, ls.category, ls.service].filter(Boolean).join("/"),
  // One chunk per product and category (or service); small ones join their product's "other"
  // chunk. A product-wide logsource is admitted by every event of its product: never merged.
  chunk: (ls) => {
    const name = `${ls.product ?? "any"}-${ls.category ?? ls.service ?? "any"}`
    return name.endsWith("-any") ? { name } : { name, small: `${ls.product ?? "any"}-other` }
  },
  ungated: "The event names no Windows channel and event id",
}

/** The Windows channel and event id a logsource names, so the gate admits an example event. */
function exampleOrigin(analysis: RuleAnalysis): Event {
  const ls = sigmaDetail(analysis)?.logsource
  if (!ls || ls.product !== "windows") return {}
  const source = ls.category ? WINDOWS_CATEGORIES[ls.category]?.[0] : undefined
  if (source) {
    const e: Event = { Channel: source.channel, EventID: String(source.ids[0]) }
    if (source.channel === SYSMON_CHANNEL) e.ProviderName = "Microsoft-Windows-Sysmon"
    if (source.eventType?.[0]) e.EventType = source.eventType[0]
    return e
  }
  const channel = ls.service ? WINDOWS_SERVICES[ls.service] : undefined
  return channel ? { Channel: channel } : {}
}

/**
 * Sigma level → risk score: the middle of the Splunk severity band with the same name
 * (informational ≤ 20, low ≤ 40, medium ≤ 60, high ≤ 80, critical above).
 */
export const SIGMA_LEVEL_RISK: Readonly<Record<string, number>> = {
  informational: 10,
  low: 30,
  medium: 50,
  high: 70,
  critical: 90,
}

/** Where a Sigma rule's entities are read from: CIM name first, then Windows event names. */
const SIGMA_ENTITIES: ReadonlyArray<{ field: string; type: string; from: string[] }> = [
  { field: "user", type: "user", from: ["user", "User", "SubjectUserName", "TargetUserName"] },
  { field: "dest", type: "system", from: ["dest", "Computer", "host", "hostname"] },
]

/**
 * Sigma rules declare no risk: their level maps to SIGMA_LEVEL_RISK, added to the user and the
 * host the event names. A rule without a level adds no risk score, and says so.
 */
const risk: NonNullable<FormatTesting["tester"]["risk"]> = {
  contributions: (d, read) => {
    const level = d.risk.severity
    const score = level === undefined ? undefined : SIGMA_LEVEL_RISK[level]
    if (score === undefined) return []
    return SIGMA_ENTITIES.map((e) => {
      const c: RiskContribution = { field: e.field, type: e.type, score, basis: `Sigma level ${level} → ${score}` }
      for (const f of e.from) {
        const v = read(f)
        if (v !== undefined) {
          c.value = v
          break
        }
      }
      return c
    })
  },
  noRisk: (d) => (d.risk.severity === undefined ? "no risk score: the Sigma rule has no level" : undefined),
}

export const sigmaTesting: FormatTesting = {
  id: "sigma",
  label: "Sigma",
  tester: {
    shapes: () => ["sigma"],
    pastedShape: "sigma",
    readEvent: sigmaEventOf,
    gate: gate as FormatGate,
    exampleOrigin,
    risk,
    leanDetail: (detail) => {
      const { product, category, service } = (detail as SigmaDetail).logsource
      return { format: "sigma", logsource: { product, category, service } }
    },
  },
}
