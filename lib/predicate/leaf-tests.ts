/**
 * Compiles one predicate leaf into a test over an EventView.
 *
 * Owns: the per-leaf semantics (search vs eval language, wildcard/like/regex/cidr/null tests,
 * multivalue any-match, missing-field handling).
 *
 * Invariants:
 * - Patterns are prepared once here (lower-cased, globs split, regexes compiled); a test only
 *   reads cached event values.
 * - Multivalue: a positive test holds if ANY value matches; `!=` holds if the field exists and
 *   NO value equals. Eval-language comparisons use the same any-match rule
 *   [assumption; Splunk does not document it precisely].
 * - Missing field: search language → false (so `f!=v` is false, while `NOT f=v` is true); eval
 *   language → null. A derived field (computed by a stage the evaluator does not run) → 'unknown'.
 *   Metadata fields follow `EvaluateOptions.metadata`.
 * - Never throws on rule input: unsupported regexes/subnets become an 'unknown' test with a reason.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { cidrTest } from "./cidr.ts"
import { fieldSlot, type EventView } from "./event-view.ts"
import { globTest, likeTest, toNumber, type StringTest } from "./glob.ts"
import { GRAM_MIN_LENGTH } from "./grams.ts"
import { compileRegex } from "./regex.ts"
import type { CmpOp, Leaf, Truth, ValueFn } from "./types.ts"

export type EvaluateOptions = {
  /**
   * How to treat metadata/knowledge-object leaves (index, source, sourcetype, eventtype, tag...)
   * whose field the event does not carry: 'unknown' (default), 'assume' (the caller asserts the
   * event comes from the rule's data source, so they hold), or 'strict' (ordinary missing field).
   */
  metadata?: "unknown" | "assume" | "strict"
}

export type LeafOutcome = { held: Truth; value?: string }
export type LeafTest = (view: EventView, opts: EvaluateOptions) => LeafOutcome
/** The same verdict as a LeafTest, without the value and without allocating: the bulk-matching path. */
export type LeafCheck = (view: EventView, opts: EvaluateOptions) => Truth
export type CompiledLeaf = { test: LeafTest; check?: LeafCheck; unsupported?: string }

const applyFn = (fn: ValueFn | undefined, v: string): string =>
  fn === "lower" ? v.toLowerCase() : fn === "upper" ? v.toUpperCase() : fn === "len" ? String([...v].length) : v

function ordered(op: CmpOp, a: string, b: string): boolean {
  const x = toNumber(a)
  const y = toNumber(b)
  const c = x !== null && y !== null ? x - y : a < b ? -1 : a > b ? 1 : 0
  switch (op) {
    case "=":
      return c === 0
    case "!=":
      return c !== 0
    case "<":
      return c < 0
    case "<=":
      return c <= 0
    case ">":
      return c > 0
    case ">=":
      return c >= 0
  }
}

/** Run `pred` over the values: any-match, or none-match for negative tests. */
function anyValue(vals: string[], pred: (v: string) => boolean, negate: boolean): LeafOutcome {
  for (const v of vals) if (pred(v)) return negate ? { held: false, value: v } : { held: true, value: v }
  return { held: negate, value: vals[0] }
}

function missingHeld(leaf: Leaf, opts: EvaluateOptions, nullable: boolean): Truth {
  if (leaf.derived) return "unknown"
  if (leaf.meta) {
    const mode = opts.metadata ?? "unknown"
    if (mode === "unknown") return "unknown"
    if (mode === "assume") return true
  }
  return nullable ? null : false
}

function missing(leaf: Leaf, opts: EvaluateOptions, nullable: boolean): LeafOutcome {
  return { held: missingHeld(leaf, opts, nullable) }
}

/**
 * A test over one field's values (any value matching; none for negative tests). `lowered`: the
 * predicate sees lower-cased values, while the outcome reports the event's value as written.
 * Returns the traced test and the allocation-free check of the same verdict.
 */
function fieldTest(
  leaf: Leaf & { field: string },
  nullable: boolean,
  lowered: boolean,
  fn: ValueFn | undefined,
  pred: StringTest,
  negate = false,
): { test: LeafTest; check: LeafCheck } {
  // lower(x) reads the view's lower-cased values: lower-cased once per event rather than once per
  // leaf and test, and a long value's verdicts are then kept like those of any other test.
  if (fn === "lower") {
    lowered = true
    fn = undefined
  }
  const filled = leaf.fill === undefined ? undefined : [leaf.fill]
  const filledLower = leaf.fill === undefined ? undefined : [leaf.fill.toLowerCase()]
  const slot = fieldSlot(leaf.field, leaf.dm)
  const own = (view: EventView): string[] | undefined => (lowered ? view.lowerAt(slot) : view.valuesAt(slot))
  // Whether the i-th of `vals` holds. A long value of the event's own is searched through its
  // index and the verdict kept on the view (see LongValue).
  const holds = (view: EventView, vals: string[], fromView: boolean, i: number): boolean => {
    const v = vals[i]!
    if (fn) return pred(applyFn(fn, v))
    if (!fromView || v.length < GRAM_MIN_LENGTH) return pred(v)
    const long = view.longAt(slot, lowered, i)
    if (long === undefined) return pred(v)
    let held = long.held.get(pred)
    if (held === undefined) long.held.set(pred, (held = pred(v, long)))
    return held
  }
  const check: LeafCheck = (view, opts) => {
    let vals = own(view)
    const fromView = vals !== undefined
    vals ??= lowered ? filledLower : filled
    if (vals === undefined) return missingHeld(leaf, opts, nullable)
    for (let i = 0; i < vals.length; i++) if (holds(view, vals, fromView, i)) return !negate
    return negate
  }
  const test: LeafTest = (view, opts) => {
    let vals = own(view)
    const fromView = vals !== undefined
    vals ??= lowered ? filledLower : filled
    if (vals === undefined) return missing(leaf, opts, nullable)
    const shown = lowered ? (view.valuesAt(slot) ?? filled ?? vals) : vals
    for (let i = 0; i < vals.length; i++) if (holds(view, vals, fromView, i)) return { held: !negate, value: shown[i] }
    return { held: negate, value: shown[0] }
  }
  return { test, check }
}

/** Sigma `fieldref` with contains / startswith / endswith: case-insensitive, missing = false. */
function fieldMatchTest(leaf: Leaf & { op: "fieldcmp" }, match: "contains" | "startswith" | "endswith"): LeafTest {
  const hit = (v: string, w: string) =>
    match === "contains" ? v.includes(w) : match === "startswith" ? v.startsWith(w) : v.endsWith(w)
  return (view, opts) => {
    const a = view.lowerValues(leaf.field, leaf.dm)
    const b = view.lowerValues(leaf.other, leaf.dm)
    if (a === undefined || b === undefined) return missing(leaf, opts, leaf.lang !== "search")
    return anyValue(a, (v) => b.some((w) => hit(v, w)), leaf.cmpOp === "!=")
  }
}

const unknown = (reason: string): CompiledLeaf => ({ test: () => ({ held: "unknown" }), unsupported: reason })

/**
 * What an earlier compile of the same leaf found (the tester payload carries it): its construct
 * is supported, so a regular expression is compiled on first use rather than up front (most
 * leaves are never reached for a given event, and compiling a pattern costs more than testing).
 */
export type LeafKnowledge = { supported: true }

/** A regular expression known to compile, compiled when first tested. */
function lazyRegex(pattern: string): StringTest {
  let t: StringTest | undefined
  return (v, long) => {
    if (!t) {
      const re = compileRegex(pattern)
      t = re.ok ? re.test : () => false
    }
    return t(v, long)
  }
}

export function compileLeaf(leaf: Leaf, known?: LeafKnowledge): CompiledLeaf {
  switch (leaf.op) {
    case "cmp": {
      const eq = leaf.cmpOp === "=" || leaf.cmpOp === "!="
      const neg = leaf.cmpOp === "!="
      if (leaf.lang === "search") {
        const ci = !leaf.caseSensitive
        if (!eq) {
          const bound = toNumber(leaf.value)
          // Sigma lt/gt compare numbers only: text never orders against a number.
          const cmp = leaf.numeric
            ? (v: string) => {
                const x = toNumber(v)
                return x !== null && bound !== null && ordered(leaf.cmpOp, String(x), String(bound))
              }
            : (v: string) => ordered(leaf.cmpOp, v, leaf.value)
          return { ...fieldTest(leaf, false, false, undefined, cmp) }
        }
        const g = globTest(ci ? leaf.value.toLowerCase() : leaf.value)
        return { ...fieldTest(leaf, false, ci, undefined, g, neg) }
      }
      const op = neg ? "=" : leaf.cmpOp
      const cmp = eq && !leaf.numeric ? (v: string) => v === leaf.value : (v: string) => ordered(op, v, leaf.value)
      return { ...fieldTest(leaf, true, false, leaf.fn, cmp, neg) }
    }
    case "in": {
      if (leaf.lang === "search") {
        const tests = leaf.values.map((p) => globTest(p.toLowerCase()))
        const anyOf: StringTest = (v, long) => {
          for (const t of tests) if (t(v, long)) return true
          return false
        }
        return { ...fieldTest(leaf, false, true, undefined, anyOf) }
      }
      const set = new Set(leaf.values)
      return { ...fieldTest(leaf, true, false, leaf.fn, (v) => set.has(v)) }
    }
    case "fieldcmp":
      if (leaf.match) return { test: fieldMatchTest(leaf, leaf.match) }
      return {
        test: (view, opts) => {
          const a = view.values(leaf.field, leaf.dm)
          const b = view.values(leaf.other, leaf.dm)
          if (a === undefined || b === undefined) return missing(leaf, opts, leaf.lang !== "search")
          const neg = leaf.cmpOp === "!="
          const bs = b.map((x) => applyFn(leaf.fn, x))
          return anyValue(
            a.map((x) => applyFn(leaf.fn, x)),
            (v) => bs.some((w) => ordered(neg ? "=" : leaf.cmpOp, v, w)),
            neg,
          )
        },
      }
    case "like":
      return { ...fieldTest(leaf, true, false, leaf.fn, likeTest(leaf.pattern)) }
    case "regex": {
      if (known?.supported) return { ...fieldTest(leaf, leaf.lang === "eval", false, leaf.fn, lazyRegex(leaf.pattern)) }
      const re = compileRegex(leaf.pattern)
      if (!re.ok) return unknown(re.reason)
      return { ...fieldTest(leaf, leaf.lang === "eval", false, leaf.fn, re.test) }
    }
    case "cidr": {
      const t = cidrTest(leaf.cidr)
      if (!t) return unknown(`not a valid CIDR subnet: ${leaf.cidr}`)
      return { ...fieldTest(leaf, leaf.lang !== "search", false, undefined, t) }
    }
    case "isnull":
    case "isnotnull": {
      const want = leaf.op === "isnotnull"
      return {
        test: (view, opts) => {
          const vals = view.values(leaf.field, leaf.dm) ?? (leaf.fill === undefined ? undefined : [leaf.fill])
          if (vals === undefined && (leaf.derived || leaf.meta)) {
            const m = missing(leaf, opts, false)
            if (m.held !== false) return m
          }
          return { held: (vals !== undefined) === want, value: vals?.[0] }
        },
      }
    }
    case "keyword": {
      let g: (v: string) => boolean
      if (leaf.regex) {
        const re = compileRegex(leaf.value)
        if (!re.ok) return unknown(re.reason)
        g = re.test
      } else g = globTest(`*${leaf.value.toLowerCase()}*`)
      if (leaf.scope === "fields") return { test: (view) => anyValue(view.allLowerValues(), g, false) }
      return {
        test: (view) => {
          const raw = view.lowerValues("_raw")
          if (raw === undefined) return { held: "unknown" }
          return anyValue(raw, g, false)
        },
      }
    }
    case "unknown":
      return unknown(leaf.reason)
  }
}
