/**
 * One catalog load in a fresh process, as a build pays it (JIT warm-up included), for
 * `npm run bench`: prints `{"ms": …, "cpuMs": …, "rules": …}` for the roots given as arguments.
 * CPU time beside wall time: on a shared machine the wall time counts other processes too.
 */
import { loadCatalog } from "../../lib/catalog/load.node.ts"

const cpu = process.cpuUsage()
const t = performance.now()
const catalog = loadCatalog({ roots: process.argv.slice(2) })
const used = process.cpuUsage(cpu)
console.log(
  JSON.stringify({
    ms: performance.now() - t,
    cpuMs: (used.user + used.system) / 1000,
    rules: catalog.detections.length,
  }),
)
