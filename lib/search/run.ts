/**
 * The search engine: a query string and a facet selection in, ranked rules with the reasons they
 * matched, facet counts and exact indicator matches out.
 *
 * Owns: combining the steps of a query (steps.ts; all must match), ranking (score, then rank,
 * then name), the reasons and snippets of the hits shown, disjunctive facet counts, and
 * exact-indicator detection.
 * Invariants: pure and synchronous over a LoadedSearch; only the hits returned get snippets.
 * Never imports: React, Next, Node built-ins.
 */
import { SEARCH_FIELDS, type SearchFieldName } from "./fields.ts"
import { indicatorLabel, type FieldMatch } from "./filters.ts"
import type { LoadedSearch } from "./load-index.ts"
import { FACET_KEYS, parseQuery, type FacetKey, type FacetSelection } from "./query.ts"
import type { SearchRule } from "./records.ts"
import { listSnippet, textSnippet, type Snippet } from "./snippet.ts"
import { filterStep, keptByAll, termStep, type Step } from "./steps.ts"

const FIELD = new Map(SEARCH_FIELDS.map((f) => [f.name, f]))
/** localeCompare's order, without its set-up on every call. */
const COLLATOR = new Intl.Collator()

/**
 * Queries the worker runs once after loading: the engine's first runs are several times slower
 * than later ones (JIT), and these exercise every path (terms, literal terms, filters, facets)
 * while the user is still typing.
 */
export const WARM_UP_QUERIES = ["process", "windows powershell", "-e", "indicator:.exe", "technique:T1059", "source:sysmon type:ttp"]
/** Fields whose text is a list (one item a line): snippets show the matching items. */
const LIST_FIELDS = new Set<SearchFieldName>(["indicator", "technique", "tactic", "source", "field", "macro", "story"])

export interface SearchReason {
  field: SearchFieldName
  /** "name", "indicator", "technique", … */
  label: string
  snippet: Snippet
}

export interface SearchHit {
  /** Rule number in the payload. */
  rule: number
  name: string
  format: SearchRule["format"]
  slug: string
  type: string
  status: string
  techniques: string[]
  score: number
  reasons: SearchReason[]
}

export interface FacetCount {
  value: string
  count: number
  selected: boolean
}

/** An indicator whose value is exactly the query: the search offers its page. */
export interface ExactIndicator {
  field: string
  kind: string
  value: string
  /** How many rules carry it. */
  rules: number
}

export interface SearchResult {
  /** Rules matching the query and the facets. */
  total: number
  /** The best `limit` of them, best first. */
  hits: SearchHit[]
  facets: Record<FacetKey, FacetCount[]>
  indicators: ExactIndicator[]
}

/** Items of a list field that hold a term, for the snippet (the first items when none does). */
function listItems(s: LoadedSearch, r: number, field: SearchFieldName, terms: string[]): string[] {
  if (field !== "indicator") return (s.rawDocs[r]?.[field] ?? "").split("\n").filter(Boolean)
  // A rule can test thousands of values: only those holding a term are made into labels.
  const lowered = terms.map((t) => t.toLowerCase()).filter(Boolean)
  const all = s.data.rules[r]?.indicators ?? []
  const hit = all.filter((i) => lowered.some((t) => (s.indicatorValues[i] ?? "").includes(t)))
  return (hit.length > 0 ? hit : all.slice(0, 3)).flatMap((i) => {
    const ind = s.data.indicators[i]
    return ind ? [indicatorLabel(ind)] : []
  })
}

/** Shown items per filter match. */
const SHOWN = 3

function reasons(s: LoadedSearch, r: number, steps: Step[], terms: string[]): SearchReason[] {
  const byField = new Map<SearchFieldName, FieldMatch[]>()
  for (const step of steps) {
    const field = SEARCH_FIELDS[step.field[r] ?? -1]?.name
    const m = step.items?.get(r)
    if (field) byField.set(field, [...(byField.get(field) ?? []), ...(m && m.count > 0 ? [m] : [])])
  }
  return [...byField.entries()].map(([field, matches]) => {
    const label = FIELD.get(field)?.label ?? field
    if (field === "meta") return { field, label, snippet: { text: "", marks: [] } }
    // One filter's items all matched: the first few are shown, and how many more there are.
    const [only] = matches
    if (matches.length === 1 && only) return { field, label, snippet: listSnippet(only.items(SHOWN), terms, SHOWN, only.count) }
    if (matches.length > 1) return { field, label, snippet: listSnippet([...new Set(matches.flatMap((m) => m.items()))], terms, SHOWN) }
    if (LIST_FIELDS.has(field)) return { field, label, snippet: listSnippet(listItems(s, r, field, terms), terms, SHOWN) }
    return { field, label, snippet: textSnippet(s.rawDocs[r]?.[field] ?? "", terms) }
  })
}

function exactIndicators(s: LoadedSearch, query: string): ExactIndicator[] {
  const { filters, terms } = parseQuery(query)
  const only = filters.length === 1 && terms.length === 0 && filters[0]?.key === "indicator" ? filters[0].value : undefined
  const wanted = (only ?? (filters.length === 0 ? query.trim().replace(/^"|"$/g, "") : "")).toLowerCase()
  if (!wanted) return []
  const out: ExactIndicator[] = []
  for (const i of s.indicatorsByValue.get(wanted) ?? []) {
    const ind = s.data.indicators[i]
    if (ind) out.push({ field: ind[0], kind: ind[1], value: ind[2], rules: s.indicatorRules[i]?.length ?? 0 })
  }
  return out.sort((a, b) => b.rules - a.rules || COLLATOR.compare(a.field, b.field))
}

/** Bits of a sort key (under 2^53, so exact in a double): score, then rank, then name order. */
const NAME_BITS = 2 ** 17
const RANK_SPAN = 2 ** 18
const SCORE_MAX = 2 ** 16 - 1

/**
 * The best `limit` of `kept`, best first: higher score, then lower rank, then name order. Each
 * rule becomes one number ordered the same way (score and rank clamped to their bits, far beyond
 * what queries reach), so a broad query's thousands of rules sort as a typed array, with no
 * comparison callback.
 */
function best(s: LoadedSearch, kept: number[], score: Float64Array, rank: Float64Array, limit: number): number[] {
  if (s.nameOrder.length > NAME_BITS) {
    const before = (a: number, b: number) => (score[b] ?? 0) - (score[a] ?? 0) || (rank[a] ?? 0) - (rank[b] ?? 0) || (s.nameOrder[a] ?? 0) - (s.nameOrder[b] ?? 0)
    return [...kept].sort(before).slice(0, limit)
  }
  const keys = new Float64Array(kept.length)
  kept.forEach((r, i) => {
    const sc = SCORE_MAX - Math.max(0, Math.min(SCORE_MAX, score[r] ?? 0))
    const rk = Math.max(-RANK_SPAN, Math.min(RANK_SPAN - 1, Math.round(rank[r] ?? 0))) + RANK_SPAN
    keys[i] = (sc * 2 * RANK_SPAN + rk) * NAME_BITS + (s.nameOrder[r] ?? 0)
  })
  keys.sort()
  const out: number[] = []
  for (let i = 0; i < keys.length && i < limit; i++) out.push(s.byName[(keys[i] ?? 0) % NAME_BITS] ?? 0)
  return out
}

/** Runs a query: filters and terms must all match; facets narrow the result and are counted. */
export function runSearch(s: LoadedSearch, query: string, facets: FacetSelection = {}, limit = 50): SearchResult {
  const n = s.data.rules.length
  const { filters, terms } = parseQuery(query)
  const searchable = terms.filter((t) => /[\p{L}\p{N}]/u.test(t))
  // Filters first, then terms with the longest word first (the most selective), each term looked
  // up only among the rules every earlier step kept.
  const steps = filters.map((f) => filterStep(s, f))
  const longestWord = (t: string) => Math.max(0, ...t.split(/[^\p{L}\p{N}]+/u).map((w) => w.length))
  for (const term of [...searchable].sort((a, b) => longestWord(b) - longestWord(a))) {
    steps.push(termStep(s, term, steps.length > 0 ? keptByAll(steps, n) : undefined))
  }
  const markTerms = [...searchable, ...filters.filter((f) => f.key !== "type" && f.key !== "status").map((f) => f.value)]

  // A rule matches when every step kept it; walking the smallest step's rules is enough.
  const score = new Float64Array(n)
  const rank = new Float64Array(n)
  let matched: number[]
  if (steps.length === 0) matched = Array.from({ length: n }, (_, r) => r)
  else {
    const smallest = steps.reduce((a, b) => (b.ids.length < a.ids.length ? b : a))
    matched = smallest.ids.filter((r) => steps.every((st) => st.field[r] !== -1))
    for (const r of matched) {
      for (const st of steps) {
        score[r] = (score[r] ?? 0) + (st.score[r] ?? 0)
        rank[r] = (rank[r] ?? 0) + (st.rank[r] ?? 0)
      }
    }
  }

  const active = FACET_KEYS.filter((k) => (facets[k]?.length ?? 0) > 0)
  const selected = Object.fromEntries(
    FACET_KEYS.map((k) => [k, new Set((facets[k] ?? []).map((v) => s.facets[k].values.indexOf(v)).filter((i) => i >= 0))]),
  ) as Record<FacetKey, Set<number>>
  const counts = Object.fromEntries(FACET_KEYS.map((k) => [k, new Int32Array(s.facets[k].values.length)])) as Record<FacetKey, Int32Array>
  const kept: number[] = []
  for (const r of matched) {
    let failing: FacetKey | undefined
    let fails = 0
    for (const k of active) {
      if (!(s.facets[k].byRule[r] ?? []).some((v) => selected[k].has(v))) {
        failing = k
        fails++
      }
    }
    if (fails === 0) kept.push(r)
    if (fails > 1) continue
    // Disjunctive counts: a rule failing only facet K still counts under K, so K's other values
    // show what widening the choice would add.
    for (const k of FACET_KEYS) {
      if (failing !== undefined && failing !== k) continue
      const c = counts[k]
      for (const v of s.facets[k].byRule[r] ?? []) c[v] = (c[v] ?? 0) + 1
    }
  }
  const hits = best(s, kept, score, rank, limit).map((r): SearchHit => {
    const rule = s.data.rules[r] as SearchRule
    return {
      rule: r,
      name: rule.name,
      format: rule.format,
      slug: rule.slug,
      type: rule.type,
      status: rule.status,
      techniques: rule.techniques,
      score: score[r] ?? 0,
      reasons: reasons(s, r, steps, markTerms),
    }
  })
  const facetCounts = Object.fromEntries(
    FACET_KEYS.map((k) => {
      const list: FacetCount[] = []
      s.facets[k].values.forEach((value, i) => {
        const count = counts[k][i] ?? 0
        const isSelected = selected[k].has(i)
        if (count > 0 || isSelected) list.push({ value, count, selected: isSelected })
      })
      for (const v of facets[k] ?? []) if (!s.facets[k].values.includes(v)) list.push({ value: v, count: 0, selected: true })
      return [k, list.sort((a, b) => b.count - a.count || COLLATOR.compare(a.value, b.value))]
    }),
  ) as Record<FacetKey, FacetCount[]>
  return { total: kept.length, hits, facets: facetCounts, indicators: exactIndicators(s, query) }
}
