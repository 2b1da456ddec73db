/**
 * The searched fields of a rule: their names, labels and ranking weights, the text each holds for
 * one rule, and the folding that makes matching case- and accent-insensitive.
 *
 * Owns: SEARCH_FIELDS, how a rule record becomes its field texts (searchDoc) and `foldText`.
 * Invariants: list fields hold one item a line; the same fold applies to texts and terms, so a
 * term matches wherever its folded form starts a word of the folded text.
 * Never imports: React, Next, Node built-ins.
 */
import type { SearchRecords, SearchRule } from "./records.ts"

/** A searched field: what it holds, how it is shown as the reason of a match, how it ranks. */
export interface SearchField {
  name: SearchFieldName
  /** Shown as "matched on …". */
  label: string
  /** Ranking weight of a match in this field; the best field of a rule decides its rank. */
  weight: number
}

export type SearchFieldName =
  | "name"
  | "indicator"
  | "technique"
  | "id"
  | "tactic"
  | "source"
  | "field"
  | "macro"
  | "story"
  | "author"
  | "path"
  | "meta"
  | "description"

/** Searched fields, strongest first. */
export const SEARCH_FIELDS: SearchField[] = [
  { name: "name", label: "name", weight: 100 },
  { name: "indicator", label: "indicator", weight: 80 },
  { name: "technique", label: "technique", weight: 70 },
  { name: "id", label: "id", weight: 70 },
  { name: "tactic", label: "tactic", weight: 50 },
  { name: "source", label: "data source", weight: 50 },
  { name: "field", label: "field", weight: 40 },
  { name: "macro", label: "macro", weight: 40 },
  { name: "story", label: "story", weight: 40 },
  { name: "author", label: "author", weight: 30 },
  { name: "path", label: "file", weight: 30 },
  { name: "meta", label: "type, status or format", weight: 20 },
  { name: "description", label: "description", weight: 10 },
]

/** The text of each field for one rule. */
export type SearchDoc = Record<SearchFieldName, string> & { rule: number }

/** Lower case without diacritics (`Défense` → `defense`); ASCII text skips the Unicode work. */
export function foldText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() : s.toLowerCase()
}

/** The field texts of rule number `r`. */
export function searchDoc(records: SearchRecords, r: number): SearchDoc {
  const rule = records.rules[r] as SearchRule
  const indicators = rule.indicators.map((i) => records.indicators[i]).filter((i) => i !== undefined)
  return {
    rule: r,
    name: rule.name,
    indicator: indicators.map((i) => i[2]).join("\n"),
    technique: rule.techniques.map((t) => `${t} ${records.techniqueNames[t] ?? ""}`).join("\n"),
    id: rule.id,
    tactic: rule.tactics.join("\n"),
    source: rule.dataSources.join("\n"),
    field: [...new Set(indicators.map((i) => i[0]))].join("\n"),
    macro: rule.macros.join("\n"),
    story: rule.stories.join("\n"),
    author: rule.author,
    path: rule.path,
    meta: `${rule.type} ${rule.status} ${rule.format} ${rule.domain}`,
    description: rule.description,
  }
}
