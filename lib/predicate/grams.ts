/**
 * Substring search in long values through a position index of their 4-grams: one value is
 * tested by thousands of rules' substring leaves per event, and a scan per leaf made the cost
 * grow with the value (a 17 KB command line: ~20,000 `contains` tests, ~3 µs each when absent).
 *
 * Owns: the index (every 4-gram position of the value, bucketed by hash) and `indexFrom`, the
 * indexed twin of `value.indexOf(needle, from)`.
 *
 * Invariants:
 * - Exact: `indexFrom` returns what `indexOf` returns. A needle is looked up through the bucket of
 *   its rarest 4-gram, and every candidate is checked against the value (hash collisions cost a
 *   comparison, never a wrong answer); a needle under 4 characters falls back to `indexOf`.
 * - Never slower than a scan by more than a constant: an absent 4-gram answers at once, and a
 *   bucket holds at most one candidate per position of the value.
 * - Only values of at least GRAM_MIN_LENGTH characters are indexed: below that a scan costs about
 *   what the lookups do.
 *
 * Must never import: React, Next, Node built-ins.
 */

/** Values shorter than this are scanned (no index). */
export const GRAM_MIN_LENGTH = 512

/** A value's 4-gram positions: bucket b holds `pos[start[b]] … pos[start[b + 1] - 1]`, ascending. */
export type Grams = { value: string; shift: number; start: Uint32Array; pos: Uint32Array }

/** A needle and, once searched for through an index, its 4-grams as 32-bit keys. */
export type Needle = { text: string; keys?: Uint32Array }

/**
 * A long value's search aids, kept by its EventView: the 4-gram index, made on the first
 * substring search (and that of the lower-cased value, for case-insensitive regex literals),
 * and the verdict of every string test already run on it (leaves with the same test, and the
 * same leaf read by several passes over a rule, then scan the value once).
 */
export type LongValue = {
  value: string
  grams?: Grams
  lowerGrams?: Grams
  held: Map<(value: string, long?: LongValue) => boolean, boolean>
}

export function gramsOf(long: LongValue): Grams {
  return (long.grams ??= gramIndex(long.value))
}

/** The index of the lower-cased value (case-insensitive regex literals). */
export function lowerGramsOf(long: LongValue): Grams {
  return (long.lowerGrams ??= gramIndex(long.value.toLowerCase()))
}

// A character folded to a byte (collisions only cost a comparison), four of them rolled into 32
// bits, and the 32 bits hashed to a bucket.
const fold = (c: number): number => (c & 0xff) ^ (c >>> 8)
const bucketOf = (key: number, shift: number): number => Math.imul(key, 0x9e3779b1) >>> shift

/** The index of `value`: about one bucket per position, filled by a counting sort. */
export function gramIndex(value: string): Grams {
  const n = Math.max(0, value.length - 3)
  let log = 8
  while (1 << log < n && log < 24) log++
  const shift = 32 - log
  const start = new Uint32Array((1 << log) + 1)
  const bucket = new Uint32Array(n)
  let key = 0
  for (let i = 0; i < value.length; i++) {
    key = (key << 8) | fold(value.charCodeAt(i))
    if (i < 3) continue
    const b = bucketOf(key, shift)
    bucket[i - 3] = b
    start[b + 1]!++
  }
  for (let b = 1; b < start.length; b++) start[b]! += start[b - 1]!
  const pos = new Uint32Array(n)
  // `start` doubles as the fill cursor, then is shifted back by one bucket.
  for (let i = 0; i < n; i++) pos[start[bucket[i]!]!++] = i
  start.copyWithin(1, 0)
  start[0] = 0
  return { value, shift, start, pos }
}

/** A needle for `indexFrom`; its 4-gram keys are made on its first indexed search. */
export function needle(text: string): Needle {
  return { text }
}

/** The needle's 4-grams as rolled 32-bit keys (empty under 4 characters). */
function keysOf(n: Needle): Uint32Array {
  if (n.keys) return n.keys
  const { text } = n
  const keys = new Uint32Array(Math.max(0, text.length - 3))
  let key = 0
  for (let i = 0; i < text.length; i++) {
    key = (key << 8) | fold(text.charCodeAt(i))
    if (i >= 3) keys[i - 3] = key >>> 0
  }
  return (n.keys = keys)
}

/** `g.value.indexOf(n.text, from)`, through the index. */
export function indexFrom(g: Grams, n: Needle, from = 0): number {
  const { text } = n
  if (text.length < 4) return g.value.indexOf(text, from)
  const hashes = keysOf(n)
  const { start, pos, shift, value } = g
  let best = 0
  let bestCount = Infinity
  for (let j = 0; j < hashes.length; j++) {
    const b = bucketOf(hashes[j]!, shift)
    const count = start[b + 1]! - start[b]!
    if (count === 0) return -1
    if (count < bestCount) {
      bestCount = count
      best = j
    }
  }
  const b = bucketOf(hashes[best]!, shift)
  for (let k = start[b]!; k < start[b + 1]!; k++) {
    const at = pos[k]! - best
    if (at >= from && value.startsWith(text, at)) return at
  }
  return -1
}
