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

export type RegexCompileResult = { ok: true; test: (value: string) => boolean } | { ok: false; reason: string }

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

const cache = new Map<string, RegexCompileResult>()

export function compileRegex(pattern: string): RegexCompileResult {
  const hit = cache.get(pattern)
  if (hit) return hit
  const result = compileUncached(pattern)
  cache.set(pattern, result)
  return result
}

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
  if (pattern.length > MAX_REGEX_LENGTH) return { ok: false, reason: `regex longer than ${MAX_REGEX_LENGTH} characters` }
  if (repeatTotal(pattern) > MAX_REGEX_REPEAT_TOTAL)
    return { ok: false, reason: `counted repetitions add up to more than ${MAX_REGEX_REPEAT_TOTAL}: too costly for the linear-time regex engine` }
  try {
    const re = RE2JS.compile(toRe2(pattern), RE2JS.LOOKBEHINDS)
    return { ok: true, test: (v) => re.test(v) }
  } catch (e) {
    for (const [probe, reason] of UNSUPPORTED) if (probe.test(pattern)) return { ok: false, reason }
    const message = e instanceof Error ? e.message : String(e)
    return { ok: false, reason: `regex not supported: ${message}` }
  }
}
