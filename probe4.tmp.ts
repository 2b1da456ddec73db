import { loadCatalog } from "./lib/catalog/load.node.ts"
import { formatDiagnostic } from "./lib/catalog/report.ts"
const c = loadCatalog({ roots: ["lib/catalog/__fixtures__/bad-input"] })
for (const d of c.diagnostics) console.log(formatDiagnostic(d).replace("lib/catalog/__fixtures__/bad-input/", ""))
console.log(c.detections.map(d => `${d.name} ${d.slug}`))
console.log(c.files.filter(f=>f.status!=="loaded").map(f => `${f.path.replace("lib/catalog/__fixtures__/bad-input/", "")} ${f.status}`).join("\n"))
