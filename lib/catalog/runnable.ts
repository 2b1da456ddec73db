/**
 * "What can I run?": which rules a set of collected data sources lets you run.
 *
 * Semantics: a rule's `data_source` list names ALTERNATIVE sources for the same
 * events (security_content writes e.g. Sysmon EventID 1, Security 4688, CrowdStrike ProcessRollup2
 * for one process-creation search), so a rule is runnable when ANY one of its entries is collected.
 * An entry written "A AND B" is one alternative whose names are required together. A rule with no
 * data source has unknown requirements and is listed apart, neither runnable nor blocked.
 *
 * Owns: the compact props of the /coverage/ island, the runnable / blocked split, the `?ds=` query
 * and the technique coverage of the runnable rules.
 * Invariants: pure; rules refer to sources by their position in the `sources` list.
 * Never imports: React, Next, Node built-ins, the YAML parser (this file ships to the browser).
 */

/** A data source the user can tick. `key` is the data source slug (a name slug when unresolved). */
export interface RunnableSource {
  key: string
  name: string
  provider: string
  event: string
  title: string
  resolved: boolean
}

/** A rule as the island receives it. */
export interface RunnableRule {
  name: string
  slug: string
  format: string
  type: string
  /** Alternatives; each is an AND-group of source positions. Empty: unknown requirements. */
  needs: number[][]
  techniques: string[]
}

export interface RunnableResult {
  runnable: number[]
  /** Rules with requirements none of which is met, with each alternative's missing sources. */
  blocked: Array<{ rule: number; missing: number[][] }>
  unknown: number[]
}

/** Splits rules into runnable, blocked (with what each alternative lacks) and unknown requirements. */
export function runnableRules(rules: readonly RunnableRule[], collected: ReadonlySet<number>): RunnableResult {
  const result: RunnableResult = { runnable: [], blocked: [], unknown: [] }
  rules.forEach((r, i) => {
    if (r.needs.length === 0) result.unknown.push(i)
    else if (r.needs.some((g) => g.every((s) => collected.has(s)))) result.runnable.push(i)
    else result.blocked.push({ rule: i, missing: r.needs.map((g) => g.filter((s) => !collected.has(s))) })
  })
  return result
}

/** The collected sources named by a `?ds=slug1,slug2` value; unknown keys are ignored. */
export function parseSelection(value: string | undefined, sources: readonly RunnableSource[]): Set<number> {
  const at = new Map(sources.map((s, i) => [s.key, i]))
  const out = new Set<number>()
  for (const k of (value ?? "").split(",")) {
    const i = at.get(k.trim())
    if (i !== undefined) out.add(i)
  }
  return out
}

/** The `ds` query value of a selection, in source order (stable URLs). */
export function selectionQuery(selected: ReadonlySet<number>, sources: readonly RunnableSource[]): string {
  return [...selected]
    .sort((a, b) => a - b)
    .flatMap((i) => (sources[i] ? [sources[i].key] : []))
    .join(",")
}

/** Technique id → the given rules mapping it. */
export function techniqueRules(rules: readonly RunnableRule[], which: readonly number[]): Record<string, number[]> {
  const map: Record<string, number[]> = {}
  for (const i of which) for (const t of new Set(rules[i]?.techniques ?? [])) (map[t] ??= []).push(i)
  return map
}

/** Sources grouped by provider, providers and members sorted, optionally filtered by a text query. */
export function groupSources(
  sources: readonly RunnableSource[],
  query = "",
): Array<{ provider: string; sources: number[] }> {
  const q = query.trim().toLowerCase()
  const groups = new Map<string, number[]>()
  sources.forEach((s, i) => {
    if (q && !`${s.name} ${s.provider} ${s.event} ${s.title}`.toLowerCase().includes(q)) return
    const list = groups.get(s.provider)
    if (list) list.push(i)
    else groups.set(s.provider, [i])
  })
  return [...groups.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([provider, list]) => ({
      provider,
      sources: list.sort((a, b) => (sources[a]?.name ?? "").localeCompare(sources[b]?.name ?? "")),
    }))
}
