/**
 * The tester's value prefilter: for each rule, a disjunction of cheap tests ("key clause") one of
 * which must hold for the rule's predicate to be true or 'unknown'; and an inverted index from
 * the values those tests look for to the rules, so one event is matched against the few rules
 * whose key it carries instead of all of them.
 *
 * Owns: key atoms and clauses, the index, and the event-side lookup.
 *
 * Invariants (soundness: the index may admit too many rules, never too few):
 * - Only search-language leaves on real fields (not derived, metadata, filled or unsupported, no
 *   value function) give atoms; such a leaf is never NULL or 'unknown', so "not false" and
 *   "true" coincide. AND needs every argument not false (any argument's clause will do); OR
 *   needs one branch (the union of every branch's clause); NOT and XOR give none.
 * - Atoms compare lower-cased text: a case-sensitive match implies the case-insensitive one.
 * - Three kinds: `exact` (the whole value), `base` (a `*\x.exe` pattern: the text after the
 *   value's last backslash), `gram` (one 3-character piece of a literal part of a wildcard
 *   pattern: a value matching the pattern contains the literal, so contains the piece).
 * - Event values longer than MAX_GRAM_VALUE skip the trigram lookup and admit every gram-keyed
 *   rule of that field, so a 1 MB command line costs no more than a short one.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { EventView, Leaf, Predicate } from "../predicate/index.ts"
import { isLeaf } from "../predicate/types.ts"

export type KeyKind = "exact" | "base" | "gram"
/** One cheap test; `leaf` and `at` say where it came from (the leaf id, the index of its value). */
export type KeyAtom = { field: string; dm?: string; kind: KeyKind; value: string; leaf?: number; at?: number }

const KIND_BITS: Record<KeyKind, number> = { exact: 0, base: 1, gram: 2 }
/** The index key of a field (interned id) and atom kind. */
export const keySlot = (fieldId: number, kind: KeyKind): number => fieldId * 4 + KIND_BITS[kind]
const slotField = (slot: number): number => slot >> 2
const slotKind = (slot: number): number => slot & 3

export const MAX_GRAM_VALUE = 4096

/** Fields whose values say little about a rule (constants the event builder fills in). */
const WEAK_FIELDS = new Set(["action", "vendor_product", "EventCode", "EventID", "Channel", "Provider_Name"])

/**
 * Trigrams frequent in ordinary Windows command lines and paths: a poor key, since most events
 * carry them. Chosen from everyday text, not from the rules.
 */
const COMMON = new Set(
  (
    "c:\\windows\\system32\\ c:\\program files (x86)\\ \\appdata\\local\\ \\users\\ .exe .dll .ps1 .bat .cmd " +
    "powershell.exe cmd.exe /c -command -file http:// https:// \\temp\\ rundll32 regsvr32 \\microsoft\\ windows "
  )
    .split("")
    .map((_, i, a) => a.slice(i, i + 3).join(""))
    .filter((t) => t.length === 3),
)

/** The least common trigram of the longest literal part of a lower-cased `*` pattern. */
function bestGram(pattern: string): string | undefined {
  const parts = pattern.split("*").filter((p) => p.length >= 3)
  if (parts.length === 0) return undefined
  let best: string | undefined
  let bestScore = Infinity
  for (const part of parts) {
    for (let i = 0; i + 3 <= part.length; i++) {
      const g = part.slice(i, i + 3)
      const score =
        (COMMON.has(g) ? 100 : 0) + (/[a-z0-9]/.test(g) ? 0 : 10) + (g.includes(" ") ? 5 : 0) - part.length / 100
      if (score < bestScore) {
        bestScore = score
        best = g
      }
    }
  }
  return best
}

/** The atom for one lower-cased search-language pattern, if any. */
function patternAtom(pattern: string): { kind: KeyKind; value: string } | undefined {
  if (!pattern.includes("*")) return { kind: "exact", value: pattern }
  if (pattern.startsWith("*\\")) {
    const rest = pattern.slice(2)
    if (rest !== "" && !rest.includes("*") && !rest.includes("\\")) return { kind: "base", value: rest }
  }
  const g = bestGram(pattern)
  return g === undefined ? undefined : { kind: "gram", value: g }
}

/** The atoms of one leaf: one of them holds whenever the leaf holds (undefined: no such atoms). */
export function leafAtoms(p: Leaf, unsupported: ReadonlySet<number>): KeyAtom[] | undefined {
  if (p.derived || p.meta || p.fill !== undefined || unsupported.has(p.id)) return undefined
  const atoms = (field: string, patterns: string[]): KeyAtom[] | undefined => {
    const out: KeyAtom[] = []
    for (let at = 0; at < patterns.length; at++) {
      const a = patternAtom(patterns[at]!.toLowerCase())
      if (!a) return undefined
      out.push({ field, ...(p.dm === undefined ? {} : { dm: p.dm }), ...a, leaf: p.id, at })
    }
    return out
  }
  if (p.op === "cmp" && p.lang === "search" && p.cmpOp === "=" && !p.fn) return atoms(p.field, [p.value])
  if (p.op === "in" && p.lang === "search" && !p.fn && p.values.length > 0) return atoms(p.field, p.values)
  return undefined
}

/**
 * The atoms of a leaf, rebuilt without choosing trigrams again: `gram` gives, in order, the
 * trigram chosen for each value that takes one (the one costly choice of `leafAtoms`); `emit`
 * gets each atom's kind and value in order. False when the leaf gives no atoms this way or a
 * trigram is missing (atoms emitted before then are to be dropped).
 */
export function eachAtomAt(
  p: Leaf,
  gram: () => string | undefined,
  emit: (kind: KeyKind, value: string) => void,
): boolean {
  if (p.op !== "cmp" && p.op !== "in") return false
  const n = p.op === "cmp" ? 1 : p.values.length
  for (let at = 0; at < n; at++) {
    const pattern = (p.op === "cmp" ? p.value : p.values[at]!).toLowerCase()
    if (!pattern.includes("*")) emit("exact", pattern)
    else if (
      pattern.startsWith("*\\") &&
      pattern.length > 2 &&
      pattern.indexOf("*", 2) < 0 &&
      pattern.indexOf("\\", 2) < 0
    )
      emit("base", pattern.slice(2))
    else {
      const g = gram()
      if (g === undefined) return false
      emit("gram", g)
    }
  }
  return true
}

/** The atoms of a leaf rebuilt as `eachAtomAt` does; undefined when it gives none. */
export function atomsAt(p: Leaf, gram: () => string | undefined): KeyAtom[] | undefined {
  if (!("field" in p)) return undefined
  const out: KeyAtom[] = []
  let at = 0
  const ok = eachAtomAt(p, gram, (kind, value) =>
    out.push({ field: p.field, ...(p.dm === undefined ? {} : { dm: p.dm }), kind, value, leaf: p.id, at: at++ }),
  )
  return ok ? out : undefined
}

/** How many rules of a catalog test each atom (see atomFrequencies); a proxy for how often events carry it. */
export type AtomFrequency = ReadonlyMap<string, number>

const atomId = (a: KeyAtom): string => `${a.field}\u0000${a.kind}\u0000${a.value}`

/**
 * For each atom, the number of rules with a leaf giving it. A value many rules test
 * (`powershell.exe`, `cmd.exe`) is one many events carry: keying 200 rules on it makes every
 * PowerShell event evaluate all 200.
 */
export function atomFrequencies(
  rules: ReadonlyArray<{ leaves: Iterable<Leaf>; unsupported: ReadonlySet<number> }>,
): AtomFrequency {
  const freq = new Map<string, number>()
  for (const r of rules) {
    const seen = new Set<string>()
    for (const leaf of r.leaves) for (const a of leafAtoms(leaf, r.unsupported) ?? []) seen.add(atomId(a))
    for (const id of seen) freq.set(id, (freq.get(id) ?? 0) + 1)
  }
  return freq
}

/**
 * Lower is better: weak fields last; then, per atom, trigrams (less selective) above whole values
 * and basenames, plus how many rules share the atom (with frequencies): a clause of rare values
 * admits the rule for fewer events than one of common ones.
 */
function clauseCost(c: KeyAtom[], freq: AtomFrequency | undefined): number {
  let cost = 0
  for (const a of c) {
    if (WEAK_FIELDS.has(a.field)) cost += 1000
    else cost += (a.kind === "gram" ? 3 : 1) + (freq ? (freq.get(atomId(a)) ?? 0) / 5 : 0)
  }
  return cost
}

/**
 * The key clause of a predicate (see the invariants), or undefined when it has none. `more`
 * gives atoms for leaves `leafAtoms` gives none for (the hunt keys regular expressions by their
 * required text); it must keep the same soundness: one of its atoms holds whenever the leaf is
 * not false.
 */
export function keyClause(
  p: Predicate,
  unsupported: ReadonlySet<number>,
  freq?: AtomFrequency,
  more?: (leaf: Leaf) => KeyAtom[] | undefined,
): KeyAtom[] | undefined {
  if (isLeaf(p)) return leafAtoms(p, unsupported) ?? more?.(p)
  if (p.op === "and") {
    let best: KeyAtom[] | undefined
    let bestCost = Infinity
    for (const a of p.args) {
      const k = keyClause(a, unsupported, freq, more)
      if (!k) continue
      const cost = clauseCost(k, freq)
      if (cost < bestCost) {
        best = k
        bestCost = cost
      }
    }
    return best
  }
  if (p.op === "or") {
    const out: KeyAtom[] = []
    for (const a of p.args) {
      const k = keyClause(a, unsupported, freq, more)
      if (!k) return undefined
      out.push(...k)
    }
    return out
  }
  return undefined
}

/**
 * slot → value → rule numbers; and, made on first use, event key → the slots that read it (a
 * data-model field is read under its bare and its prefixed name), so a lookup visits only the
 * fields an event carries instead of every indexed field.
 */
export type KeyIndex = { slots: Map<number, Map<string, number[]>>; byEventKey?: Map<string, number[]> }

/** Builds the index from each rule's key (atoms already interned to slots). */
export function buildKeyIndex(
  keys: ReadonlyArray<ReadonlyArray<{ slot: number; value: string }> | undefined>,
): KeyIndex {
  const index: KeyIndex = { slots: new Map() }
  keys.forEach((key, rule) => {
    for (const a of key ?? []) {
      let byValue = index.slots.get(a.slot)
      if (!byValue) index.slots.set(a.slot, (byValue = new Map()))
      const rules = byValue.get(a.value)
      if (!rules) byValue.set(a.value, [rule])
      else if (rules[rules.length - 1] !== rule) rules.push(rule)
    }
  })
  return index
}

const mark = (hit: Uint8Array, rules: number[] | undefined): void => {
  if (rules) for (const r of rules) hit[r] = 1
}

/** Marks (1) the rules one of whose key atoms holds on this view. */
export function keyHits(
  index: KeyIndex,
  fields: ReadonlyArray<{ field: string; dm?: string; slot: number }>,
  ruleCount: number,
  view: EventView,
): Uint8Array {
  const hit = new Uint8Array(ruleCount)
  let byEventKey = index.byEventKey
  if (!byEventKey) {
    byEventKey = new Map()
    for (const slot of index.slots.keys()) {
      const f = fields[slotField(slot)]!
      for (const name of f.dm === undefined ? [f.field] : [f.field, `${f.dm}.${f.field}`]) {
        const list = byEventKey.get(name)
        if (list) list.push(slot)
        else byEventKey.set(name, [slot])
      }
    }
    index.byEventKey = byEventKey
  }
  const seen = new Set<number>()
  for (const name of Object.keys(view.event)) {
    const slots = byEventKey.get(name)
    if (slots)
      for (const slot of slots)
        if (!seen.has(slot)) {
          seen.add(slot)
          visitSlot(hit, slot, index.slots.get(slot)!, view.lowerAt(fields[slotField(slot)]!.slot))
        }
  }
  return hit
}

/** Marks the rules of one slot whose atom one of the (lower-cased) values satisfies. */
function visitSlot(hit: Uint8Array, slot: number, byValue: Map<string, number[]>, vals: string[] | undefined): void {
  if (vals === undefined) return
  const kind = slotKind(slot)
  for (const v of vals) {
    if (kind === 0) mark(hit, byValue.get(v))
    else if (kind === 1) mark(hit, byValue.get(v.slice(v.lastIndexOf("\\") + 1)))
    else if (v.length > MAX_GRAM_VALUE) for (const rules of byValue.values()) mark(hit, rules)
    else for (let i = 0; i + 3 <= v.length; i++) mark(hit, byValue.get(v.slice(i, i + 3)))
  }
}
