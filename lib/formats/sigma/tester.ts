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
import type { FormatGate, FormatTesting } from "../types.ts"
import { sigmaDetail, type SigmaDetail } from "./analysis.ts"
import { sigmaEventOf } from "./event.ts"
import { eventLogsources, logsourceAdmits, PROCESS_CREATION } from "./logsource.ts"
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
  ungated: "The event names no Windows channel and event id",
}

export const sigmaTesting: FormatTesting = {
  id: "sigma",
  label: "Sigma",
  tester: {
    shapes: () => ["sigma"],
    pastedShape: "sigma",
    readEvent: sigmaEventOf,
    gate: gate as FormatGate,
    leanDetail: (detail) => {
      const { product, category, service } = (detail as SigmaDetail).logsource
      return { format: "sigma", logsource: { product, category, service } }
    },
  },
}
