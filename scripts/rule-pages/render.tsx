/**
 * The rule-page renderer's entry, bundled and run by scripts/rule-pages/index.ts in one or more
 * child processes: writes `<out>/rules/<format>/<slug>/index.html` for every rule of the cached
 * catalog (ATLAS_CATALOG_FILE) whose position modulo the shard count is this shard's index.
 *
 * argv: <assets.json> <out dir> <shard index> <shard count>
 * Prints progress to stderr every few seconds (Next's own output runs beside it) and a JSON
 * summary line to stdout. A rule whose page fails to render stops the build, naming the rule.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
// prerender, not renderToString: CodeBlock is an async server component (build-time highlighting).
import { prerender } from "react-dom/static"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { getCatalog } from "@/lib/catalog/get.node"
import { rulePageView } from "@/lib/catalog/rule-page-view"
import { RuleDocument, type StaticPageAssets } from "@/components/rules/rule-document"

const [assetsFile, outDir, shardArg, shardsArg] = process.argv.slice(2)
if (!assetsFile || !outDir) throw new Error("usage: render.mjs <assets.json> <out dir> <shard> <shards>")
const shard = Number(shardArg ?? 0)
const shards = Number(shardsArg ?? 1)
const assets = JSON.parse(readFileSync(assetsFile, "utf8")) as StaticPageAssets

const index = getCatalog()
const attack = loadAttackIndex()
const mine = index.catalog.detections.filter((_, i) => i % shards === shard)
let written = 0
let bytes = 0
let lastReport = performance.now()
for (const rule of mine) {
  let html: string
  const view = rulePageView(index, attack, rule)
  try {
    const { prelude } = await prerender(<RuleDocument view={view} assets={assets} />)
    html = await new Response(prelude).text()
  } catch (e) {
    throw new Error(`${rule.path}: its rule page failed to render: ${e instanceof Error ? e.message : String(e)}`)
  }
  const dir = join(outDir, "rules", rule.format, rule.slug)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "index.html"), html)
  // The rule's own file as written, for the page's YAML download.
  writeFileSync(join(dir, view.fileName), rule.raw)
  written++
  bytes += Buffer.byteLength(html)
  if (performance.now() - lastReport > 5000) {
    lastReport = performance.now()
    process.stderr.write(`atlas: rule pages (shard ${shard + 1}/${shards}): ${written}/${mine.length}\n`)
  }
}
const cpu = process.cpuUsage()
process.stdout.write(`${JSON.stringify({ pages: written, bytes, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`)
