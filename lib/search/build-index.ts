/**
 * Builds the search payload served as `/search-index.json` (app/search-index.json/route.ts): the
 * rule records and the exported FlexSearch Document.
 *
 * Owns: the payload's outer shape (`SearchData`) and its version.
 * Invariants: the Document comes from createSearchIndex, as in the browser; every export key is
 * kept, in order, because import needs them all. Pure: no I/O.
 * Never imports: React, Next, Node built-ins.
 */
import type { CatalogIndex } from "../catalog/views.ts"
import { createSearchIndex, searchDoc } from "./create-index.ts"
import { searchRecords, type SearchRecords } from "./records.ts"

/** Bumped whenever the payload or the factory's options change shape. */
export const SEARCH_DATA_VERSION = 1

/** `/search-index.json`. */
export interface SearchData extends SearchRecords {
  version: number
  /** FlexSearch export: [key, data] pairs in export order, each passed to `Document.import`. */
  index: Array<[key: string, data: string]>
}

/** Records and exported index for the whole catalog. */
export async function buildSearchIndex(catalog: Pick<CatalogIndex, "catalog" | "indicators">): Promise<SearchData> {
  const records = searchRecords(catalog.catalog.detections, catalog.indicators)
  const doc = createSearchIndex()
  for (let r = 0; r < records.rules.length; r++) doc.add(searchDoc(records, r))
  const index: Array<[string, string]> = []
  await doc.export(async (key, data) => {
    index.push([key, data])
  })
  return { version: SEARCH_DATA_VERSION, ...records, index }
}
