/**
 * One step of a query: the rules a filter or a free-text term keeps, with a score, a rank and the
 * field that matched for each.
 *
 * Owns: term matching (a term matches where it starts a word of a field, or anywhere when it
 * starts with punctuation; candidates from the term index (term-index.ts), then checked in the
 * text where the term has punctuation; best field
 * per rule, earliest position first, whole-word bonus, one-character terms on names only, ids
 * from their start only) and turning filter matches into steps.
 * Invariants: per-rule values live in arrays indexed by rule number (no allocation per rule);
 * `field` is -1 for rules the step does not keep. Pure.
 * Never imports: React, Next, Node built-ins.
 */
import { foldText, SEARCH_FIELDS, type SearchFieldName } from "./fields.ts"
import { applyFilter, type FilterMatch } from "./filters.ts"
import { docOf, ID_TERM_MIN, type LoadedSearch } from "./load-index.ts"
import type { QueryFilter } from "./query.ts"
import { prefixLookup, WORD } from "./term-index.ts"

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
  /** The filter behind the step: the items that matched (indicators, techniques…), for the snippet. */
  filter?: FilterMatch
}

function newStep(n: number): Step {
  return { ids: [], score: new Float64Array(n), rank: new Float64Array(n), field: new Int8Array(n).fill(-1) }
}

export function filterStep(s: LoadedSearch, f: QueryFilter): Step {
  const step = newStep(s.data.rules.length)
  const match = applyFilter(s, f)
  const weight = FIELD.get(match.field)?.weight ?? 0
  const code = FIELD_CODE.get(match.field) ?? -1
  const counts = match.counts
  step.ids = match.ids
  step.filter = match
  for (const r of match.ids) {
    step.score[r] = weight
    // Rules holding more of the filtered items (several wmic.exe indicators) rank first.
    step.rank[r] = counts ? -(counts[r] ?? 0) : -0
    step.field[r] = code
  }
  return step
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
 * Scratch arrays of marks, one per use and size, reused by every query: a mark is the number of
 * the pass that set it (`generation`), so nothing is cleared between passes.
 */
let generation = 0
const scratch = new WeakMap<object, Map<string, Int32Array>>()

function marks(owner: object, use: string, size: number): Int32Array {
  let byUse = scratch.get(owner)
  if (!byUse) scratch.set(owner, (byUse = new Map()))
  let m = byUse.get(use)
  if (!m || m.length < size) byUse.set(use, (m = new Int32Array(size)))
  return m
}

/** Below this many rules still in play (or below the words to look up), their texts are checked directly. */
const FEW_ALIVE = 64

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
  /** Keeps field `code` for rule `r` with bestMatch's answer `m` if it is the rule's best so far. */
  const consider = (r: number, code: number, m: number) => {
    if (m === -1) return
    const score = (SEARCH_FIELDS[code]?.weight ?? 0) + (m & 1 ? WHOLE_WORD_BONUS : 0)
    // Only names rank by position: a name starting with the term before one ending with it.
    const offset = code === 0 ? m >> 1 : 0
    if (step.field[r] === -1) step.ids.push(r)
    else {
      // Ties go to the earlier position, then to the stronger field, whatever order candidates come in.
      const rank = step.rank[r] ?? 0
      if (
        score < (step.score[r] ?? 0) ||
        (score === step.score[r] && (offset > rank || (offset === rank && code >= (step.field[r] ?? 0))))
      )
        return
    }
    step.score[r] = score
    step.rank[r] = offset
    step.field[r] = code
  }
  const check = (r: number, code: number, name: SearchFieldName) => {
    // A weaker field cannot improve on a stronger one already kept.
    if (step.field[r] !== -1 && (SEARCH_FIELDS[code]?.weight ?? 0) + WHOLE_WORD_BONUS < (step.score[r] ?? 0)) return
    const m = bestMatch(docOf(s, r).folded[name], t, atWordStart, endsInWord)
    if (name === "id" && m > 1) return
    consider(r, code, m)
  }
  // One character is the first keystroke, not a question: it matches names only, instead of
  // every rule through every field.
  const eachRule = (f: (r: number) => void) => {
    if (alive) for (const r of alive.ids) f(r)
    else for (let r = 0; r < n; r++) f(r)
  }
  if (term.length < 2) {
    eachRule((r) => check(r, 0, "name"))
    return step
  }
  // Every word of the term starts a word of a matching text: the longest gives the fewest
  // candidates, each dictionary word starting with it one FlexSearch lookup.
  const key = tokens.reduce((a, b) => (b.length > a.length ? b : a))
  const lookups = s.terms.sources.map((src) => prefixLookup(src, key))
  const count = lookups.reduce((a, l) => a + l.words.length, 0)
  if (alive && alive.ids.length < Math.max(FEW_ALIVE, count)) {
    // Few rules left and a short word (`/c` after `cmd.exe`): checking their texts is cheaper.
    for (const r of alive.ids) SEARCH_FIELDS.forEach((f, code) => f.name !== "id" && check(r, code, f.name))
  } else {
    // A term that is one word needs no look at the text (names aside, which rank by position):
    // the dictionary word says whole word or prefix, and the term itself sorts first, so an
    // entry is first met through its best word.
    const oneWord = tokens.length === 1 && key === t
    const ruleMarks = marks(s.terms, "rules", n)
    s.terms.sources.forEach((src, i) => {
      const code = FIELD_CODE.get(src.field) ?? 0
      // Entries met before through another word of this source, and (for a one-word term
      // outside names) rules this source already kept: every entry of a source then scores the
      // same for the same word, whole words come first, so a rule met again gains nothing.
      const mark = ++generation
      const entryMarks = marks(src, "entries", src.texts.length)
      const once = oneWord && code !== 0
      const lookup = lookups[i]
      for (const word of lookup?.words ?? []) {
        for (const e of lookup?.entries(word) ?? []) {
          if (entryMarks[e] === mark) continue
          entryMarks[e] = mark
          const m =
            code === 0 || !oneWord ? bestMatch(src.texts[e] ?? "", t, atWordStart, endsInWord) : word === key ? 1 : 0
          if (m === -1) continue
          if (!src.rules) {
            if (!alive || alive.mask[e]) consider(e, code, m)
            continue
          }
          for (const r of src.rules[e] ?? []) {
            if (once) {
              if (ruleMarks[r] === mark) continue
              ruleMarks[r] = mark
            }
            if (!alive || alive.mask[r]) consider(r, code, m)
          }
        }
      }
    })
  }
  // Ids are not in the term index: they match from their start only, on long enough terms.
  const idCode = FIELD_CODE.get("id") ?? -1
  if ((s.hasIds || s.inlineIds) && t.length >= ID_TERM_MIN) eachRule((r) => check(r, idCode, "id"))
  return step
}
