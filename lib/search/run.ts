/**
 * The search engine: a query string and a facet selection in, ranked rules with the reasons they
 * matched, facet counts and exact indicator matches out.
 *
 * Owns: combining filters and free-text terms (all must match), ranking (best field per term,
 * weights in SEARCH_FIELDS), disjunctive facet counts, and exact-indicator detection.
 * Invariants: pure and synchronous over a LoadedSearch; terms with punctuation (`winrs.exe`,
 * `-enc`) must occur literally in the field FlexSearch matched, since its tokens drop punctuation.
 * Never imports: React, Next, Node built-ins.
 */
import { SEARCH_FIELDS, type SearchFieldName } from "./create-index.ts"
import { applyFilter, indicatorLabel, type FieldMatch } from "./filters.ts"
import type { LoadedSearch } from "./load-index.ts"
import { FACET_KEYS, parseQuery, type FacetKey, type FacetSelection } from "./query.ts"
import type { SearchRule } from "./records.ts"
import { listSnippet, textSnippet, type Snippet } from "./snippet.ts"

const FIELD = new Map(SEARCH_FIELDS.map((f) => [f.name, f]))
/** Fields whose text is a list (one item a line): snippets show the matching items. */
const LIST_FIELDS = new Set<SearchFieldName>(["indicator", "technique", "tactic", "source", "field", "macro", "story"])
/** Bonus when a term is a whole word of the field rather than a prefix. */
const WHOLE_WORD_BONUS = 5

export interface SearchReason {
  field: SearchFieldName
  /** "name", "indicator", "technique", … */
  label: string
  snippet: Snippet
}

export interface SearchHit {
  /** Rule number in the payload. */
  rule: number
  id: string
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

interface RuleMatch {
  score: number
  rank: number
  matches: FieldMatch[]
  terms: string[]
}

function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false
  const code = c.charCodeAt(0)
  // ASCII letters and digits decide almost every case; anything else non-ASCII counts as a letter.
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code > 127
}

function wholeWord(text: string, term: string): boolean {
  const at = text.indexOf(term)
  return at >= 0 && !isWordChar(text[at - 1]) && !isWordChar(text[at + term.length])
}

/** A rule's match of one filter or term: its score, its rank in FlexSearch's order, why. */
interface Step {
  score: number
  rank: number
  match: FieldMatch
}

/** Rules matching one free-text term, each with its best field. */
function termMatches(s: LoadedSearch, term: string): Map<number, Step> {
  const out = new Map<number, Step>()
  const lower = term.toLowerCase()
  const literal = /[^\p{L}\p{N}]/u.test(term)
  const results = s.index.search(term, { limit: s.data.rules.length })
  for (const { field, result } of results) {
    const name = field as SearchFieldName
    const weight = FIELD.get(name)?.weight ?? 0
    result.forEach((id, rank) => {
      const r = Number(id)
      const text = s.docs[r]?.[name] ?? ""
      if (literal && !text.includes(lower)) return
      const score = weight + (wholeWord(text, lower) ? WHOLE_WORD_BONUS : 0)
      const best = out.get(r)
      if (!best || score > best.score || (score === best.score && rank < best.rank)) out.set(r, { score, rank, match: { field: name, items: [] } })
    })
  }
  return out
}

/** Items of a list field that hold a term, for the snippet. */
function listItems(s: LoadedSearch, r: number, field: SearchFieldName): string[] {
  if (field === "indicator") return (s.data.rules[r]?.indicators ?? []).flatMap((i) => { const ind = s.data.indicators[i]; return ind ? [indicatorLabel(ind)] : [] })
  return (s.rawDocs[r]?.[field] ?? "").split("\n").filter(Boolean)
}

function reasons(s: LoadedSearch, r: number, m: RuleMatch): SearchReason[] {
  const byField = new Map<SearchFieldName, string[]>()
  for (const fm of m.matches) byField.set(fm.field, [...(byField.get(fm.field) ?? []), ...fm.items])
  return [...byField.entries()].map(([field, items]) => {
    const label = FIELD.get(field)?.label ?? field
    if (field === "meta") return { field, label, snippet: { text: "", marks: [] } }
    if (items.length > 0) return { field, label, snippet: listSnippet([...new Set(items)], m.terms) }
    if (LIST_FIELDS.has(field)) return { field, label, snippet: listSnippet(listItems(s, r, field), m.terms) }
    return { field, label, snippet: textSnippet(s.rawDocs[r]?.[field] ?? "", m.terms) }
  })
}

function facetValues(rule: SearchRule, key: FacetKey): string[] {
  switch (key) {
    case "tactic":
      return rule.tactics
    case "source":
      return rule.dataSources
    default:
      return rule[key] ? [rule[key]] : []
  }
}

function exactIndicators(s: LoadedSearch, query: string): ExactIndicator[] {
  const { filters, terms } = parseQuery(query)
  const only = filters.length === 1 && terms.length === 0 && filters[0]?.key === "indicator" ? filters[0].value : undefined
  const wanted = (only ?? (filters.length === 0 ? query.trim().replace(/^"|"$/g, "") : "")).toLowerCase()
  if (!wanted) return []
  const out: ExactIndicator[] = []
  s.indicatorValues.forEach((v, i) => {
    const ind = s.data.indicators[i]
    if (v === wanted && ind) out.push({ field: ind[0], kind: ind[1], value: ind[2], rules: s.indicatorRules[i]?.length ?? 0 })
  })
  return out.sort((a, b) => b.rules - a.rules || a.field.localeCompare(b.field))
}

/** Runs a query: filters and terms must all match; facets narrow the result and are counted. */
export function runSearch(s: LoadedSearch, query: string, facets: FacetSelection = {}, limit = 50): SearchResult {
  const { filters, terms } = parseQuery(query)
  const searchable = terms.filter((t) => /[\p{L}\p{N}]/u.test(t))
  let matched: Map<number, RuleMatch> | undefined
  const narrow = (next: Map<number, Step>) => {
    if (!matched) {
      matched = new Map()
      for (const [r, n] of next) matched.set(r, { score: n.score, rank: n.rank, matches: [n.match], terms: [] })
      return
    }
    for (const [r, m] of matched) {
      const n = next.get(r)
      if (!n) {
        matched.delete(r)
        continue
      }
      m.score += n.score
      m.rank += n.rank
      m.matches.push(n.match)
    }
  }
  for (const f of filters) {
    const hits = new Map<number, Step>()
    // Rules holding more of the filtered items (several wmic.exe indicators) rank first.
    for (const [r, match] of applyFilter(s, f)) hits.set(r, { score: FIELD.get(match.field)?.weight ?? 0, rank: -match.items.length, match })
    narrow(hits)
  }
  for (const term of searchable) {
    narrow(termMatches(s, term))
  }
  const terms4marks = [...searchable, ...filters.filter((f) => f.key !== "type" && f.key !== "status").map((f) => f.value)]
  const all = matched ?? new Map(s.data.rules.map((_, r) => [r, { score: 0, rank: 0, matches: [], terms: [] } as RuleMatch]))

  const active = FACET_KEYS.filter((k) => (facets[k]?.length ?? 0) > 0)
  const counts = Object.fromEntries(FACET_KEYS.map((k) => [k, new Map<string, number>()])) as Record<FacetKey, Map<string, number>>
  const kept: Array<[number, RuleMatch]> = []
  for (const [r, m] of all) {
    const rule = s.data.rules[r]
    if (!rule) continue
    const failing = active.length === 0 ? active : active.filter((k) => !facetValues(rule, k).some((v) => facets[k]?.includes(v)))
    if (failing.length === 0) kept.push([r, m])
    if (failing.length > 1) continue
    for (const k of FACET_KEYS) {
      if (failing.length === 1 && failing[0] !== k) continue
      for (const v of facetValues(rule, k)) counts[k].set(v, (counts[k].get(v) ?? 0) + 1)
    }
  }
  kept.sort(([ra, a], [rb, b]) => b.score - a.score || a.rank - b.rank || (s.nameOrder[ra] ?? 0) - (s.nameOrder[rb] ?? 0))

  const hits = kept.slice(0, limit).map(([r, m]): SearchHit => {
    const rule = s.data.rules[r] as SearchRule
    return {
      rule: r,
      id: rule.id,
      name: rule.name,
      format: rule.format,
      slug: rule.slug,
      type: rule.type,
      status: rule.status,
      techniques: rule.techniques,
      score: m.score,
      reasons: reasons(s, r, { ...m, terms: terms4marks }),
    }
  })
  const facetCounts = Object.fromEntries(
    FACET_KEYS.map((k) => {
      const list = [...counts[k]].map(([value, count]) => ({ value, count, selected: facets[k]?.includes(value) ?? false }))
      for (const v of facets[k] ?? []) if (!counts[k].has(v)) list.push({ value: v, count: 0, selected: true })
      return [k, list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))]
    }),
  ) as Record<FacetKey, FacetCount[]>
  return { total: kept.length, hits, facets: facetCounts, indicators: exactIndicators(s, query) }
}
