/**
 * What the search knows per rule: the records `/search-index.json` carries (packed), which the
 * browser filters, facets, ranks, searches and shows snippets from.
 *
 * Owns: the records (`SearchRecords`), their derivation from a catalog, and their shipped form
 * (`PackedRecords`: packRecords / unpackRecords, exact inverses).
 * Invariants: format-agnostic (reads `Detection` fields only); rule numbers are positions in
 * `rules`; indicators are shared catalog-wide (rules hold indexes into `indicators`), so a value
 * is stored once however many rules test it. Pure: no I/O.
 * Never imports: React, Next, Node built-ins.
 */
import type { IndicatorTable } from "../catalog/indicators.ts"
import type { Detection } from "../catalog/types.ts"

/** One rule as the search sees it. */
export interface SearchRule {
  /** Rule id (uuid as written). */
  id: string
  name: string
  format: Detection["format"]
  /** URL segment: the page is `/rules/<format>/<slug>/`. */
  slug: string
  type: string
  status: string
  /** Security domain; empty when the rule has none. */
  domain: string
  author: string
  /** File path, prefixed with its content root label. */
  path: string
  description: string
  /** ATT&CK technique ids, upper-case, as mapped. */
  techniques: string[]
  /** Tactic shortnames of those techniques, each once. */
  tactics: string[]
  dataSources: string[]
  macros: string[]
  stories: string[]
  /** Indexes into `SearchData.indicators`, in predicate order. */
  indicators: number[]
}

/** One indicator of the catalog: [field, kind, value] (kind `not-`-prefixed when negated). */
export type SearchIndicator = [field: string, kind: string, value: string]

/** The records half of `/search-index.json`. */
export interface SearchRecords {
  rules: SearchRule[]
  indicators: SearchIndicator[]
  /** Technique id → name, for every technique a rule maps to (names are searched and shown). */
  techniqueNames: Record<string, string>
}

/** Records for every detection; `table` is the catalog's indicator table over the same array. */
export function searchRecords(detections: Detection[], table: IndicatorTable): SearchRecords {
  const techniqueNames: Record<string, string> = {}
  const rules = detections.map((d, r): SearchRule => {
    for (const a of d.attack) if (a.name) techniqueNames[a.id] = a.name
    return {
      id: d.id,
      name: d.name,
      format: d.format,
      slug: d.slug,
      type: d.type,
      status: d.status,
      domain: d.securityDomain ?? "",
      author: d.author,
      // Relative to the content root, as the rule page shows it: never the build machine's folders.
      path: d.source?.rel ?? d.path,
      description: d.description,
      techniques: d.attack.map((a) => a.id),
      tactics: [...new Set(d.attack.flatMap((a) => a.tactics))],
      dataSources: d.dataSources,
      macros: d.macros,
      stories: d.stories,
      indicators: table.raw.byRule[r] ?? [],
    }
  })
  const indicators = table.raw.entries.map((e): SearchIndicator => [e.field, e.kind, e.value])
  return { rules, indicators, techniqueNames }
}

/**
 * The records as shipped: columns instead of objects, repeated strings (authors, folders, data
 * sources, macros, stories, tactics, indicator fields and kinds, indicator values) interned into
 * tables referenced by number, file paths derived from the slug where they follow it, and number
 * lists delta-coded. Each fact once, in a form gzip shrinks well; unpackRecords restores
 * SearchRecords exactly.
 */
export interface PackedRecords {
  tables: Record<PackedTable, string[]>
  /** [id, name] of every technique a rule maps to. */
  techniques: Array<[id: string, name: string]>
  rules: {
    /** Empty when the ids are shipped apart (SearchData.idsApart). */
    id: string[]
    name: string[]
    /** 0 where the slug is the name's words joined by `-` (slugOfName). */
    slug: Array<string | 0>
    description: string[]
    format: number[]
    type: number[]
    status: number[]
    domain: number[]
    author: number[]
    /** Folder of the file (`tables.dirs`); -1 for a bare file name. */
    dir: number[]
    /** File name, or for `<slug with "_" for "-"><extension>` the extension's number in `tables.exts`. */
    file: Array<string | number>
    techniques: number[][]
    tactics: number[][]
    sources: number[][]
    macros: number[][]
    stories: number[][]
    /** Indicator numbers, each the difference from the one before (across rules). */
    indicators: number[][]
  }
  /** Indicator columns: field and kind into `tables`, value (delta-coded) into `values`. */
  indicators: { field: number[]; kind: number[]; value: number[] }
  values: string[]
}

type PackedTable =
  | "formats"
  | "types"
  | "statuses"
  | "domains"
  | "authors"
  | "dirs"
  | "tactics"
  | "sources"
  | "macros"
  | "stories"
  | "fields"
  | "kinds"
  | "exts"

/** Strings numbered in order of first use. */
class Interner {
  readonly values: string[] = []
  private readonly number = new Map<string, number>()
  of(v: string): number {
    let n = this.number.get(v)
    if (n === undefined) {
      n = this.values.length
      this.number.set(v, n)
      this.values.push(v)
    }
    return n
  }
}

/** The name's letters and digits, lower-cased, in runs joined by `-`: the slug of most rules named by file after their title. */
function slugOfName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
}

/** The file name a slug comes from, when the file is named like the slug (extension apart). */
function slugStem(slug: string): string {
  return slug.replaceAll("-", "_")
}

/** The shipped form of `records` (see PackedRecords). */
export function packRecords(records: SearchRecords): PackedRecords {
  const t = Object.fromEntries(
    (
      [
        "formats",
        "types",
        "statuses",
        "domains",
        "authors",
        "dirs",
        "tactics",
        "sources",
        "macros",
        "stories",
        "fields",
        "kinds",
        "exts",
      ] as const
    ).map((k) => [k, new Interner()]),
  ) as Record<PackedTable, Interner>
  const techniques = new Interner()
  // Indicators renumbered in order of first use, so a rule's new indicators count up by one.
  const order: number[] = []
  const renumber = new Map<number, number>()
  for (const rule of records.rules) {
    for (const i of rule.indicators) {
      if (!renumber.has(i)) {
        renumber.set(i, order.length)
        order.push(i)
      }
    }
  }
  records.indicators.forEach((_, i) => {
    if (!renumber.has(i)) {
      renumber.set(i, order.length)
      order.push(i)
    }
  })
  const rules: PackedRecords["rules"] = {
    id: [],
    name: [],
    slug: [],
    description: [],
    format: [],
    type: [],
    status: [],
    domain: [],
    author: [],
    dir: [],
    file: [],
    techniques: [],
    tactics: [],
    sources: [],
    macros: [],
    stories: [],
    indicators: [],
  }
  let prev = 0
  for (const r of records.rules) {
    const slash = r.path.lastIndexOf("/")
    const file = r.path.slice(slash + 1)
    rules.id.push(r.id)
    rules.name.push(r.name)
    rules.slug.push(r.slug !== "" && r.slug === slugOfName(r.name) ? 0 : r.slug)
    rules.description.push(r.description)
    rules.format.push(t.formats.of(r.format))
    rules.type.push(t.types.of(r.type))
    rules.status.push(t.statuses.of(r.status))
    rules.domain.push(t.domains.of(r.domain))
    rules.author.push(t.authors.of(r.author))
    rules.dir.push(slash < 0 ? -1 : t.dirs.of(r.path.slice(0, slash)))
    const dot = file.lastIndexOf(".")
    const named = slash >= 0 && dot > 0 && file.slice(0, dot) === slugStem(r.slug)
    rules.file.push(named ? t.exts.of(file.slice(dot)) : file)
    rules.techniques.push(r.techniques.map((x) => techniques.of(x)))
    rules.tactics.push(r.tactics.map((x) => t.tactics.of(x)))
    rules.sources.push(r.dataSources.map((x) => t.sources.of(x)))
    rules.macros.push(r.macros.map((x) => t.macros.of(x)))
    rules.stories.push(r.stories.map((x) => t.stories.of(x)))
    rules.indicators.push(
      r.indicators.map((i) => {
        const n = renumber.get(i) ?? 0
        const d = n - prev
        prev = n
        return d
      }),
    )
  }
  const values = new Interner()
  const indicators: PackedRecords["indicators"] = { field: [], kind: [], value: [] }
  let prevValue = 0
  for (const i of order) {
    const [field, kind, value] = records.indicators[i] as SearchIndicator
    indicators.field.push(t.fields.of(field))
    indicators.kind.push(t.kinds.of(kind))
    const v = values.of(value)
    indicators.value.push(v - prevValue)
    prevValue = v
  }
  return {
    tables: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.values])) as Record<PackedTable, string[]>,
    techniques: techniques.values.map((id) => [id, records.techniqueNames[id] ?? ""]),
    rules,
    indicators,
    values: values.values,
  }
}

/** SearchRecords back from their shipped form. */
export function unpackRecords(p: PackedRecords): SearchRecords {
  const { tables: t, rules: c } = p
  const at = (table: string[], n: number | undefined) => table[n ?? -1] ?? ""
  const techniqueIds = p.techniques.map(([id]) => id)
  let prev = 0
  const rules = c.name.map((name, r): SearchRule => {
    const dir = c.dir[r] === -1 ? undefined : at(t.dirs, c.dir[r])
    const packedSlug = c.slug[r] ?? ""
    const slug = packedSlug === 0 ? slugOfName(name) : packedSlug
    const f = c.file[r] ?? ""
    const file = typeof f === "number" ? `${slugStem(slug)}${at(t.exts, f)}` : f
    return {
      id: c.id[r] ?? "",
      name,
      format: at(t.formats, c.format[r]) as Detection["format"],
      slug,
      type: at(t.types, c.type[r]),
      status: at(t.statuses, c.status[r]),
      domain: at(t.domains, c.domain[r]),
      author: at(t.authors, c.author[r]),
      path: dir === undefined ? file : `${dir}/${file}`,
      description: c.description[r] ?? "",
      techniques: (c.techniques[r] ?? []).map((n) => at(techniqueIds, n)),
      tactics: (c.tactics[r] ?? []).map((n) => at(t.tactics, n)),
      dataSources: (c.sources[r] ?? []).map((n) => at(t.sources, n)),
      macros: (c.macros[r] ?? []).map((n) => at(t.macros, n)),
      stories: (c.stories[r] ?? []).map((n) => at(t.stories, n)),
      indicators: (c.indicators[r] ?? []).map((d) => (prev += d)),
    }
  })
  let value = 0
  const indicators = p.indicators.field.map((f, i): SearchIndicator => {
    value += p.indicators.value[i] ?? 0
    return [at(t.fields, f), at(t.kinds, p.indicators.kind[i]), at(p.values, value)]
  })
  const techniqueNames: Record<string, string> = {}
  for (const [id, name] of p.techniques) if (name) techniqueNames[id] = name
  return { rules, indicators, techniqueNames }
}
