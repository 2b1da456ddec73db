/**
 * `key:value` filters of the search syntax, applied to the rule records.
 *
 * Owns: how each filter key compares (exact, prefix or substring; always case-insensitive) and
 * which items of a rule it reports as the reason of the match; the lookup tables filters build
 * on first use (indicators by field name, the distinct indicator values as one text).
 * Invariants: pure; a filter returns exactly the rules it keeps, each with how many items made it
 * pass and, when asked, those items (shown as the snippet), none for keys without items (type,
 * status, format, domain). Nothing is allocated per kept rule: a broad filter
 * (`field:CommandLine`) keeps thousands of rules but only the hits shown need their items.
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

/** The rules one filter keeps. */
export interface FilterMatch {
  field: SearchFieldName
  /** Rules kept, each once. */
  ids: number[]
  /** Per rule number, how many items matched; undefined for keys without items. */
  counts?: Int32Array
  /** The items that made rule `r` pass (the first `limit`). */
  items: (r: number, limit?: number) => string[]
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

type ListPick = (rule: SearchRule) => string[]

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

/**
 * Rules holding an item of `pick` that passes `test`, counted per rule; the items themselves
 * are listed only for the rules asked about.
 */
function listFilter(
  s: LoadedSearch,
  field: SearchFieldName,
  pick: ListPick,
  test: (item: string) => boolean,
  label: (item: string) => string = (x) => x,
): FilterMatch {
  const rules = s.data.rules
  const ids: number[] = []
  const counts = new Int32Array(rules.length)
  for (let r = 0; r < rules.length; r++) {
    let c = 0
    for (const item of pick(rules[r] as SearchRule)) if (test(item)) c++
    if (c > 0) {
      ids.push(r)
      counts[r] = c
    }
  }
  return {
    field,
    ids,
    counts,
    items: (r, limit) => {
      const rule = rules[r]
      return rule ? pick(rule).filter(test).slice(0, limit).map(label) : []
    },
  }
}

function techniqueFilter(s: LoadedSearch, value: string): FilterMatch {
  const v = value.toLowerCase()
  const byId = TECHNIQUE_ID.test(value)
  const names = s.data.techniqueNames
  const test = once((t) => {
    const id = t.toLowerCase()
    return byId ? id === v || id.startsWith(`${v}.`) : (names[t] ?? "").toLowerCase().includes(v)
  })
  return listFilter(
    s,
    "technique",
    (r) => r.techniques,
    test,
    (t) => `${t} ${names[t] ?? ""}`.trim(),
  )
}

/**
 * Rules carrying one of `found` (indicator numbers, ascending), with those indicators as items:
 * per rule in ascending order, an indicator a rule tests twice listed twice.
 */
function indicatorFilter(s: LoadedSearch, found: ArrayLike<number>, field: SearchFieldName): FilterMatch {
  const n = s.data.rules.length
  const counts = new Int32Array(n)
  const ids: number[] = []
  const hit = new Uint8Array(s.data.indicators.length)
  for (let k = 0; k < found.length; k++) {
    const i = found[k] as number
    hit[i] = 1
    for (const r of s.indicatorRules[i] ?? []) {
      if (counts[r] === 0) ids.push(r)
      counts[r] = (counts[r] ?? 0) + 1
    }
  }
  return {
    field,
    ids,
    counts,
    items: (r, limit) =>
      (s.data.rules[r]?.indicators ?? [])
        .filter((i) => hit[i] === 1)
        .sort((a, b) => a - b)
        .slice(0, limit)
        .flatMap((i) => {
          const ind = s.data.indicators[i]
          return ind ? [indicatorLabel(ind)] : []
        }),
  }
}

/** Indicator numbers by lower-cased field name, ascending: made on the first `field:` filter. */
function indicatorsByField(s: LoadedSearch): Map<string, number[]> {
  if (s.lookups.byField) return s.lookups.byField
  const byName = new Map<string, number[]>()
  const lower = new Map<string, string>()
  s.data.indicators.forEach((ind, i) => {
    let key = lower.get(ind[0])
    if (key === undefined) lower.set(ind[0], (key = ind[0].toLowerCase()))
    const list = byName.get(key)
    if (list) list.push(i)
    else byName.set(key, [i])
  })
  s.lookups.byField = byName
  return byName
}

/** Separates values in the joined text; a value holding it is matched one by one instead. */
const SEP = "\u0000"

/**
 * The distinct lower-cased indicator values joined by SEP, with where each starts: a substring
 * is found with indexOf over one text rather than a test per value. Made on first use.
 */
function valueText(s: LoadedSearch): NonNullable<LoadedSearch["lookups"]["values"]> {
  if (s.lookups.values) return s.lookups.values
  const values = [...s.indicatorsByValue.keys()]
  const starts = new Int32Array(values.length + 1)
  let at = 1
  values.forEach((v, k) => {
    starts[k] = at
    at += v.length + 1
  })
  starts[values.length] = at
  const joinable = values.every((v) => !v.includes(SEP))
  s.lookups.values = { values, starts, text: joinable ? `${SEP}${values.join(SEP)}${SEP}` : undefined }
  return s.lookups.values
}

/** Indicator numbers (ascending) whose lower-cased value holds `v`. */
function indicatorsHolding(s: LoadedSearch, v: string): Int32Array {
  const { values, starts, text } = valueText(s)
  const found: number[] = []
  const add = (k: number) => {
    for (const i of s.indicatorsByValue.get(values[k] ?? "") ?? []) found.push(i)
  }
  if (text === undefined || v === "" || v.includes(SEP)) values.forEach((value, k) => value.includes(v) && add(k))
  else {
    let k = 0
    for (let at = text.indexOf(v); at !== -1;) {
      // The value holding position `at`: the last start at or before it.
      let lo = k
      let hi = values.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1
        if ((starts[mid] ?? 0) <= at) lo = mid
        else hi = mid - 1
      }
      add(lo)
      k = lo + 1
      at = text.indexOf(v, starts[k] ?? text.length)
    }
  }
  return Int32Array.from(found).sort()
}

/** The rules passing one filter, with what matched. */
export function applyFilter(s: LoadedSearch, f: QueryFilter): FilterMatch {
  const v = f.value.toLowerCase()
  if (f.key === "technique") return techniqueFilter(s, f.value)
  if (f.key === "indicator") return indicatorFilter(s, indicatorsHolding(s, v), "indicator")
  if (f.key === "field") return indicatorFilter(s, indicatorsByField(s).get(v) ?? [], "field")
  const exact = EXACT_FILTERS[f.key]
  if (exact) {
    // Values repeat across rules (formats, types): each is compared once.
    const test = once((x) => x.length === v.length && x.toLowerCase() === v)
    const ids: number[] = []
    s.data.rules.forEach((rule, r) => test(exact(rule)) && ids.push(r))
    return { field: "meta", ids, items: () => [] }
  }
  const list = LIST_FILTERS[f.key]
  if (!list) return { field: "meta", ids: [], items: () => [] }
  return listFilter(
    s,
    list.field,
    list.pick,
    once((item) => list.test(item, v)),
  )
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
