/**
 * Builds the search payloads: `/search-index.json` (app/search-index.json/route.ts), the packed
 * rule records the browser searches directly (load-index.ts, steps.ts), and `/search-ids.json`
 * (app/search-ids.json/route.ts), the rule ids, fetched only by a query that can match an id.
 *
 * Owns: the payloads' outer shapes (`SearchData`, `SearchIds`) and their version.
 * Invariants: no inverted index is shipped: at full scale (both corpora) an exported FlexSearch
 * index alone was 2.3 MiB gzipped, while the texts it is built from pack to under 1 MiB; the
 * browser builds the term index from them (term-index.ts) and keeps it across visits. Ids go apart only when every id is a UUID, which is what lets
 * the browser tell from a query alone whether it needs them (load-index.ts, queryNeedsIds).
 * Pure: no I/O.
 * Never imports: React, Next, Node built-ins.
 */
import type { CatalogIndex } from "../catalog/views.ts"
import { packRecords, searchRecords, type PackedRecords } from "./records.ts"

/** Bumped whenever the payloads change shape. */
export const SEARCH_DATA_VERSION = 3

/** `/search-index.json`. */
export interface SearchData extends PackedRecords {
  version: number
  /** True when `rules.id` is empty and the ids are in `/search-ids.json`. */
  idsApart: boolean
}

/** `/search-ids.json`: rule ids, in rule order. */
export interface SearchIds {
  version: number
  ids: string[]
}

type Catalog = Pick<CatalogIndex, "catalog" | "indicators">

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function idsApart(catalog: Catalog): boolean {
  return catalog.catalog.detections.every((d) => UUID.test(d.id))
}

/** The search payload of the whole catalog. */
export async function buildSearchIndex(catalog: Catalog): Promise<SearchData> {
  const packed = packRecords(searchRecords(catalog.catalog.detections, catalog.indicators))
  const apart = idsApart(catalog)
  return {
    version: SEARCH_DATA_VERSION,
    idsApart: apart,
    ...packed,
    rules: { ...packed.rules, id: apart ? [] : packed.rules.id },
  }
}

/** The ids payload: every rule id, in the rule order of buildSearchIndex. */
export function buildSearchIds(catalog: Catalog): SearchIds {
  return { version: SEARCH_DATA_VERSION, ids: catalog.catalog.detections.map((d) => d.id) }
}
