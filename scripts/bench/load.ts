/**
 * One catalog load in a fresh process, as a build pays it (JIT warm-up included), for
 * `npm run bench`: prints `{"ms": …, "rules": …}` for the roots given as arguments.
 */
import { loadCatalog } from "../../lib/catalog/load.node.ts"

const t = performance.now()
const catalog = loadCatalog({ roots: process.argv.slice(2) })
console.log(JSON.stringify({ ms: performance.now() - t, rules: catalog.detections.length }))
