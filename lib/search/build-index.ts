/**
 * Builds the search payloads: `/search-index.json` (app/search-index.json/route.ts), the packed
 * rule records the browser searches directly (load-index.ts, steps.ts), and `/search-ids.json`
 * (app/search-ids.json/route.ts), the rule ids, fetched only by a query that can match an id, and
 * `/search-values.json` (app/search-values.json/route.ts), the file hashes rules list (a few
 * rules list hundreds), fetched only by a query that can match one.
 *
 * Owns: the payloads' outer shapes (`SearchData`, `SearchIds`, `SearchValues`), their version, and
 * which indicator values go apart.
 * Invariants: no inverted index is shipped: at full scale (both corpora) an exported FlexSearch
 * index alone was 2.3 MiB gzipped, while the texts it is built from pack to under 1 MiB; the
 * browser builds the term index from them (term-index.ts) and keeps it across visits. Ids go apart only when every id is a UUID, which is what lets
 * the browser tell from a query alone whether it needs them (load-index.ts, queryNeedsIds). Hash
 * values go apart with what a query must hold to reach one (ValuesApart): hexadecimal digests do
 * not compress (a sixth of the gzipped index at three formats, for 1% of the rules), and only a
 * query for a hash or an `indicator:`/`field:` filter on them can match them.
 * Pure: no I/O.
 * Never imports: React, Next, Node built-ins.
 */
import type { CatalogIndex } from "../catalog/views.ts"
import { packRecords, searchRecords, type PackedRecords } from "./records.ts"
import { words } from "./term-index.ts"

/** Bumped whenever the payloads change shape. */
export const SEARCH_DATA_VERSION = 3

/** `/search-index.json`. */
export interface SearchData extends PackedRecords {
  version: number
  /**
   * True when the UUID ids are in `/search-ids.json`: `rules.id` is then empty, or holds the ids
   * that are not UUIDs with "" for the others.
   */
  idsApart: boolean
  /** Values left empty in `values`, shipped in `/search-values.json`; absent when none are. */
  valuesApart?: ValuesApart
}

/** Indicator values shipped apart, and what a query must hold to match one of them. */
export interface ValuesApart {
  /** Their positions in `values`, each the difference from the one before. */
  at: number[]
  /** Field names (lower-cased) of the indicators holding them: a `field:` filter on one shows them. */
  fields: string[]
  /** Every character they hold, lower-cased: an `indicator:` filter with another cannot match. */
  chars: string
  /** Their words (term-index.ts words) other than hexadecimal ones, sorted. */
  words: string[]
}

/** `/search-values.json`: the values of ValuesApart.at, in that order. */
export interface SearchValues {
  version: number
  values: string[]
}

/** A hash as rules write it: hexadecimal digest, optionally `SHA256=`-style prefixed. */
const HASH = /^(?:(?:md5|sha1|sha256|sha384|sha512|imphash)=)?[0-9a-f]{32,128}$/i

/**
 * Splits hash values off packed records: a value goes when it is a hash and every indicator
 * holding it tests a field named as a hash (`Hashes`, `file.hash.sha256`), so that `field:` filters
 * on other fields never need them. Returns the values kept (apart ones emptied), the apart ones
 * and their description.
 */
export function splitValues(p: PackedRecords): { values: string[]; apart: string[]; meta?: ValuesApart } {
  const fieldsOf = new Map<number, Set<string>>()
  let v = 0
  p.indicators.value.forEach((d, i) => {
    v += d
    const field = p.tables.fields[p.indicators.field[i] ?? -1] ?? ""
    const set = fieldsOf.get(v) ?? new Set<string>()
    set.add(field)
    fieldsOf.set(v, set)
  })
  const at: number[] = []
  const apart: string[] = []
  const fields = new Set<string>()
  const chars = new Set<string>()
  const wordSet = new Set<string>()
  const values = p.values.map((value, k) => {
    const holders = [...(fieldsOf.get(k) ?? [])]
    if (!HASH.test(value) || holders.length === 0 || !holders.every((f) => /hash/i.test(f))) return value
    at.push(k)
    apart.push(value)
    for (const f of holders) fields.add(f.toLowerCase())
    for (const c of value.toLowerCase()) chars.add(c)
    for (const w of words(value)) if (!/^[0-9a-f]+$/.test(w)) wordSet.add(w)
    return ""
  })
  if (at.length === 0) return { values, apart }
  let prev = 0
  const meta: ValuesApart = {
    at: at.map((k) => {
      const d = k - prev
      prev = k
      return d
    }),
    fields: [...fields].sort(),
    chars: [...chars].sort().join(""),
    words: [...wordSet].sort(),
  }
  return { values, apart, meta }
}

/** `/search-ids.json`: rule ids, in rule order. */
export interface SearchIds {
  version: number
  ids: string[]
}

type Catalog = Pick<CatalogIndex, "catalog" | "indicators">

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether ids go apart: UUIDs do (only a query that can begin one needs them); others stay inline. */
function idsApart(catalog: Catalog): boolean {
  return catalog.catalog.detections.some((d) => UUID.test(d.id))
}

/** Payloads already built, per catalog: the index and its first part (head.ts) are built from one. */
const built = new WeakMap<Catalog, Promise<SearchData>>()

/** The search payload of the whole catalog. */
export function buildSearchIndex(catalog: Catalog): Promise<SearchData> {
  let data = built.get(catalog)
  if (!data) built.set(catalog, (data = buildWhole(catalog)))
  return data
}

async function buildWhole(catalog: Catalog): Promise<SearchData> {
  const packed = packRecords(searchRecords(catalog.catalog.detections, catalog.indicators))
  const apart = idsApart(catalog)
  const { values, meta } = splitValues(packed)
  return {
    version: SEARCH_DATA_VERSION,
    idsApart: apart,
    ...packed,
    rules: {
      ...packed.rules,
      // Every id a UUID: none inline; else the others inline, UUIDs empty.
      id: !apart
        ? packed.rules.id
        : packed.rules.id.every((id) => UUID.test(id))
          ? []
          : packed.rules.id.map((id) => (UUID.test(id) ? "" : id)),
    },
    values,
    ...(meta ? { valuesApart: meta } : {}),
  }
}

/** The values payload: the values buildSearchIndex left out, in ValuesApart.at order. */
export function buildSearchValues(catalog: Catalog): SearchValues {
  const packed = packRecords(searchRecords(catalog.catalog.detections, catalog.indicators))
  return { version: SEARCH_DATA_VERSION, values: splitValues(packed).apart }
}

/** The ids payload: every rule id, in the rule order of buildSearchIndex. */
export function buildSearchIds(catalog: Catalog): SearchIds {
  return { version: SEARCH_DATA_VERSION, ids: catalog.catalog.detections.map((d) => d.id) }
}
