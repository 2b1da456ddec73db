/**
 * One step of a query: the rules a filter or a free-text term keeps, with a score, a rank and the
 * field that matched for each.
 *
 * Owns: term matching through FlexSearch (best field per rule, literal check for punctuation,
 * whole-word bonus, one-character terms on names only) and turning filter matches into steps.
 * Invariants: per-rule values live in arrays indexed by rule number (no allocation per rule);
 * `field` is -1 for rules the step does not keep. Pure.
 * Never imports: React, Next, Node built-ins.
 */
import { SEARCH_FIELDS, type SearchFieldName } from "./create-index.ts"
import { applyFilter } from "./filters.ts"
import type { LoadedSearch } from "./load-index.ts"
import type { QueryFilter } from "./query.ts"

const FIELD = new Map(SEARCH_FIELDS.map((f) => [f.name, f]))
const FIELD_CODE = new Map(SEARCH_FIELDS.map((f, i) => [f.name, i]))
/** Bonus when a term is a whole word of the field rather than a prefix. */
const WHOLE_WORD_BONUS = 5

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

/**
 * The rules one filter or term keeps. Per-rule values live in arrays indexed by rule number, so a
 * broad term (`p`, `windows`) costs no allocation per rule.
 */
export interface Step {
  /** Rules kept, each once. */
  ids: number[]
  score: Float64Array
  rank: Float64Array
  /** Index in SEARCH_FIELDS of the field that matched. */
  field: Int8Array
  /** Items behind a filter match (indicators, techniques…), for the snippet. */
  items?: Map<number, string[]>
}

function newStep(n: number): Step {
  return { ids: [], score: new Float64Array(n), rank: new Float64Array(n), field: new Int8Array(n).fill(-1) }
}

export function filterStep(s: LoadedSearch, f: QueryFilter): Step {
  const step = newStep(s.data.rules.length)
  step.items = new Map()
  for (const [r, match] of applyFilter(s, f)) {
    step.ids.push(r)
    step.score[r] = FIELD.get(match.field)?.weight ?? 0
    // Rules holding more of the filtered items (several wmic.exe indicators) rank first.
    step.rank[r] = -match.items.length
    step.field[r] = FIELD_CODE.get(match.field) ?? -1
    step.items.set(r, match.items)
  }
  return step
}

/** Rules matching one free-text term, each with its best field. */
export function termStep(s: LoadedSearch, term: string): Step {
  const step = newStep(s.data.rules.length)
  const lower = term.toLowerCase()
  const literal = /[^\p{L}\p{N}]/u.test(term)
  // One character is the first keystroke, not a question: it matches name prefixes only,
  // instead of every rule through every field.
  const fields = term.length < 2 ? { index: "name" as const } : {}
  for (const { field, result } of s.index.search(term, { limit: s.data.rules.length, ...fields })) {
    const name = field as SearchFieldName
    const code = FIELD_CODE.get(name) ?? -1
    const weight = FIELD.get(name)?.weight ?? 0
    for (let rank = 0; rank < result.length; rank++) {
      const r = Number(result[rank])
      // Fields come strongest first: most later matches cannot improve on the one kept.
      if (step.field[r] !== -1 && weight + WHOLE_WORD_BONUS < (step.score[r] ?? 0)) continue
      const text = s.docs[r]?.[name] ?? ""
      if (literal && !text.includes(lower)) continue
      const score = weight + (wholeWord(text, lower) ? WHOLE_WORD_BONUS : 0)
      if (step.field[r] === -1) step.ids.push(r)
      else if (score < (step.score[r] ?? 0) || (score === step.score[r] && rank >= (step.rank[r] ?? 0))) continue
      step.score[r] = score
      step.rank[r] = rank
      step.field[r] = code
    }
  }
  return step
}
