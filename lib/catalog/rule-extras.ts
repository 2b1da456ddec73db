/**
 * What a rule page shows about a rule beyond its own fields: the event fields it needs, the rules
 * of other formats that cover the same technique with a shared indicator value, and the name its
 * YAML download carries.
 *
 * Owns: the required-fields list (every field the rule's predicate reads, the declared
 * `required_fields` of older Splunk rules when present), the cross-format matching rule, the
 * download file name.
 * Invariants: pure; cross-format lookups index the catalog once (cached per index).
 * Never imports: React, Next, Node built-ins.
 */
import type { Predicate } from "../predicate/types.ts"
import { isLeaf } from "../predicate/types.ts"
import { rulePath, type CatalogIndex } from "./views.ts"
import type { Detection } from "./types.ts"

/** Every event field a predicate reads (both sides of a field-to-field comparison), sorted. */
export function predicateFields(p: Predicate | undefined): string[] {
  const out = new Set<string>()
  const walk = (q: Predicate) => {
    if (q.op === "and" || q.op === "or" || q.op === "xor") q.args.forEach(walk)
    else if (q.op === "not") walk(q.arg)
    else if (isLeaf(q)) {
      if ("field" in q && q.field) out.add(q.field)
      if (q.op === "fieldcmp" && q.other) out.add(q.other)
    }
  }
  if (p) walk(p)
  return [...out].sort((a, b) => a.localeCompare(b))
}

/** The fields a rule needs: those its predicate reads, plus any the YAML declares. */
export function requiredFields(d: Detection): { read: string[]; declared: string[] } {
  const read = predicateFields(d.analysis?.predicate)
  const declared = declaredRequiredFields(d.raw)
  return { read, declared }
}

/** `required_fields:` of an older Splunk rule (under `tags:`), read from the file as written. */
export function declaredRequiredFields(raw: string): string[] {
  const m = /^[ \t]*required_fields:[ \t]*\n((?:[ \t]*-[ \t]*.+\n?)+)/m.exec(raw)
  if (!m?.[1]) return []
  return m[1]
    .split("\n")
    .map((l) =>
      l
        .replace(/^[ \t]*-[ \t]*/, "")
        .replace(/^(['"])(.*)\1$/, "$2")
        .trim(),
    )
    .filter(Boolean)
}

/**
 * An indicator value reduced for comparing across formats, which name fields differently
 * (`process_name=wmic.exe`, Sigma `Image|endswith: '\wmic.exe'`): lower case, wildcards and a
 * leading path separator dropped. Values shorter than 4 characters say too little to link rules.
 */
export function sharedValueKey(value: string): string | undefined {
  const v = value
    .toLowerCase()
    .replace(/\*/g, "")
    .replace(/^[\\/]+/, "")
    .trim()
  return v.length >= 4 ? v : undefined
}

/** The technique a mapping belongs to, sub-techniques folded into their parent (T1059.001 → T1059). */
function baseTechnique(id: string): string {
  return id.split(".")[0] ?? id
}

export interface CrossFormatRule {
  format: Detection["format"]
  name: string
  href: string
  /** Techniques (parent level) both rules cover. */
  techniques: string[]
  /** Indicator values both rules test (as this rule writes them). */
  values: string[]
}

const valueIndex = new WeakMap<CatalogIndex, Map<string, number[]>>()

function valuesOf(index: CatalogIndex, at: number): Map<string, string> {
  const out = new Map<string, string>()
  for (const row of index.indicators.byRule[at] ?? []) {
    if (row.kind.startsWith("not-")) continue
    const k = sharedValueKey(row.value)
    if (k && !out.has(k)) out.set(k, row.value)
  }
  return out
}

function byValue(index: CatalogIndex): Map<string, number[]> {
  let m = valueIndex.get(index)
  if (m) return m
  m = new Map()
  index.catalog.detections.forEach((_, i) => {
    for (const k of valuesOf(index, i).keys()) {
      const list = m?.get(k)
      if (list) list.push(i)
      else m?.set(k, [i])
    }
  })
  valueIndex.set(index, m)
  return m
}

/**
 * Rules of another format that cover one of this rule's techniques (parents compared) and test
 * at least one indicator value this rule tests (non-negated, see `sharedValueKey`). Most shared
 * values first, then by name; at most `limit`, with the total.
 */
export function crossFormatRules(
  index: CatalogIndex,
  d: Detection,
  limit = 12,
): { rules: CrossFormatRule[]; total: number } {
  const at = index.rulePosition.get(d)
  if (at === undefined) return { rules: [], total: 0 }
  const mine = new Set(d.attack.map((a) => baseTechnique(a.id)))
  if (mine.size === 0) return { rules: [], total: 0 }
  const dets = index.catalog.detections
  const shared = new Map<number, string[]>()
  const table = byValue(index)
  for (const [k, written] of valuesOf(index, at)) {
    for (const i of table.get(k) ?? []) {
      const other = dets[i]
      if (!other || other.format === d.format) continue
      const list = shared.get(i)
      if (list) list.push(written)
      else shared.set(i, [written])
    }
  }
  const out: CrossFormatRule[] = []
  for (const [i, values] of shared) {
    const other = dets[i]
    if (!other) continue
    const techniques = [...new Set(other.attack.map((a) => baseTechnique(a.id)))].filter((t) => mine.has(t)).sort()
    if (techniques.length === 0) continue
    out.push({ format: other.format, name: other.name, href: rulePath(other), techniques, values })
  }
  out.sort((a, b) => b.values.length - a.values.length || a.name.localeCompare(b.name))
  return { rules: out.slice(0, limit), total: out.length }
}

/** The name of the rule's file download: its own file name when URL-safe, else `rule.<ext>`. */
export function ruleFileName(d: Pick<Detection, "path">): string {
  const base = d.path.split(/[\\/]/).pop() ?? ""
  if (/^[A-Za-z0-9._-]+\.(ya?ml|toml)$/i.test(base)) return base
  return /\.toml$/i.test(base) ? "rule.toml" : "rule.yml"
}
