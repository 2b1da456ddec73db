/**
 * The tester's payload for the site's routes: the catalog's lean rows split into chunks, with the
 * add-on field table and the lookup tables the rules read beside them, made once per process
 * (the manifest route and every chunk route read the same result).
 *
 * Owns: nothing but the memo; rules-data.ts picks the fields, rules-chunks.ts splits them,
 * tables.ts names the table files.
 */
import { getCatalog } from "../catalog/get.node.ts"
import { installedAddOnTable } from "../events/addon.ts"
import { testerChunks, type TesterManifest } from "./rules-chunks.ts"
import { testerRules } from "./rules-data.ts"
import { tableFiles } from "./tables.ts"

let payload: { manifest: TesterManifest; files: Map<string, string> } | undefined

export function testerPayload(): { manifest: TesterManifest; files: Map<string, string> } {
  if (payload) return payload
  const { catalog } = getCatalog()
  const rows = testerRules(catalog.detections)
  const p = testerChunks(rows)
  const addOn = installedAddOnTable()
  if (Object.keys(addOn).length) p.manifest.addOn = addOn
  const tables = tableFiles(rows, catalog.lookupTables ?? {})
  if (Object.keys(tables.manifest).length) {
    p.manifest.tables = tables.manifest
    for (const [file, text] of tables.files) p.files.set(file, text)
  }
  payload = p
  return payload
}
