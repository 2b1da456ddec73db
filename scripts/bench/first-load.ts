/**
 * First-load JavaScript of an exported page: the scripts its HTML references (`<script src>`),
 * summed raw and gzipped, as the browser downloads them on a first visit. Lazily loaded code
 * (workers, dynamic imports, fetched JSON) is not counted: it is not part of the first load;
 * nor are `noModule` polyfills, which module-capable browsers never fetch. Module scripts count
 * with the modules they import statically (the static rule pages' island imports a shared chunk).
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { gzipSync } from "node:zlib"

export type FirstLoad = { page: string; scripts: number; raw: number; gz: number }

export function firstLoadJs(outDir: string, page: string, basePath = ""): FirstLoad | undefined {
  const html = join(outDir, page, "index.html")
  if (!existsSync(html)) return undefined
  const text = readFileSync(html, "utf8")
  const tags = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((t) => !/\snomodule\b/i.test(t))
  const srcs = new Set(tags.flatMap((t) => /\ssrc="([^"]+)"/.exec(t)?.[1] ?? []))
  const modules = new Set(
    tags.filter((t) => /\stype="module"/.test(t)).flatMap((t) => /\ssrc="([^"]+)"/.exec(t)?.[1] ?? []),
  )
  const files = new Set<string>()
  const visit = (file: string, module: boolean) => {
    if (files.has(file) || !existsSync(file)) return
    files.add(file)
    if (!module) return
    // Static imports only (`import"./a.js"`, `import{x}from"./a.js"`); `import("./a.js")` loads later.
    for (const m of readFileSync(file, "utf8").matchAll(
      /\bimport\s*(?:[\w$*{},\s]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
    ))
      visit(join(dirname(file), m[1]!), true)
  }
  for (const src of srcs) visit(join(outDir, src.split("?")[0]!.replace(basePath, "")), modules.has(src))
  let raw = 0
  let gz = 0
  for (const file of files) {
    const body = readFileSync(file)
    raw += body.length
    gz += gzipSync(body, { level: 9 }).length
  }
  return { page, scripts: files.size, raw, gz }
}
