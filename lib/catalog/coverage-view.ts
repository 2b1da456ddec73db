/**
 * Data views behind /events/, /coverage/ and the technique part of /data-sources/<slug>/.
 *
 * Owns: the event coverage table of the whole catalog (one row per data source rules read, with
 * rule counts; unresolved names kept), the compact props of the "What can I run?" island (rule
 * requirements as the loader's AND-groups), and the techniques a data
 * source's rules cover.
 * Invariants: pure; rule numbers in the island props are positions in `catalog.detections`.
 * Never imports: React, Next, Node built-ins.
 */
import { compareIds, tacticsInOrder, type AttackIndex } from "../attack/model.ts"
import { buildNavigatorLayer, type NavigatorLayer } from "../attack/navigator.ts"
import { formatLabel } from "../formats/registry.ts"
import type { RunnableRule, RunnableSource } from "./runnable.ts"
import type { DataSource, Detection } from "./types.ts"
import { nameSlug } from "./util.ts"
import { rulePath, type CatalogIndex } from "./views.ts"

export interface EventRow {
  provider: string
  event: string
  title: string
  dataSource: string
  slug: string
  rules: number
}

/** Every provider / event / title the rules need, with rule counts, most-used first within a provider. */
export function eventRows(index: CatalogIndex): {
  rows: EventRow[]
  unresolved: Array<{ name: string; rules: number }>
} {
  const rows: EventRow[] = []
  for (const [name, rules] of index.rulesByDataSource) {
    const ds = index.dataSourceByName.get(name)
    if (ds) rows.push({ ...ds.coverage, dataSource: ds.name, slug: ds.slug, rules: rules.length })
  }
  rows.sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) ||
      b.rules - a.rules ||
      a.event.localeCompare(b.event, undefined, { numeric: true }),
  )
  const unresolved = index.catalog.unresolvedDataSources
    .map((u) => ({ name: u.name, rules: u.detections.length }))
    .sort((a, b) => b.rules - a.rules || a.name.localeCompare(b.name))
  return { rows, unresolved }
}

export interface RunnableData {
  attackVersion: string
  sources: RunnableSource[]
  rules: RunnableRule[]
  tactics: Array<{ shortname: string; name: string }>
  /** Technique id → name and tactic shortnames, for the ids rules map to. */
  techniques: Record<string, { name: string; tactics: string[] }>
}

/** Compact props of the "What can I run?" island. */
export function runnableData(attack: AttackIndex, index: CatalogIndex): RunnableData {
  const sources: RunnableSource[] = index.catalog.dataSources.map((ds) => ({
    key: ds.slug,
    name: ds.name,
    ...pick(ds),
    resolved: true,
  }))
  const at = new Map(sources.map((s, i) => [s.name, i]))
  for (const u of index.catalog.unresolvedDataSources) {
    at.set(u.name, sources.length)
    sources.push({
      key: nameSlug(u.name),
      name: u.name,
      provider: "Unresolved names",
      event: "",
      title: "no data source file defines this name",
      resolved: false,
    })
  }
  const techniques: RunnableData["techniques"] = {}
  const rules = index.catalog.detections.map((d) => {
    for (const a of d.attack) techniques[a.id] ??= { name: a.name ?? a.id, tactics: a.tactics }
    const groups = d.dataSourceGroups ?? d.dataSources.map((n) => [n])
    return {
      name: d.name,
      slug: d.slug,
      format: d.format,
      type: d.type,
      needs: groups.map((g) => g.flatMap((n) => (at.has(n) ? [at.get(n) as number] : []))).filter((g) => g.length > 0),
      techniques: d.attack.map((a) => a.id),
    }
  })
  return {
    attackVersion: attack.data.version,
    sources,
    rules,
    tactics: tacticsInOrder(attack).map((t) => ({ shortname: t.shortname, name: t.name })),
    techniques,
  }
}

function pick(ds: DataSource): Pick<RunnableSource, "provider" | "event" | "title"> {
  return { provider: ds.coverage.provider, event: ds.coverage.event, title: ds.coverage.title }
}

export interface RuleSetTechnique {
  id: string
  name: string
  rules: number
}

/** What a set of rules covers: techniques by id, the same per tactic in matrix order, and a Navigator layer. */
export interface RuleSetCoverage {
  techniques: RuleSetTechnique[]
  /** Tactics (matrix order) with at least one covered technique; a technique under each of its tactics. */
  columns: Array<{ shortname: string; name: string; techniques: RuleSetTechnique[] }>
  layer: NavigatorLayer
}

/**
 * The techniques a set of rules (a story's, a data source's) maps to, as a list, as matrix
 * columns for a mini matrix, and as an ATT&CK Navigator layer (score = number of rules).
 * Ids ATT&CK does not know stay in `techniques` and the layer, and are absent from `columns`.
 */
export function ruleSetCoverage(
  attack: AttackIndex,
  rules: readonly Detection[],
  layer: { name: string; description: string },
): RuleSetCoverage {
  const byId = new Map<string, { name: string; tactics: string[]; rules: Array<{ name: string; url: string }> }>()
  for (const d of rules) {
    for (const a of d.attack) {
      const e = byId.get(a.id) ?? { name: a.name ?? a.id, tactics: a.tactics, rules: [] }
      if (!e.rules.some((r) => r.url === rulePath(d))) e.rules.push({ name: d.name, url: rulePath(d) })
      byId.set(a.id, e)
    }
  }
  const ids = [...byId.keys()].sort(compareIds)
  const techniques = ids.map((id) => ({ id, name: byId.get(id)!.name, rules: byId.get(id)!.rules.length }))
  const columns = tacticsInOrder(attack)
    .map((t) => ({
      shortname: t.shortname,
      name: t.name,
      techniques: techniques.filter((x) => byId.get(x.id)!.tactics.includes(t.shortname)),
    }))
    .filter((c) => c.techniques.length > 0)
  return {
    techniques,
    columns,
    layer: buildNavigatorLayer({
      name: layer.name,
      description: layer.description,
      attackVersion: attack.data.version,
      techniques: Object.fromEntries(ids.map((id) => [id, byId.get(id)!.rules])),
    }),
  }
}

/** Techniques covered by the rules of an analytic story, with the layer of those rules. */
export function storyTechniques(attack: AttackIndex, index: CatalogIndex, story: { name: string }): RuleSetCoverage {
  return ruleSetCoverage(attack, index.rulesByStory.get(story.name) ?? [], {
    name: `Detection Atlas: ${story.name}`,
    description: `Techniques covered by the rules of the analytic story ${story.name}. Score = number of rules.`,
  })
}

/** Techniques covered by the rules reading a data source, with the layer of those rules. */
export function dataSourceTechniques(attack: AttackIndex, index: CatalogIndex, ds: DataSource): RuleSetCoverage {
  return ruleSetCoverage(attack, index.rulesByDataSource.get(ds.name) ?? [], {
    name: `Detection Atlas: ${ds.name}`,
    description: `Techniques covered by the rules of the catalog that read ${ds.name}. Score = number of rules.`,
  })
}

/** Rules that name no data source the catalog defines, grouped by the log source they do name. */
export interface UnnamedSourceGroup {
  /** What the rules name, as written: `Sigma logsource: linux / process_creation`. */
  label: string
  /** Rule numbers (positions in `catalog.detections`, as in RunnableData.rules). */
  rules: number[]
}

/**
 * For the rules of "What can I run?" whose needs are unknown (they name no data source the catalog
 * defines), the log source each names instead, grouped, biggest group first: a Sigma rule's
 * `logsource` (product / category / service), an Elastic rule's `Data Source:` tags, else its
 * integrations, else its index patterns, a Splunk search's data model or sourcetype. Only what the
 * rule itself writes is used: nothing is mapped to a data source the rule does not name. Rules
 * naming nothing at all form the last group.
 */
export function unnamedSourceGroups(index: CatalogIndex, unknown: readonly number[]): UnnamedSourceGroup[] {
  const groups = new Map<string, number[]>()
  for (const i of unknown) {
    const d = index.catalog.detections[i]
    if (!d) continue
    const label = namedLogSource(d, index.indicators.logSources[i] ?? [])
    const list = groups.get(label)
    if (list) list.push(i)
    else groups.set(label, [i])
  }
  return [...groups]
    .map(([label, rules]) => ({ label, rules }))
    .sort(
      (a, b) =>
        Number(a.label === NAMES_NONE) - Number(b.label === NAMES_NONE) ||
        b.rules.length - a.rules.length ||
        a.label.localeCompare(b.label),
    )
}

const NAMES_NONE = "names no log source either"

/** The log source a rule names, as written (see unnamedSourceGroups). */
function namedLogSource(d: Detection, logSourceTests: readonly string[]): string {
  // The formats' details are read by shape, not imported: lib/catalog stays below lib/formats.
  const detail = d.analysis?.detail as
    | {
        format: string
        logsource?: { product?: string; category?: string; service?: string }
        rule?: { integrations?: string[]; index?: string[] }
      }
    | undefined
  const ls = detail?.logsource
  if (ls) {
    const parts = [ls.product, ls.category, ls.service].filter((x): x is string => !!x)
    if (parts.length > 0) return `Sigma logsource: ${parts.join(" / ")}`
  }
  if (detail?.rule) {
    if (d.dataSources.length > 0) return `Elastic "Data Source" tag: ${d.dataSources.join(" + ")}`
    const ints = detail.rule.integrations ?? []
    if (ints.length > 0) return `Elastic integration: ${ints.join(" + ")}`
    const idx = detail.rule.index ?? []
    if (idx.length > 0) return `Elastic index: ${idx.join(", ")}`
  }
  const model = /\bdatamodel\s*[=:]?\s*"?([A-Za-z_]+)(?:\.([A-Za-z_]+))?/.exec(d.search)
  if (model?.[1]) return `Splunk data model: ${model[1]}${model[2] ? `.${model[2]}` : ""}`
  const sourcetype = logSourceTests.find((t) => /^sourcetype[=\s]/i.test(t))
  if (sourcetype) return `Splunk sourcetype: ${sourcetype.replace(/^sourcetype\s*=?\s*/i, "")}`
  const other = logSourceTests.find((t) => !t.startsWith("NOT "))
  if (other) return `${formatLabel(d.format)} search on: ${other}`
  return NAMES_NONE
}
