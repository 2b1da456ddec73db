/**
 * `key:value` filters of the search syntax, applied to the rule records.
 *
 * Owns: how each filter key compares (exact, prefix or substring; always case-insensitive) and
 * which items of a rule it reports as the reason of the match.
 * Invariants: pure; a filter returns exactly the rules it keeps, each with the items that made
 * it pass (shown as the snippet), empty for keys without items (type, status, format, domain).
 * Items are made into text only when asked: a broad filter (`field:CommandLine`) keeps thousands
 * of rules but only the hits shown need their snippet.
 * Never imports: React, Next, Node built-ins.
 */
import type { SearchFieldName } from "./fields.ts"
import type { LoadedSearch } from "./load-index.ts"
import type { QueryFilter } from "./query.ts"
import type { SearchIndicator, SearchRule } from "./records.ts"

/** Why a rule passed a filter: the field and the items that matched. */
export interface FieldMatch {
  field: SearchFieldName
  /** How many items matched. */
  count: number
  /** The items (the first `limit` of them). */
  items: (limit?: number) => string[]
}

function match(field: SearchFieldName, items: string[]): FieldMatch {
  return { field, count: items.length, items: (limit) => items.slice(0, limit) }
}

/** How an indicator is shown in a snippet: `process_name eq winrs.exe`. */
export function indicatorLabel(i: SearchIndicator): string {
  return `${i[0]} ${i[1]} ${i[2]}`
}

const TECHNIQUE_ID = /^t\d{4}(\.\d{3})?$/i

/** `lateral movement` and `Lateral-Movement` both name the shortname `lateral-movement`. */
function tacticWord(v: string): string {
  return v
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, "-")
}

type ListPick = (rule: SearchRule, s: LoadedSearch) => string[]

/** Filters over one list of a rule, with the comparison they use. */
const LIST_FILTERS: Partial<
  Record<QueryFilter["key"], { field: SearchFieldName; pick: ListPick; test: (item: string, v: string) => boolean }>
> = {
  tactic: { field: "tactic", pick: (r) => r.tactics, test: (item, v) => item.includes(tacticWord(v)) },
  source: { field: "source", pick: (r) => r.dataSources, test: (item, v) => item.toLowerCase().includes(v) },
  macro: { field: "macro", pick: (r) => r.macros, test: (item, v) => item.toLowerCase().includes(v) },
  story: { field: "story", pick: (r) => r.stories, test: (item, v) => item.toLowerCase().includes(v) },
  author: { field: "author", pick: (r) => [r.author], test: (item, v) => item.toLowerCase().includes(v) },
  id: { field: "id", pick: (r) => [r.id], test: (item, v) => item.toLowerCase().startsWith(v) },
}

/** Exact, case-insensitive filters over one property: no reason items. */
const EXACT_FILTERS: Partial<Record<QueryFilter["key"], (r: SearchRule) => string>> = {
  type: (r) => r.type,
  status: (r) => r.status,
  format: (r) => r.format,
  domain: (r) => r.domain,
}

function techniqueFilter(s: LoadedSearch, value: string): Map<number, FieldMatch> {
  const out = new Map<number, FieldMatch>()
  const v = value.toLowerCase()
  const byId = TECHNIQUE_ID.test(value)
  const names = s.data.techniqueNames
  s.data.rules.forEach((rule, r) => {
    const items = rule.techniques.filter((t) => {
      const id = t.toLowerCase()
      return byId ? id === v || id.startsWith(`${v}.`) : (names[t] ?? "").toLowerCase().includes(v)
    })
    if (items.length > 0)
      out.set(
        r,
        match(
          "technique",
          items.map((t) => `${t} ${names[t] ?? ""}`.trim()),
        ),
      )
  })
  return out
}

/** Rules carrying an indicator that passes `test`, with those indicators as items. */
function indicatorFilter(
  s: LoadedSearch,
  test: (i: SearchIndicator, lowerValue: string) => boolean,
  field: SearchFieldName,
): Map<number, FieldMatch> {
  const byRule = new Map<number, number[]>()
  s.data.indicators.forEach((ind, i) => {
    if (!test(ind, s.indicatorValues[i] ?? "")) return
    for (const r of s.indicatorRules[i] ?? []) {
      const m = byRule.get(r)
      if (m) m.push(i)
      else byRule.set(r, [i])
    }
  })
  const out = new Map<number, FieldMatch>()
  for (const [r, found] of byRule) {
    out.set(r, {
      field,
      count: found.length,
      items: (limit) =>
        found.slice(0, limit).flatMap((i) => {
          const ind = s.data.indicators[i]
          return ind ? [indicatorLabel(ind)] : []
        }),
    })
  }
  return out
}

/** The rules passing one filter, each with what matched. */
export function applyFilter(s: LoadedSearch, f: QueryFilter): Map<number, FieldMatch> {
  const v = f.value.toLowerCase()
  if (f.key === "technique") return techniqueFilter(s, f.value)
  if (f.key === "indicator") return indicatorFilter(s, (_, value) => value.includes(v), "indicator")
  if (f.key === "field") {
    const isField = once((field) => field.toLowerCase() === v)
    return indicatorFilter(s, (i) => isField(i[0]), "field")
  }
  const out = new Map<number, FieldMatch>()
  const exact = EXACT_FILTERS[f.key]
  const list = LIST_FILTERS[f.key]
  if (!exact && !list) return out
  // Values repeat across rules (formats, data sources, authors): each is tested once, and
  // nothing is allocated for a rule the filter drops.
  const test = once(
    exact ? (x) => x.length === v.length && x.toLowerCase() === v : (item) => list?.test(item, v) ?? false,
  )
  const meta = match("meta", [])
  s.data.rules.forEach((rule, r) => {
    if (exact) {
      if (test(exact(rule))) out.set(r, meta)
    } else if (list) {
      const all = list.pick(rule, s)
      if (!all.some(test)) return
      out.set(r, match(list.field, all.filter(test)))
    }
  })
  return out
}

/** `test`, remembering its answer for each string. */
function once(test: (x: string) => boolean): (x: string) => boolean {
  const seen = new Map<string, boolean>()
  return (x) => {
    let answer = seen.get(x)
    if (answer === undefined) seen.set(x, (answer = test(x)))
    return answer
  }
}
