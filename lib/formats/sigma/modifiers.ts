/**
 * One detection entry (`field|mod|mod: value(s)`) → a predicate, with every value modifier of
 * Sigma 2.1: contains / startswith / endswith, all, neq, exists, cased, re (+ i, m, s),
 * base64, base64offset, wide / utf16le / utf16be / utf16, windash, cidr, lt / lte / gt / gte,
 * fieldref, plus the placeholder and time-part modifiers, which load as "not evaluable".
 *
 * Owns: modifier names, their order constraints and value checks, and the leaf each value
 * becomes. Invariants: pure; never throws; values of one entry are OR-ed (AND-ed under `all`),
 * expansions (windash, base64offset) stay OR-groups inside that; a missing field makes every
 * comparison false (leaves use the search language) except `null` and `exists: false`.
 * Never imports: React, Next, Node built-ins.
 */
import { and, not, or } from "../../predicate/build.ts"
import { cidrTest } from "../../predicate/cidr.ts"
import { compileRegex } from "../../predicate/regex.ts"
import type { Leaf, Predicate } from "../../predicate/types.ts"
import {
  base64Offsets,
  base64Value,
  hasWildcards,
  pad,
  parseSigmaString,
  plainText,
  toGlob,
  toRegexSource,
  utf16,
  windash,
  type SigmaString,
} from "./strings.ts"

/** Every modifier pySigma 1.5 knows, plus the spec's `utf16le`. Anything else is an error. */
export const MODIFIERS = new Set([
  "all",
  "neq",
  "contains",
  "startswith",
  "endswith",
  "exists",
  "cased",
  "re",
  "i",
  "ignorecase",
  "m",
  "multiline",
  "s",
  "dotall",
  "base64",
  "base64offset",
  "wide",
  "utf16le",
  "utf16be",
  "utf16",
  "windash",
  "cidr",
  "lt",
  "lte",
  "gt",
  "gte",
  "fieldref",
  "expand",
  "minute",
  "hour",
  "day",
  "week",
  "month",
  "year",
])

/** Modifiers that must come first in a chain (pySigma raises otherwise). */
const MUST_BE_FIRST = new Set(["re", "cidr", "exists"])
const REGEX_FLAGS: Record<string, string> = { i: "i", ignorecase: "i", m: "m", multiline: "m", s: "s", dotall: "s" }
const TIME_PARTS = new Set(["minute", "hour", "day", "week", "month", "year"])
const COMPARE: Record<string, "<" | "<=" | ">" | ">="> = { lt: "<", lte: "<=", gt: ">", gte: ">=" }

/** A typed value on its way through the modifier chain. */
type Value =
  /** `from`: the string as written, when a modifier expanded it into several (windash, base64offset). */
  | { t: "str"; s: SigmaString; cased?: boolean; from?: { s: SigmaString; modifier: string } }
  | { t: "num"; n: number }
  | { t: "bool"; b: boolean }
  | { t: "null" }
  | { t: "re"; pattern: string }
  | { t: "cidr"; net: string }
  | { t: "cmp"; op: "<" | "<=" | ">" | ">="; n: number }
  | { t: "fieldref"; other: string; match?: "contains" | "startswith" | "endswith" }
  | { t: "exists"; want: boolean }
  | { t: "group"; items: Value[] }

export interface EntryResult {
  predicate?: Predicate
  /** Errors make the rule unloadable. */
  errors: string[]
  warnings: string[]
  /** Set when the entry loads but cannot be decided on one event (placeholders, time parts, RE2 limits). */
  unsupported?: string
}

class EntryError extends Error {}

/** A leaf without its id (ids are assigned per rule by `numberLeaves`). */
type LeafInput = Leaf extends infer L ? (L extends Leaf ? Omit<L, "id"> : never) : never
const leaf = (l: LeafInput): Leaf => ({ id: 0, ...l }) as Leaf

function typed(raw: unknown): Value {
  if (raw === null) return { t: "null" }
  if (typeof raw === "number") return { t: "num", n: raw }
  if (typeof raw === "boolean") return { t: "bool", b: raw }
  if (typeof raw === "string") return { t: "str", s: parseSigmaString(raw) }
  throw new EntryError(
    `a value must be a string, number, boolean or null, not ${Array.isArray(raw) ? "a list" : "a map"}`,
  )
}

function rawString(raw: unknown): string {
  if (typeof raw === "string") return raw
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw)
  throw new EntryError("this modifier needs a string value")
}

/** Apply `fn` to every string in a value (recursing into expansion groups). */
function mapStr(v: Value, mod: string, fn: (s: SigmaString, cased?: boolean) => Value): Value {
  if (v.t === "group") return { t: "group", items: v.items.map((x) => mapStr(x, mod, fn)) }
  if (v.t === "str") {
    const out = fn(v.s, v.cased)
    // Later modifiers (contains…) apply to the written string too, so it stays comparable.
    if (v.from && out.t === "str") {
      const from = fn(v.from.s, v.cased)
      if (from.t === "str") out.from = { s: from.s, modifier: v.from.modifier }
    }
    return out
  }
  if ((v.t === "num" || v.t === "bool") && (mod === "contains" || mod === "startswith" || mod === "endswith")) {
    // pySigma raises a type error here; corpus rules never do it, so reject clearly.
    throw new EntryError(`\`${mod}\` cannot apply to a ${v.t === "num" ? "number" : "boolean"}`)
  }
  if (v.t === "null") throw new EntryError(`\`${mod}\` cannot apply to null`)
  // pySigma pads a regex with `.*` here; a regex is already an unanchored search, so nothing changes.
  if (v.t === "re" && (mod === "contains" || mod === "startswith" || mod === "endswith")) return v
  if (v.t === "fieldref" && (mod === "contains" || mod === "startswith" || mod === "endswith"))
    return { ...v, match: mod }
  throw new EntryError(`\`${mod}\` cannot follow this kind of value`)
}

const group = (items: Value[]): Value => (items.length === 1 ? (items[0] as Value) : { t: "group", items })

function encodeCheck(s: SigmaString, mod: string): string {
  if (hasWildcards(s)) throw new EntryError(`\`${mod}\` cannot encode a value with wildcards (escape them with \\)`)
  return plainText(s)
}

function applyModifier(v: Value, mod: string, raw: unknown): Value {
  switch (mod) {
    case "contains":
      return mapStr(v, mod, (s, cased) => ({ t: "str", s: pad(s, true, true), cased }))
    case "startswith":
      return mapStr(v, mod, (s, cased) => ({ t: "str", s: pad(s, false, true), cased }))
    case "endswith":
      return mapStr(v, mod, (s, cased) => ({ t: "str", s: pad(s, true, false), cased }))
    case "cased":
      return mapStr(v, mod, (s) => ({ t: "str", s, cased: true }))
    case "windash":
      return mapStr(v, mod, (s, cased) =>
        group(windash(s).map((w) => ({ t: "str", s: w, cased, from: { s, modifier: mod } }))),
      )
    case "base64":
      return mapStr(v, mod, (s) => ({
        t: "str",
        s: { parts: [{ lit: base64Value(encodeCheck(s, mod), s.bytes === true) }] },
      }))
    case "base64offset":
      return mapStr(v, mod, (s) =>
        group(
          base64Offsets(encodeCheck(s, mod), s.bytes === true).map((b) => ({
            t: "str",
            s: { parts: [{ lit: b }] },
            from: { s, modifier: mod },
          })),
        ),
      )
    case "wide":
    case "utf16le":
    case "utf16be":
    case "utf16": {
      const mode = mod === "utf16be" ? "be" : mod === "utf16" ? "bom" : "le"
      return mapStr(v, mod, (s) => {
        const text = encodeCheck(s, mod)
        if (/[\u0080-\uffff]/.test(text)) throw new EntryError(`\`${mod}\` only encodes ASCII text here`)
        return { t: "str", s: { parts: [{ lit: utf16(text, mode) }], bytes: true } }
      })
    }
    case "re": {
      const pattern = rawString(raw)
      return { t: "re", pattern }
    }
    case "cidr": {
      const net = rawString(raw).trim()
      if (!cidrTest(net)) throw new EntryError(`\`${net}\` is not an IPv4 or IPv6 network`)
      return { t: "cidr", net }
    }
    case "exists": {
      if (typeof raw !== "boolean") throw new EntryError("`exists` needs true or false")
      return { t: "exists", want: raw }
    }
    case "fieldref":
      return mapStr(v, mod, (s) => ({ t: "fieldref", other: encodeCheck(s, mod) }))
    default: {
      const op = COMPARE[mod]
      if (op) {
        const n =
          typeof raw === "number"
            ? raw
            : typeof raw === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)
              ? Number(raw)
              : NaN
        if (Number.isNaN(n)) throw new EntryError(`\`${mod}\` needs a number`)
        return { t: "cmp", op, n }
      }
      return v
    }
  }
}

/** The leaf (or OR-group) one final value becomes. */
function toPredicate(field: string | null, v: Value, reFlags: string): Predicate {
  if (v.t === "group") return or(v.items.map((x) => toPredicate(field, x, reFlags)))
  if (field === null) return keywordPredicate(v)
  switch (v.t) {
    case "str": {
      const glob = toGlob(v.s)
      const from = v.from && toGlob(v.from.s)
      const variant = v.from && from != null ? { variantOf: from, expansion: v.from.modifier } : {}
      if (glob !== null)
        return leaf({
          op: "cmp",
          field,
          cmpOp: "=",
          value: glob,
          lang: "search",
          ...(v.cased ? { caseSensitive: true } : {}),
          ...variant,
        })
      return leaf({ op: "regex", field, pattern: toRegexSource(v.s, v.cased === true), lang: "search" })
    }
    case "num":
      return leaf({ op: "cmp", field, cmpOp: "=", value: String(v.n), lang: "search" })
    case "bool":
      return leaf({ op: "cmp", field, cmpOp: "=", value: String(v.b), lang: "search" })
    case "null":
      return leaf({ op: "isnull", field })
    case "re":
      return leaf({ op: "regex", field, pattern: reFlags ? `(?${reFlags})${v.pattern}` : v.pattern, lang: "search" })
    case "cidr":
      return leaf({ op: "cidr", field, cidr: v.net, lang: "search" })
    case "cmp":
      return leaf({ op: "cmp", field, cmpOp: v.op, value: String(v.n), lang: "search", numeric: true })
    case "fieldref":
      return leaf({
        op: "fieldcmp",
        field,
        cmpOp: "=",
        other: v.other,
        fn: "lower",
        lang: "search",
        ...(v.match ? { match: v.match } : {}),
      })
    case "exists":
      return leaf({ op: v.want ? "isnotnull" : "isnull", field })
  }
}

/** A keyword (no field): searched, as a substring, in every value of the event. */
function keywordPredicate(v: Value): Predicate {
  if (v.t === "num" || v.t === "bool")
    return leaf({ op: "keyword", value: String(v.t === "num" ? v.n : v.b), scope: "fields" })
  if (v.t !== "str") throw new EntryError("a keyword must be a string")
  const glob = toGlob(v.s)
  if (glob !== null) return leaf({ op: "keyword", value: glob, scope: "fields" })
  const src = toRegexSource(v.s, false).replace("^", "").replace(/\$$/, "")
  return leaf({ op: "keyword", value: src, scope: "fields", regex: true })
}

/** Compile one `field|mods: values` entry; `field` null for keyword entries (`'|all': [...]`). */
export function compileEntry(key: string, raw: unknown): EntryResult {
  const errors: string[] = []
  const warnings: string[] = []
  const [fieldName = "", ...mods] = key.split("|")
  const field = fieldName === "" ? null : fieldName
  try {
    for (const m of mods) if (!MODIFIERS.has(m)) throw new EntryError(`unknown modifier \`${m}\``)
    mods.forEach((m, i) => {
      if (MUST_BE_FIRST.has(m) && i !== 0) throw new EntryError(`\`${m}\` must be the first modifier`)
    })
    if (mods.includes("exists") && field === null) throw new EntryError("`exists` needs a field")
    let unsupported: string | undefined
    if (mods.includes("expand"))
      unsupported = "uses `expand` placeholders, which need values from a processing pipeline"
    const time = mods.find((m) => TIME_PARTS.has(m))
    if (time) unsupported = `the \`${time}\` time-part modifier needs the event's timestamp semantics`
    const linkAll = mods.includes("all")
    const negate = mods.includes("neq")
    const reFlags = [...new Set(mods.map((m) => REGEX_FLAGS[m]).filter(Boolean))].sort().join("")
    if (reFlags && !mods.includes("re")) throw new EntryError("regex flags (i, m, s) need the `re` modifier")
    const list = Array.isArray(raw) ? (raw.length === 0 ? [null] : raw) : [raw]
    if (list.length > 1 && list.includes(null))
      throw new EntryError("null cannot be mixed into a list of values; write a separate selection")
    if (field === null && list.includes(null)) throw new EntryError("a keyword cannot be null")
    const values = list.map((item) => {
      let v = mods[0] === "re" || mods[0] === "cidr" || mods[0] === "exists" ? ({ t: "null" } as Value) : typed(item)
      for (const m of mods) v = applyModifier(v, m, item)
      return v
    })
    if (linkAll && values.length === 1 && !mods.includes("windash"))
      warnings.push("`all` on a single value has no effect")
    const parts = values.map((v) => toPredicate(field, v, reFlags))
    let predicate = linkAll ? and(parts) : orWithIn(field, parts)
    if (negate) predicate = not(predicate)
    const reUnsupported = regexProblem(predicate)
    return { predicate, errors, warnings, unsupported: unsupported ?? reUnsupported }
  } catch (e) {
    if (e instanceof EntryError) errors.push(e.message)
    else throw e
    return { errors, warnings }
  }
}

/** OR of simple case-insensitive globs on one field, folded into one `IN` leaf (compact to ship and to read). */
function orWithIn(field: string | null, parts: Predicate[]): Predicate {
  if (field === null || parts.length < 2) return or(parts)
  const simple = parts.every((p) => p.op === "cmp" && p.cmpOp === "=" && !p.caseSensitive && !p.numeric)
  if (!simple) return or(parts)
  return leaf({ op: "in", field, values: parts.map((p) => (p.op === "cmp" ? p.value : "")), lang: "search" })
}

/** A regex RE2 cannot run makes the rule undecidable (the leaf would always be 'unknown'). */
function regexProblem(p: Predicate): string | undefined {
  if (p.op === "regex") {
    const r = compileRegex(p.pattern)
    return r.ok ? undefined : `regex \`${p.pattern}\`: ${r.reason}`
  }
  if (p.op === "keyword" && p.regex) {
    const r = compileRegex(p.value)
    return r.ok ? undefined : r.reason
  }
  if (p.op === "not") return regexProblem(p.arg)
  if (p.op === "and" || p.op === "or")
    for (const a of p.args) {
      const r = regexProblem(a)
      if (r) return r
    }
  return undefined
}
