/**
 * One step of a query: the rules a filter or a free-text term keeps, with a score, a rank and the
 * field that matched for each.
 *
 * Owns: term matching (a term matches where it starts a word of a field, or anywhere when it
 * starts with punctuation; candidates from the word index, then checked in the text; best field
 * per rule, earliest position first, whole-word bonus, one-character terms on names only, ids
 * from their start only) and turning filter matches into steps.
 * Invariants: per-rule values live in arrays indexed by rule number (no allocation per rule);
 * `field` is -1 for rules the step does not keep. Pure.
 * Never imports: React, Next, Node built-ins.
 */
import { foldText, SEARCH_FIELDS, type SearchFieldName } from "./fields.ts"
import { applyFilter, type FieldMatch } from "./filters.ts"
import { FIELD_SLOTS, ID_TERM_MIN, WORD, type LoadedSearch } from "./load-index.ts"
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
  items?: Map<number, FieldMatch>
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
    step.rank[r] = -match.count
    step.field[r] = FIELD_CODE.get(match.field) ?? -1
    step.items.set(r, match)
  }
  return step
}

/** First position of a word in `words` (sorted) at or after `prefix`. */
function lowerBound(words: string[], prefix: string): number {
  let lo = 0
  let hi = words.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((words[mid] ?? "") < prefix) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Where term `t` (folded) best matches `text` (folded): the earliest whole-word occurrence, else
 * the earliest; -1 when it does not start a word anywhere (or occur at all, when it starts with
 * punctuation). Returns offset * 2 + 1 for a whole word, offset * 2 otherwise.
 */
function bestMatch(text: string, t: string, atWordStart: boolean, endsInWord: boolean): number {
  let best = -1
  for (let at = text.indexOf(t); at !== -1; at = text.indexOf(t, at + 1)) {
    if (atWordStart && isWordChar(text[at - 1])) continue
    if (!endsInWord || !isWordChar(text[at + t.length])) return at * 2 + 1
    if (best === -1) best = at * 2
  }
  return best
}

/** The rules still in play: every earlier step of the query kept them. */
export interface Alive {
  ids: number[]
  mask: Uint8Array
}

/** The rules every step keeps. */
export function keptByAll(steps: Step[], n: number): Alive {
  const smallest = steps.reduce((a, b) => (b.ids.length < a.ids.length ? b : a))
  const ids = smallest.ids.filter((r) => steps.every((st) => st.field[r] !== -1))
  const mask = new Uint8Array(n)
  for (const r of ids) mask[r] = 1
  return { ids, mask }
}

/**
 * Rules matching one free-text term, each with its best field; only among `alive` when given
 * (the query needs every step to match, so other rules cannot be hits).
 */
export function termStep(s: LoadedSearch, term: string, alive?: Alive): Step {
  const n = s.data.rules.length
  const step = newStep(n)
  const t = foldText(term)
  const tokens = t.match(WORD)
  if (!tokens) return step
  const atWordStart = isWordChar(t[0])
  const endsInWord = isWordChar(t[t.length - 1])
  /** Keeps field `code` of rule `r` if it is the rule's best so far; `known` is bestMatch's answer when known. */
  const consider = (r: number, code: number, name: SearchFieldName, known?: number) => {
    const weight = SEARCH_FIELDS[code]?.weight ?? 0
    // A weaker field cannot improve on a stronger one already kept.
    if (step.field[r] !== -1 && weight + WHOLE_WORD_BONUS < (step.score[r] ?? 0)) return
    const m = known ?? bestMatch(s.folded[r]?.[name] ?? "", t, atWordStart, endsInWord)
    if (m === -1 || (name === "id" && m > 1)) return
    const score = weight + (m & 1 ? WHOLE_WORD_BONUS : 0)
    const offset = m >> 1
    if (step.field[r] === -1) step.ids.push(r)
    else {
      // Ties go to the earlier position, then to the stronger field, whatever order candidates come in.
      const rank = step.rank[r] ?? 0
      if (score < (step.score[r] ?? 0) || (score === step.score[r] && (offset > rank || (offset === rank && code >= (step.field[r] ?? 0))))) return
    }
    step.score[r] = score
    // Earlier in the field ranks first (a name starting with the term before one ending with it).
    step.rank[r] = offset
    step.field[r] = code
  }
  // One character is the first keystroke, not a question: it matches names only, instead of
  // every rule through every field.
  const rules = alive?.ids ?? Array.from({ length: n }, (_, r) => r)
  if (term.length < 2) {
    for (const r of rules) consider(r, 0, "name")
    return step
  }
  // Every word of the term starts a word of a matching text: the longest gives the fewest candidates.
  const key = tokens.reduce((a, b) => (b.length > a.length ? b : a))
  const { words, offsets, entries } = s.words
  const from = lowerBound(words, key)
  const to = lowerBound(words, `${key}\uffff`)
  if (alive && alive.ids.length * SEARCH_FIELDS.length < (offsets[to] ?? 0) - (offsets[from] ?? 0)) {
    // Few rules left and a short word (`/c`): checking them is cheaper than the word's postings.
    for (const r of alive.ids) SEARCH_FIELDS.forEach((f, code) => f.name !== "id" && consider(r, code, f.name))
  } else {
    // A term that is one word needs no look at the text: the index word says whole word or
    // prefix, and the word sorting first is the term itself. Only names rank by position.
    const oneWord = tokens.length === 1 && key === t
    const seen = new Uint8Array(n * FIELD_SLOTS)
    for (let w = from; w < to; w++) {
      const known = oneWord ? (words[w] === key ? 1 : 0) : undefined
      for (let e = offsets[w] ?? 0, end = offsets[w + 1] ?? 0; e < end; e++) {
        const posting = entries[e] ?? 0
        if (seen[posting]) continue
        seen[posting] = 1
        const code = posting % FIELD_SLOTS
        const r = (posting - code) / FIELD_SLOTS
        if (alive && !alive.mask[r]) continue
        consider(r, code, SEARCH_FIELDS[code]?.name ?? "name", code === 0 ? undefined : known)
      }
    }
  }
  // Ids are not in the word index: they match from their start only, on long enough terms.
  const idCode = SEARCH_FIELDS.findIndex((f) => f.name === "id")
  if (s.hasIds && t.length >= ID_TERM_MIN) for (const r of rules) consider(r, idCode, "id")
  return step
}
