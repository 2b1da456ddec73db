/**
 * Wildcard matchers for search-language `*` patterns and SQL LIKE patterns.
 *
 * Owns: turning a pattern into a fast string test, and classifying a pattern's shape
 * (exact / contains / startswith / endswith / other) for indicators.
 *
 * Invariants:
 * - Linear-time behaviour: `*`-only globs are matched with indexOf over the literal segments
 *   (greedy leftmost is correct for `*`), never with a backtracking RegExp; LIKE patterns with
 *   `_` go through re2js. User-supplied patterns therefore cannot cause catastrophic backtracking.
 * - Matchers see the whole value (anchored at both ends). Case folding is the caller's job: for
 *   case-insensitive matching pass an already lower-cased pattern and lower-cased values.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { RE2JS } from "re2js"

import { gramsOf, indexFrom, needle, type LongValue } from "./grams.ts"

/**
 * A whole-value test. `long`, given for long values only (see grams.ts), carries the value's
 * 4-gram index: substring tests search through it instead of scanning.
 */
export type StringTest = (value: string, long?: LongValue) => boolean

export type GlobShape =
  | { kind: "exact"; text: string }
  | { kind: "any" }
  | { kind: "contains"; text: string }
  | { kind: "startswith"; text: string }
  | { kind: "endswith"; text: string }
  | { kind: "wildcard" }

/** Classify a pattern whose wildcard character is `star`. */
export function globShape(pattern: string, star = "*"): GlobShape {
  if (!pattern.includes(star)) return { kind: "exact", text: pattern }
  const parts = pattern.split(star)
  const inner = parts.filter((p) => p !== "")
  if (inner.length === 0) return { kind: "any" }
  if (inner.length > 1) return { kind: "wildcard" }
  const text = inner[0] as string
  const first = parts[0] === ""
  const last = parts[parts.length - 1] === ""
  // A single literal with stars only around it; `**x` counts as `*x`.
  if (first && last) return { kind: "contains", text }
  if (last) return { kind: "startswith", text }
  if (first) return { kind: "endswith", text }
  return { kind: "wildcard" }
}

/**
 * One test per (pattern, wildcard): an EventView keeps each test's verdict on a long value, so
 * every leaf with the same pattern, in any rule or compilation, reads that verdict. Cleared when
 * it grows past GLOB_CACHE_MAX (fuzzing compiles endless new patterns).
 */
const cache = new Map<string, StringTest>()
const GLOB_CACHE_MAX = 100_000

/** Build a whole-value matcher for a glob with wildcard character `star`. */
export function globTest(pattern: string, star = "*"): StringTest {
  const key = star === "*" ? pattern : `${star}\u0000${pattern}`
  let test = cache.get(key)
  if (test === undefined) {
    if (cache.size >= GLOB_CACHE_MAX) cache.clear()
    test = makeGlobTest(pattern, star)
    cache.set(key, test)
  }
  return test
}

function makeGlobTest(pattern: string, star: string): StringTest {
  const shape = globShape(pattern, star)
  switch (shape.kind) {
    case "exact":
      return (v) => v === shape.text
    case "any":
      return () => true
    case "contains": {
      const n = needle(shape.text)
      return (v, long) => (long === undefined ? v.includes(n.text) : indexFrom(gramsOf(long), n) >= 0)
    }
    case "startswith":
      return (v) => v.startsWith(shape.text)
    case "endswith":
      return (v) => v.endsWith(shape.text)
    case "wildcard":
      return segmentTest(pattern.split(star))
  }
}

function segmentTest(parts: string[]): StringTest {
  const head = parts[0] ?? ""
  const tail = parts[parts.length - 1] ?? ""
  const middle = parts.slice(1, -1).filter((p) => p !== "")
  const needles = middle.map(needle)
  const minLen = head.length + tail.length
  return (v, long) => {
    if (v.length < minLen || !v.startsWith(head) || !v.endsWith(tail)) return false
    const grams = long === undefined ? undefined : gramsOf(long)
    let pos = head.length
    const end = v.length - tail.length
    for (const seg of needles) {
      const at = grams === undefined ? v.indexOf(seg.text, pos) : indexFrom(grams, seg, pos)
      if (at < 0 || at + seg.text.length > end) return false
      pos = at + seg.text.length
    }
    return true
  }
}

/** SQL LIKE: `%` any run, `_` exactly one character, case-sensitive, whole value. */
export function likeTest(pattern: string): StringTest {
  if (!pattern.includes("_")) return globTest(pattern, "%")
  let src = ""
  let prev = ""
  for (const ch of pattern) {
    // `%%` means what `%` means; one `.*` per run keeps re2's state count (and its time per
    // character) to the pattern's meaning: 4,000 `%` in a row took 34 ms a value (fuzzer).
    if (ch === "%") src += prev === "%" ? "" : ".*"
    else if (ch === "_") src += "."
    else src += RE2JS.quote(ch)
    prev = ch
  }
  const re = RE2JS.compile(src, RE2JS.DOTALL)
  return (v) => re.testExact(v)
}

// Unambiguous on purpose: `\d+\.?\d*` split a digit run two ways, so a long run followed by a
// non-digit took quadratic time (465 ms for 5,000 digits, found by the fuzzer).
const NUMBER_RE = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/

/** Parse a value as a number the way comparisons do; null when it is not numeric text. */
export function toNumber(v: string): number | null {
  return NUMBER_RE.test(v) ? Number(v) : null
}
