/**
 * The search engine: a query string and a facet selection in, ranked rules with the reasons they
 * matched, facet counts and exact indicator matches out.
 *
 * Owns: combining the steps of a query (steps.ts; all must match, or for a pasted command line
 * most), the typo fallback, ranking (score, then rank, then name), the reasons and snippets of the hits shown, disjunctive facet counts, and
 * exact-indicator detection.
 * Invariants: pure and synchronous over a LoadedSearch; only the hits returned get snippets.
 * Never imports: React, Next, Node built-ins.
 */
import { SEARCH_FIELDS, type SearchFieldName } from "./fields.ts"
import { indicatorLabel, type FieldMatch } from "./filters.ts"
import { docOf, type LoadedSearch } from "./load-index.ts"
import { FACET_KEYS, parseQuery, type FacetKey, type FacetSelection, type QueryFilter } from "./query.ts"
import type { SearchRule } from "./records.ts"
import { listSnippet, textSnippet, type Snippet } from "./snippet.ts"
import { filterStep, keptByAll, termStep, type Step } from "./steps.ts"
import { FUZZY_MIN, oneEditNeighbours } from "./term-index.ts"

const FIELD = new Map(SEARCH_FIELDS.map((f) => [f.name, f]))
/** localeCompare's order, without its set-up on every call. */
const COLLATOR = new Intl.Collator()

/**
 * Queries the worker runs once after loading, one a task: the engine's first runs are several
 * times slower than later ones (JIT), and these exercise every path (terms, literal terms,
 * filters, facets) while the user is still typing.
 */
export const WARM_UP_QUERIES = [
  "process",
  "windows powershell",
  "-e",
  "indicator:.exe",
  "technique:T1059",
  "source:sysmon type:ttp",
]
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
  /** The query searched instead of the one typed, which matched nothing (misspelt words corrected). */
  corrected?: string
  /** True when the query was taken as a pasted command line (rules ranked by terms hit). */
  command: boolean
}

/** Items of a list field that hold a term, for the snippet (the first items when none does). */
function listItems(s: LoadedSearch, r: number, field: SearchFieldName, terms: string[]): string[] {
  if (field !== "indicator") return docOf(s, r).raw[field].split("\n").filter(Boolean)
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
    const f = step.filter
    const count = f?.counts?.[r] ?? 0
    const m: FieldMatch | undefined =
      f && count > 0 ? { field: f.field, count, items: (limit) => f.items(r, limit) } : undefined
    if (field) byField.set(field, [...(byField.get(field) ?? []), ...(m ? [m] : [])])
  }
  return [...byField.entries()].map(([field, matches]) => {
    const label = FIELD.get(field)?.label ?? field
    if (field === "meta") return { field, label, snippet: { text: "", marks: [] } }
    // One filter's items all matched: the first few are shown, and how many more there are.
    const [only] = matches
    if (matches.length === 1 && only)
      return { field, label, snippet: listSnippet(only.items(SHOWN), terms, SHOWN, only.count) }
    if (matches.length > 1)
      return { field, label, snippet: listSnippet([...new Set(matches.flatMap((m) => m.items()))], terms, SHOWN) }
    if (LIST_FIELDS.has(field))
      return { field, label, snippet: listSnippet(listItems(s, r, field, terms), terms, SHOWN) }
    return { field, label, snippet: textSnippet(docOf(s, r).raw[field], terms) }
  })
}

function exactIndicators(s: LoadedSearch, query: string): ExactIndicator[] {
  const { filters, terms } = parseQuery(query)
  const only =
    filters.length === 1 && terms.length === 0 && filters[0]?.key === "indicator" ? filters[0].value : undefined
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
    const before = (a: number, b: number) =>
      (score[b] ?? 0) - (score[a] ?? 0) ||
      (rank[a] ?? 0) - (rank[b] ?? 0) ||
      (s.nameOrder[a] ?? 0) - (s.nameOrder[b] ?? 0)
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

/** A query of this many free-text terms or more is a pasted command line: rules rank by terms hit. */
export const COMMAND_TERMS = 4
/** Terms a rule must hit to be listed for a command line (fewer when the line has fewer usable terms). */
const COMMAND_MIN_HITS = 2
/** Score per term hit in a command line: a rule hitting more terms always ranks first. */
const HIT_WEIGHT = 1000

/**
 * A command-line token as a term: option switches lose their leading `-`, `/` or dash, since
 * rules write them in any of those forms (Sigma's windash) or without one; tokens left with
 * under two characters (`-f`) say too little to count.
 */
function commandTerm(token: string): string | undefined {
  const t = token.replace(/^[-/\u2013\u2014\u2015]+(?=[\p{L}\p{N}])/u, "")
  return t.length >= 2 && /[\p{L}\p{N}]/u.test(t) ? t : undefined
}

/**
 * Runs a query: filters must all match; terms must all match, except in a pasted command line
 * (COMMAND_TERMS or more terms), where rules rank by how many terms they hit. A query of terms
 * only that matches nothing is retried with its misspelt words corrected (`corrected` says how).
 */
export function runSearch(s: LoadedSearch, query: string, facets: FacetSelection = {}, limit = 50): SearchResult {
  const parsed = parseQuery(query)
  const result = runParsed(s, query, parsed.filters, parsed.terms, facets, limit)
  if (result.total > 0 || parsed.terms.length === 0) return result
  const fixed = correctTerms(s, parsed.terms)
  if (!fixed) return result
  const corrected = query
    .split(/(\s+)/)
    .map((part) => fixed.get(part) ?? part)
    .join("")
  const retry = runParsed(s, query, parsed.filters, [...parsed.terms.map((t) => fixed.get(t) ?? t)], facets, limit)
  return retry.total > 0 ? { ...retry, corrected } : result
}

/**
 * Typo fallback: each word-only term that matches nothing on its own, replaced by the dictionary
 * word one edit away that matches most rules. Undefined when no term could be corrected.
 */
function correctTerms(s: LoadedSearch, terms: string[]): Map<string, string> | undefined {
  const out = new Map<string, string>()
  for (const term of terms) {
    const word = term.toLowerCase()
    if (!/^[\p{L}\p{N}]+$/u.test(word) || word.length < FUZZY_MIN || termStep(s, term).ids.length > 0) continue
    // A word at least as long as the one typed first (`kerberost` is `kerberoast` half-typed
    // more likely than `kerberos` with a stray letter), then the one matching most rules.
    let best: { word: string; key: number } | undefined
    for (const w of oneEditNeighbours(s.terms, word)) {
      const key = (w.length >= word.length ? 1e6 : 0) + termStep(s, w).ids.length
      if (key > (best?.key ?? 0) || (key === best?.key && w < best.word)) best = { word: w, key }
    }
    if (best) out.set(term, best.word)
  }
  return out.size > 0 ? out : undefined
}

function runParsed(
  s: LoadedSearch,
  query: string,
  filters: QueryFilter[],
  terms: string[],
  facets: FacetSelection,
  limit: number,
): SearchResult {
  const n = s.data.rules.length
  const command = terms.length >= COMMAND_TERMS
  const searchable = command ? terms.flatMap((t) => commandTerm(t) ?? []) : terms.filter((t) => /[\p{L}\p{N}]/u.test(t))
  // Filters first, then terms with the longest word first (the most selective), each term looked
  // up only among the rules every earlier step kept; a command line's terms each among all rules.
  const steps = filters.map((f) => filterStep(s, f))
  const filterSteps = steps.length
  const longestWord = (t: string) => Math.max(0, ...t.split(/[^\p{L}\p{N}]+/u).map((w) => w.length))
  for (const term of [...searchable].sort((a, b) => longestWord(b) - longestWord(a))) {
    const alive = command
      ? filterSteps > 0
        ? keptByAll(steps.slice(0, filterSteps), n)
        : undefined
      : steps.length > 0
        ? keptByAll(steps, n)
        : undefined
    steps.push(termStep(s, term, alive))
  }
  const markTerms = [
    ...searchable,
    ...filters.filter((f) => f.key !== "type" && f.key !== "status").map((f) => f.value),
  ]

  const score = new Float64Array(n)
  const rank = new Float64Array(n)
  let matched: number[]
  if (steps.length === 0) matched = Array.from({ length: n }, (_, r) => r)
  else if (command) {
    // Rules hitting enough of the line's terms (and every filter), more hits first.
    const termSteps = steps.slice(filterSteps)
    const need = Math.min(COMMAND_MIN_HITS, termSteps.length)
    const hits = new Int32Array(n)
    for (const st of termSteps) for (const r of st.ids) hits[r] = (hits[r] ?? 0) + 1
    const pool =
      filterSteps > 0 ? keptByAll(steps.slice(0, filterSteps), n).ids : Array.from({ length: n }, (_, r) => r)
    matched = pool.filter((r) => (hits[r] ?? 0) >= need)
    for (const r of matched) {
      score[r] = (hits[r] ?? 0) * HIT_WEIGHT
      for (const st of steps) {
        if (st.field[r] === -1) continue
        score[r] = (score[r] ?? 0) + (st.score[r] ?? 0)
        rank[r] = (rank[r] ?? 0) + (st.rank[r] ?? 0)
      }
    }
  } else {
    // A rule matches when every step kept it; walking the smallest step's rules is enough.
    const smallest = steps.reduce((a, b) => (b.ids.length < a.ids.length ? b : a))
    matched = smallest.ids.filter((r) => steps.every((st) => st.field[r] !== -1))
    for (const r of matched) {
      for (const st of steps) {
        score[r] = (score[r] ?? 0) + (st.score[r] ?? 0)
        rank[r] = (rank[r] ?? 0) + (st.rank[r] ?? 0)
      }
    }
  }

  // Facets as runs of numbers (load-index.ts FacetRuns): this loop runs for every matched rule.
  const F = FACET_KEYS.length
  const { base, at, values: runs } = s.facetRuns
  const counts = new Int32Array(base[F] ?? 0)
  const chosen = new Uint8Array(base[F] ?? 0)
  const selected = FACET_KEYS.map((k, f) => {
    const set = new Set((facets[k] ?? []).map((v) => s.facets[k].values.indexOf(v)).filter((i) => i >= 0))
    for (const v of set) chosen[(base[f] ?? 0) + v] = 1
    return set
  })
  const active = FACET_KEYS.flatMap((k, f) => ((facets[k]?.length ?? 0) > 0 ? [f] : []))
  let kept: number[] = []
  if (active.length === 0) {
    kept = matched
    for (const r of matched) {
      const to = at[r * F + F] ?? 0
      for (let j = at[r * F] ?? 0; j < to; j++) {
        const v = runs[j] ?? 0
        counts[v] = (counts[v] ?? 0) + 1
      }
    }
  } else {
    for (const r of matched) {
      let failing = -1
      let fails = 0
      for (const f of active) {
        let passes = false
        const to = at[r * F + f + 1] ?? 0
        for (let j = at[r * F + f] ?? 0; j < to && !passes; j++) passes = chosen[runs[j] ?? 0] === 1
        if (!passes) {
          failing = f
          fails++
        }
      }
      if (fails === 0) kept.push(r)
      if (fails > 1) continue
      // Disjunctive counts: a rule failing only facet K still counts under K, so K's other values
      // show what widening the choice would add.
      const from = at[r * F + (failing === -1 ? 0 : failing)] ?? 0
      const to = at[r * F + (failing === -1 ? F : failing + 1)] ?? 0
      for (let j = from; j < to; j++) {
        const v = runs[j] ?? 0
        counts[v] = (counts[v] ?? 0) + 1
      }
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
    FACET_KEYS.map((k, f) => {
      // Counted values by count, then alphabetically (the order the table precomputed).
      const { values, order } = s.facets[k]
      const from = base[f] ?? 0
      const sel = selected[f] as Set<number>
      const count = (i: number) => counts[from + i] ?? 0
      const shown: number[] = []
      values.forEach((_, i) => {
        if (count(i) > 0 || sel.has(i)) shown.push(i)
      })
      shown.sort((a, b) => count(b) - count(a) || (order[a] ?? 0) - (order[b] ?? 0))
      const list: FacetCount[] = shown.map((i) => ({
        value: values[i] ?? "",
        count: count(i),
        selected: sel.has(i),
      }))
      // Selected values the catalog does not have (from a shared URL) stay listed, with no rules.
      const unknown = (facets[k] ?? []).filter((v) => !values.includes(v)).sort(COLLATOR.compare)
      for (const v of unknown) list.push({ value: v, count: 0, selected: true })
      return [k, list]
    }),
  ) as Record<FacetKey, FacetCount[]>
  return { total: kept.length, hits, facets: facetCounts, indicators: exactIndicators(s, query), command }
}
