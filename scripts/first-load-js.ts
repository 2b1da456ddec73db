/**
 * `npx tsx scripts/first-load-js.ts [page.html ...]`: the JavaScript a built page loads before any
 * interaction, i.e. every `.js` file its HTML references (scripts and preloads), raw and gzipped.
 * Default page: the first rule page in out/rules/. Prints figures; it is not a test.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

/** Raw and gzipped bytes of the JS files a built HTML page references. */
export function firstLoadJs(htmlFile: string, outDir = "out"): { files: number; raw: number; gzip: number } {
  const html = readFileSync(htmlFile, "utf8")
  const base = process.env.BASE_PATH ?? ""
  const srcs = new Set([...html.matchAll(/(?:src|href)="([^"]+?\.js)(?:\?[^"]*)?"/g)].map((m) => m[1] as string))
  let raw = 0
  let gzip = 0
  for (const src of srcs) {
    const file = join(outDir, src.slice(base.length))
    if (!existsSync(file)) continue
    const body = readFileSync(file)
    raw += body.length
    gzip += gzipSync(body, { level: 9 }).length
  }
  return { files: srcs.size, raw, gzip }
}

/** The first rule page of the export (any format). */
export function firstRulePage(outDir = "out"): string {
  for (const format of ["splunk", "sigma"]) {
    const dir = join(outDir, "rules", format)
    if (!existsSync(dir)) continue
    const slug = readdirSync(dir).sort()[0]
    if (slug) return join(dir, slug, "index.html")
  }
  throw new Error(`no rule page under ${outDir}/rules/: build first`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pages = process.argv.slice(2)
  for (const page of pages.length > 0 ? pages : [firstRulePage()]) {
    const r = firstLoadJs(page)
    console.log(`${page}: ${r.files} JS files, ${(r.raw / 1024).toFixed(1)} KiB raw, ${(r.gzip / 1024).toFixed(1)} KiB gzipped`)
  }
}
