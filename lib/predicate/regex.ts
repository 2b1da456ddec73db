/**
 * Safe compilation of rule regular expressions (PCRE as written in SPL/Sigma) with re2js.
 *
 * Owns: PCRE → RE2 compatibility, and the explanation when a pattern cannot be supported.
 *
 * Invariants:
 * - Every pattern from a rule runs on re2js (linear time), so no user input can cause
 *   catastrophic backtracking; there is no fallback to the native RegExp engine.
 * - Never throws: an unsupported feature (lookahead, backreference, atomic group...) yields
 *   `{ ok: false, reason }` so the caller can flag the leaf instead of crashing.
 * - Matching is unanchored (PCRE `find` semantics); case-sensitive unless the pattern says `(?i)`.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { RE2JS } from "re2js"

import { gramsOf, indexFrom, lowerGramsOf, needle, type LongValue, type Needle } from "./grams.ts"

/** `long`, given for long values only (see grams.ts), lets the test rule the value out without running the regex. */
export type RegexCompileResult =
  { ok: true; test: (value: string, long?: LongValue) => boolean } | { ok: false; reason: string }

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/\(\?[=!]/, "lookahead assertions are not supported by the linear-time regex engine"],
  [/\\[1-9]/, "backreferences are not supported by the linear-time regex engine"],
  [/\(\?>/, "atomic groups are not supported by the linear-time regex engine"],
  [/[*+?}]\+/, "possessive quantifiers are not supported by the linear-time regex engine"],
  [/\(\?[a-zA-Z]*[xX]/, "extended mode (?x) is not supported"],
]

/** Rewrite PCRE spellings that RE2 spells differently. */
function toRe2(pattern: string): string {
  // PCRE `\Z` (end, before a final newline) has no RE2 twin; `\z` is the closest safe reading.
  // `.*.*` means `.*` but multiplies re2js states: a Sigma value with a thousand `*` became a
  // thousand `.*` and took over a second per event (found by the fuzzer).
  return pattern.replace(/(^|[^\\])((?:\\\\)*)\\Z/g, "$1$2\\z").replace(/(?<!\\)(?:\.\*){2,}/g, ".*")
}

/**
 * Compiled patterns by source. Bounded because a long-lived process (the fuzzer, a watch build)
 * compiles patterns without end, and each holds a re2js program; both corpora together hold 331
 * distinct patterns, so the bound never evicts in a catalog build. Oldest first out.
 */
const cache = new Map<string, RegexCompileResult>()
export const REGEX_CACHE_SIZE = 4_096

export function compileRegex(pattern: string): RegexCompileResult {
  const hit = cache.get(pattern)
  if (hit) return hit
  const result = compileUncached(pattern)
  if (cache.size >= REGEX_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  cache.set(pattern, result)
  return result
}

/** How many compiled patterns the cache holds (for tests). */
export const regexCacheSize = (): number => cache.size

/**
 * Cost caps. re2js runs in time linear in the value but proportional to the compiled program, and
 * counted repetitions unroll into it: `(a|b|…){1000}` took over a second on a 10 KB value. The
 * security_content corpus peaks at 219 characters and a repetition total of 264, the Sigma corpus
 * at 1,000 (`.{1000,}`, a command-line length test) (2026-11).
 */
export const MAX_REGEX_LENGTH = 5_000
export const MAX_REGEX_REPEAT_TOTAL = 2_000

/** Sum of the largest count of every `{n}`, `{n,}` and `{n,m}` quantifier. */
function repeatTotal(pattern: string): number {
  let total = 0
  for (const m of pattern.matchAll(/(?<!\\)\{(\d+)(?:,(\d*))?\}/g)) total += Math.max(Number(m[1]), Number(m[2] || 0))
  return total
}

function compileUncached(pattern: string): RegexCompileResult {
  if (pattern.length > MAX_REGEX_LENGTH)
    return { ok: false, reason: `regex longer than ${MAX_REGEX_LENGTH} characters` }
  if (repeatTotal(pattern) > MAX_REGEX_REPEAT_TOTAL)
    return {
      ok: false,
      reason: `counted repetitions add up to more than ${MAX_REGEX_REPEAT_TOTAL}: too costly for the linear-time regex engine`,
    }
  try {
    const re = RE2JS.compile(toRe2(pattern), RE2JS.LOOKBEHINDS)
    const literals = requiredLiterals(pattern)
    if (literals.length === 0) return { ok: true, test: (v) => re.test(v) }
    const folded = literals.some((l) => l.folded)
    // A value lacking a required literal cannot match: found by indexOf (or through a long
    // value's index), far cheaper than running the program over it.
    const short = (v: string): boolean => {
      const lower = folded ? v.toLowerCase() : v
      for (const l of literals) if (!(l.folded ? lower : v).includes(l.needle.text)) return false
      return true
    }
    return {
      ok: true,
      test: (v, long) =>
        (long === undefined
          ? short(v)
          : literals.every((l) => indexFrom(l.folded ? lowerGramsOf(long) : gramsOf(long), l.needle) >= 0)) &&
        re.test(v),
    }
  } catch (e) {
    for (const [probe, reason] of UNSUPPORTED) if (probe.test(pattern)) return { ok: false, reason }
    const message = e instanceof Error ? e.message : String(e)
    return { ok: false, reason: `regex not supported: ${message}` }
  }
}

/** Escapes after which a letter is not a literal but a class or an assertion we can step over. */
const SKIPPABLE_ESCAPES = "dDwWsSbBAz"

/**
 * Literal runs of 4 or more characters that every match of `pattern` contains, read
 * conservatively: only at the top level of a pattern without top-level alternation; a group, a
 * class, `.`, an anchor or an escape class ends a run, a quantifier also drops the atom before it;
 * anything not understood gives no literals (the regex then always runs). Under a leading `(?i)`
 * a run is `folded` (to be found in the lower-cased value) and holds ASCII only and no k or s:
 * RE2 folds K (U+212A) and ſ (U+017F) onto those two, and no other character onto ASCII.
 * A long value lacking one of them cannot match, and the regex need not scan it.
 */
export function requiredLiterals(pattern: string): Array<{ needle: Needle; folded: boolean }> {
  let i = 0
  let folded = false
  const flags = /^\(\?([a-zA-Z]*)\)/.exec(pattern)
  if (flags) {
    if (/[^imsU]/.test(flags[1]!)) return []
    folded = flags[1]!.includes("i")
    i = flags[0].length
  }
  // `^(?:body)$` (a whole-value test, as Elastic wildcard patterns are written): the body is
  // read as the top level; an alternation inside it still gives no literals.
  let end = pattern.length
  if (pattern.startsWith("^(?:", i) && pattern.endsWith("$") && groupEnd(pattern, i + 1) === pattern.length - 1) {
    i += 4
    end = pattern.length - 2
  }
  const out: Array<{ needle: Needle; folded: boolean }> = []
  let run = ""
  let last = 0
  const flush = () => {
    if (run.length >= 4) out.push({ needle: needle(folded ? run.toLowerCase() : run), folded })
    run = ""
    last = 0
  }
  const literal = (ch: string) => {
    if (folded && (ch.charCodeAt(0) > 0x7f || "kKsS".includes(ch))) return flush()
    run += ch
    last = ch.length
  }
  while (i < end) {
    const c = pattern[i]!
    if (c === "\\") {
      const next = pattern.codePointAt(i + 1)
      if (next === undefined) return []
      const ch = String.fromCodePoint(next)
      if (/[A-Za-z0-9]/.test(ch)) {
        if (!SKIPPABLE_ESCAPES.includes(ch)) return []
        flush()
      } else literal(ch)
      i += 1 + ch.length
    } else if (c === "(") {
      // A flag group such as `(?i)` changes how the rest reads: give up.
      if (/^\(\?[a-zA-Z-]*\)/.test(pattern.slice(i, i + 12))) return []
      const end = groupEnd(pattern, i)
      if (end < 0) return []
      flush()
      i = end
    } else if (c === "[") {
      const end = classEnd(pattern, i)
      if (end < 0) return []
      flush()
      i = end
    } else if (c === "*" || c === "+" || c === "?" || c === "{") {
      let len = 1
      if (c === "{") {
        const m = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i, i + 24))
        if (!m) return []
        len = m[0].length
      }
      run = run.slice(0, run.length - last)
      flush()
      i += len
    } else if (c === "|" || c === ")") return []
    else if (c === "." || c === "^" || c === "$") {
      flush()
      i++
    } else {
      const ch = String.fromCodePoint(pattern.codePointAt(i)!)
      literal(ch)
      i += ch.length
    }
  }
  flush()
  return out
}

/** Index just past the class opening at `i` (`[]a]` and `[^]a]` hold a `]`), or -1. */
function classEnd(p: string, i: number): number {
  let j = i + 1
  if (p[j] === "^") j++
  if (p[j] === "]") j++
  for (; j < p.length; j++) {
    if (p[j] === "\\") j++
    else if (p[j] === "[" && p[j + 1] === ":") {
      const close = p.indexOf(":]", j + 2)
      if (close < 0) return -1
      j = close + 1
    } else if (p[j] === "]") return j + 1
  }
  return -1
}

/** Index just past the group opening at `i`, or -1 when it does not close. */
function groupEnd(p: string, i: number): number {
  let depth = 0
  for (let j = i; j < p.length; j++) {
    const c = p[j]
    if (c === "\\") j++
    else if (c === "[") {
      const end = classEnd(p, j)
      if (end < 0) return -1
      j = end - 1
    } else if (c === "(") depth++
    else if (c === ")" && --depth === 0) return j + 1
  }
  return -1
}
