/**
 * How near a near miss is: the share of a rule's positive conditions that held on values the
 * event carries, which near misses are not worth showing, and the order they are listed in.
 *
 * Owns: closeness, the identity-only exclusion and the near-miss order.
 *
 * Invariants:
 * - Closeness counts conditions of positive polarity only (under an even number of NOTs):
 *   exclusions say what the rule does not want, not how close the event came. Metadata leaves
 *   and the constant fields the event builder fills in (action, vendor_product, EventCode…)
 *   count for nothing. An OR counts as its closest branch, so a rule listing ten alternative
 *   image names is not ten conditions away.
 * - A condition holds "on a real value" when it held and the trace names the value it read (or
 *   it reads no field at all, like a bare search term).
 * - Not near: a rule where every condition whose single flip would fire it reads the process
 *   identity (image name, path or original file name). Such a condition is the rule's subject:
 *   a regsvr32 rule is not close to firing on wmic.exe because the rest of it fits.
 * - Order: closeness (held ÷ counted) first, then more held conditions, then failures on a value
 *   the event carries before failures on an absent field, then the catalog's report order.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Leaf, Predicate } from "../predicate/types.ts"
import { isLeaf } from "../predicate/types.ts"

/** Fields that name the process itself (bare, data-model prefix removed). */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set([
  "process_name",
  "original_file_name",
  "process_path",
  "process_exec",
  "Image",
  "OriginalFileName",
  "NewProcessName",
])

export type LeafOutcome = { held: boolean | "unknown"; value?: string }
export type Closeness = { held: number; total: number }

/** The leaf's field when it has one. */
const fieldOf = (leaf: Leaf): string | undefined => ("field" in leaf ? leaf.field : undefined)

/**
 * Held and counted positive conditions of `p` (see the module invariants). `ignored` says which
 * fields count for nothing (constant fields the builder fills in).
 */
export function closeness(
  p: Predicate,
  outcome: ReadonlyMap<number, LeafOutcome>,
  ignored: ReadonlySet<string>,
  positive = true,
): Closeness {
  if (isLeaf(p)) {
    if (!positive || p.meta || p.op === "unknown") return { held: 0, total: 0 }
    const f = fieldOf(p)
    if (f !== undefined && ignored.has(f)) return { held: 0, total: 0 }
    const o = outcome.get(p.id)
    const held = o?.held === true && (f === undefined || o.value !== undefined) ? 1 : 0
    return { held, total: 1 }
  }
  if (p.op === "not") return closeness(p.arg, outcome, ignored, !positive)
  if (p.op === "and" || p.op === "or") {
    // Under NOT, De Morgan turns AND into OR and back.
    const conj = (p.op === "and") === positive
    if (conj) {
      const out = { held: 0, total: 0 }
      for (const a of p.args) {
        const c = closeness(a, outcome, ignored, positive)
        out.held += c.held
        out.total += c.total
      }
      return out
    }
    let best: Closeness = { held: 0, total: 0 }
    for (const a of p.args) {
      const c = closeness(a, outcome, ignored, positive)
      if (c.total === 0) continue
      if (
        best.total === 0 ||
        c.held / c.total > best.held / best.total ||
        (c.held / c.total === best.held / best.total && c.held > best.held)
      )
        best = c
    }
    return best
  }
  return { held: 0, total: 0 } // xor, true, false: nothing to count
}

/** True when every rescuing leaf reads the process identity: the rule's subject, not a near miss. */
export function identityOnly(failed: ReadonlyArray<{ field?: string }>): boolean {
  return failed.length > 0 && failed.every((l) => l.field !== undefined && IDENTITY_FIELDS.has(l.field))
}

export type RankedNearMiss = { closeness: Closeness; failed: ReadonlyArray<{ value?: string; isNull?: true }> }

const ratio = (c: Closeness): number => (c.total === 0 ? 0 : c.held / c.total)

/** Closer first (see the module invariants); a stable sort keeps report order among equals. */
export function compareNearMisses(a: RankedNearMiss, b: RankedNearMiss): number {
  const present = (n: RankedNearMiss) => (n.failed.some((l) => l.value !== undefined) ? 1 : 0)
  return ratio(b.closeness) - ratio(a.closeness) || b.closeness.held - a.closeness.held || present(b) - present(a)
}

/** How many near misses a person sees before asking for all of them (page and CLI). */
export const NEAR_MISS_LIMIT = 10
