/**
 * Pure facet filtering and sorting of rule summaries for the rule list.
 *
 * Never imports: React, Next, Node built-ins.
 */
import { countBy, type RuleSummary } from "./views.ts"

export interface RuleFilter {
  format: string
  type: string
  status: string
  domain: string
  /** Case-insensitive substring of the name. */
  q: string
}

export type RuleSort = "name" | "date" | "type"

export function filterRules(rules: RuleSummary[], f: RuleFilter): RuleSummary[] {
  const q = f.q.trim().toLowerCase()
  return rules.filter(
    (r) =>
      (!f.format || r.format === f.format) &&
      (!f.type || r.type === f.type) &&
      (!f.status || r.status === f.status) &&
      (!f.domain || r.domain === f.domain) &&
      (!q || r.name.toLowerCase().includes(q)),
  )
}

export function sortRules(rules: RuleSummary[], sort: RuleSort): RuleSummary[] {
  const copy = [...rules]
  if (sort === "date") return copy.sort((a, b) => b.date.localeCompare(a.date) || a.name.localeCompare(b.name))
  if (sort === "type") return copy.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
  return copy.sort((a, b) => a.name.localeCompare(b.name))
}

export function facetValues(rules: RuleSummary[]): Record<keyof Omit<RuleFilter, "q">, Array<{ key: string; count: number }>> {
  return {
    format: countBy(rules, (r) => r.format),
    type: countBy(rules, (r) => r.type),
    status: countBy(rules, (r) => r.status),
    domain: countBy(rules.filter((r) => r.domain), (r) => r.domain),
  }
}
