/**
 * Structure of a `tstats` stage:
 *   tstats [options] <aggregations> [FROM datamodel=<Model>[.<Dataset>]]
 *          [WHERE nodename=<Dataset.Path>] [WHERE <search-expression>] [BY <fields> [span=…]]
 *
 * Owns: locating the clauses (keywords are case-insensitive), the options that matter for one
 * event (fillnull_value), and the data-model field prefixes the rule may use.
 *
 * Invariants: the WHERE text is returned with its offset inside the stage text so leaves can be
 * attributed to macros; `nodename=` terms are blanked out of it (same length) and reported
 * separately. Never throws.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { parseAggregates, topLevelWords, type Aggregate } from "./stats.ts"

export type TstatsInfo = {
  datamodel?: string
  nodename?: string
  /** `fillnull_value`: missing BY fields read as this text instead of dropping the row. */
  fillnull?: string
  aggregates: Aggregate[]
  by: string[]
  where?: { text: string; offset: number }
}

/** Root dataset of models whose tstats fields are prefixed by a name other than the model's. */
const ROOT_DATASET: Record<string, string> = {
  Change: "All_Changes",
  Change_Analysis: "All_Changes",
  Network_Traffic: "All_Traffic",
  Network_Resolution: "DNS",
  Network_Sessions: "All_Sessions",
  Risk: "All_Risk",
  Email: "All_Email",
  Certificates: "All_Certificates",
  Intrusion_Detection: "IDS_Attacks",
  Vulnerabilities: "Vulnerabilities",
  Updates: "Updates",
  Alerts: "Alerts",
  Authentication: "Authentication",
  Web: "Web",
  Identity_Management: "All_Identities",
}

export function parseTstats(text: string): TstatsInfo {
  const words = topLevelWords(text)
  const idx = (kw: string, from = 0) => words.findIndex((w, i) => i >= from && w.w.toLowerCase() === kw)
  const fromAt = idx("from")
  const whereAt = idx("where", Math.max(0, fromAt))
  const byAt = idx("by", Math.max(0, whereAt, fromAt))
  const headEnd = [fromAt, whereAt, byAt].find((i) => i >= 0) ?? words.length
  const head = words.slice(0, headEnd)
  const info: TstatsInfo = { aggregates: parseAggregates(head), by: [] }
  const fill = head.find((w) => /^fillnull_value=/i.test(w.w))
  if (fill) info.fillnull = fill.w.slice(fill.w.indexOf("=") + 1).replace(/^"|"$/g, "")
  if (fromAt >= 0) {
    const dm = /^datamodel[=:]?"?([\w.]*)"?$/i.exec(words[fromAt + 1]?.w ?? "")
    const name = dm?.[1] || (dm ? words[fromAt + 2]?.w : undefined)
    if (name) info.datamodel = name
  }
  if (whereAt >= 0) {
    const start = (words[whereAt] as { end: number }).end
    const end = byAt >= 0 ? (words[byAt] as { start: number }).start : text.length
    let where = text.slice(start, end)
    // A second WHERE keyword (`WHERE nodename=X WHERE ...`) just continues the conjunction.
    where = where.replace(/(^|\s)where(?=\s)/gi, (m) => " ".repeat(m.length))
    where = where.replace(/\bnodename\s*=\s*"?([\w.]+)"?/i, (m, node: string) => {
      info.nodename = node
      return " ".repeat(m.length)
    })
    info.where = { text: where, offset: start }
  }
  if (byAt >= 0) {
    info.by = topLevelWords(text.slice((words[byAt] as { end: number }).end), true)
      .map((w) => w.w)
      .filter((w) => !/^\w+=/.test(w))
  }
  return info
}

/** Field prefixes (`Processes`, `All_Traffic`, `DNS`...) a tstats rule over `datamodel` uses. */
export function dataModelPrefixes(datamodel: string | undefined, nodename: string | undefined): string[] {
  const out = new Set<string>()
  if (datamodel) {
    const parts = datamodel.split(".")
    const model = parts[0] as string
    out.add(parts.length > 1 ? (parts[parts.length - 1] as string) : (ROOT_DATASET[model] ?? model))
    if (ROOT_DATASET[model]) out.add(ROOT_DATASET[model] as string)
  }
  if (nodename) for (const seg of nodename.split(".")) out.add(seg)
  return [...out]
}
