/**
 * `npx tsx scripts/tester-tables.ts`: the lookup tables the browser tester ships beside its rule
 * chunks (lib/tester/tables.ts): how many, their size raw and gzipped, and how many rules read
 * one (rules the browser can now decide when an event reaches their lookup). Prints figures.
 * On CATALOG_CONTENT (default both corpora, those present).
 */
import { existsSync } from "node:fs"
import { gzipSync } from "node:zlib"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { testerRules } from "../lib/tester/rules-data.ts"
import { tableFiles, tablesOfRule } from "../lib/tester/tables.ts"

const roots = (process.env.CATALOG_CONTENT ?? "../shared/corpora/security_content,../shared/corpora/sigma")
  .split(",")
  .filter((r) => existsSync(r))
if (!roots.length) {
  console.log("tester-tables: no content folder present")
  process.exit(0)
}
const catalog = loadCatalog({ roots })
const rows = testerRules(catalog.detections)
const { manifest, files } = tableFiles(rows, catalog.lookupTables ?? {})
let raw = 0
let gz = 0
for (const text of files.values()) {
  raw += Buffer.byteLength(text)
  gz += gzipSync(text).length
}
const reads = (r: (typeof rows)[number]) => tablesOfRule(r.format, r.analysis)
const readers = rows.filter((r) => reads(r).length > 0)
const decided = readers.filter((r) => reads(r).every((n) => n in manifest))
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
console.log(`${roots.join(", ")}: ${rows.length} tester rules; ${catalog.lookups.length} lookup definitions`)
console.log(`tables shipped: ${files.size}, ${kb(raw)} raw / ${kb(gz)} gz in all`)
for (const [name, info] of Object.entries(manifest)
  .sort((a, b) => b[1].bytes - a[1].bytes)
  .slice(0, 10))
  console.log(`  ${name}: ${kb(info.bytes)}`)
console.log(
  `single-event rules whose decider reads a lookup table: ${readers.length}; every table they read shipped: ${decided.length}`,
)
for (const r of readers.filter((x) => !decided.includes(x)).slice(0, 10))
  console.log(`  not shipped: ${r.name} (${reads(r).join(", ")})`)
