/**
 * The catalog as pages see it: loaded once per process.
 *
 * Owns: choosing between the cache written by scripts/build.ts (`ATLAS_CATALOG_FILE`), so that
 * static generation does not parse the content again in every worker, and a direct load (dev
 * server, tests).
 * Never imports: React, Next.
 */
import { existsSync, readFileSync } from "node:fs"

import { installAddOnTable } from "../events/addon.ts"
import { FORMATS } from "../formats/registry.ts"
import { loadCatalog } from "./load.node.ts"
import type { Catalog } from "./types.ts"
import { indexCatalog, type CatalogIndex } from "./views.ts"

let cached: CatalogIndex | undefined

/** The loaded catalog with its lookup tables. */
export function getCatalog(): CatalogIndex {
  if (cached) return cached
  const file = process.env.ATLAS_CATALOG_FILE
  const catalog: Catalog =
    file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Catalog) : loadCatalog()
  installAddOnTable(catalog.addOnFields)
  for (const f of FORMATS) f.tester.addTables?.(catalog.lookupTables ?? {})
  cached = indexCatalog(catalog)
  return cached
}
