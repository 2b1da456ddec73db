/**
 * First-load JavaScript of an exported page: the scripts its HTML references (`<script src>`),
 * summed raw and gzipped, as the browser downloads them on a first visit. Lazily loaded code
 * (workers, dynamic imports, fetched JSON) is not counted: it is not part of the first load;
 * nor are `noModule` polyfills, which module-capable browsers never fetch.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

export type FirstLoad = { page: string; scripts: number; raw: number; gz: number }

export function firstLoadJs(outDir: string, page: string, basePath = ""): FirstLoad | undefined {
  const html = join(outDir, page, "index.html")
  if (!existsSync(html)) return undefined
  const text = readFileSync(html, "utf8")
  const tags = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((t) => !/\snomodule\b/i.test(t))
  const srcs = new Set(tags.flatMap((t) => /\ssrc="([^"]+)"/.exec(t)?.[1] ?? []))
  let raw = 0
  let gz = 0
  for (const src of srcs) {
    const path = src.split("?")[0]!.replace(basePath, "")
    const file = join(outDir, path)
    if (!existsSync(file)) continue
    const body = readFileSync(file)
    raw += body.length
    gz += gzipSync(body, { level: 9 }).length
  }
  return { page, scripts: srcs.size, raw, gz }
}
