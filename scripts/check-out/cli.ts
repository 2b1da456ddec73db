/**
 * `npx tsx scripts/check-out/cli.ts [out] [--roots a,b]`: checks an exported site after a build.
 * Every internal href/src of every page must reach a file (and carry its trailing slash), and no
 * file may hold the absolute path of a content root (`--roots`, default CATALOG_CONTENT). Prints
 * what it checked; exits 1 on any problem.
 */
import { absoluteRoots, contentRoots } from "../../lib/catalog/load.node.ts"
import { checkLinks, findLeaks } from "./scan.ts"

const args = process.argv.slice(2)
const rootsAt = args.indexOf("--roots")
const roots = rootsAt >= 0 ? contentRoots(args[rootsAt + 1]) : contentRoots()
const outDir = args.find((a, i) => !a.startsWith("--") && (rootsAt < 0 || i !== rootsAt + 1)) ?? "out"
const basePath = (process.env.BASE_PATH ?? "").replace(/\/$/, "")
const problems: string[] = []

const started = performance.now()
const links = checkLinks(outDir, basePath)
console.log(
  `links: ${links.checked.toLocaleString("en")} internal href/src checked on ${links.pages.toLocaleString("en")} pages (${links.distinct.toLocaleString("en")} distinct targets): ${links.broken.length} broken, ${links.noSlash.length} without their trailing slash (${((performance.now() - started) / 1000).toFixed(1)} s)`,
)
for (const b of links.broken.slice(0, 20))
  console.log(`  broken: /${b.target} (${b.count} links, e.g. on /${b.example})`)
for (const b of links.noSlash.slice(0, 10))
  console.log(`  no trailing slash: /${b.target} (${b.count} links, e.g. on /${b.example})`)
if (links.broken.length > 0) problems.push(`${links.broken.length} internal link targets reach no file`)
if (links.noSlash.length > 0) problems.push(`${links.noSlash.length} internal link targets lack their trailing slash`)

const needles = absoluteRoots(roots)
const leaks = findLeaks(outDir, needles)
console.log(
  `build paths: ${leaks.length} files of ${outDir}/ hold an absolute content path (${[...new Set(needles)].join(", ")})`,
)
for (const l of leaks.slice(0, 10)) console.log(`  ${outDir}/${l.file} holds ${l.needle}`)
if (leaks.length > 0) problems.push(`${leaks.length} files hold an absolute content path`)

if (problems.length > 0) {
  for (const p of problems) console.error(`check-out: ${p}`)
  process.exit(1)
}
