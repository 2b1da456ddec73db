/**
 * The framework floor: a static export of `pages` trivial pages by the same Next version and
 * settings (output export, trailing slash, the same static-generation worker count), in
 * .atlas/floor/. What the catalog's export costs beyond it is ours.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

import { measureChildCpu } from "../child-cpu.ts"
import { firstLoadJs, type FirstLoad } from "./first-load.ts"

export type FloorResult = {
  pages: number
  ms: number
  bytes: number
  htmlFiles: number
  cpuMs?: number
  firstLoad?: FirstLoad
}

/** Bytes and .html files under a folder. */
export function folderSize(dir: string): { bytes: number; htmlFiles: number } {
  let bytes = 0
  let htmlFiles = 0
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else {
        bytes += statSync(p).size
        if (e.name.endsWith(".html")) htmlFiles++
      }
    }
  }
  walk(dir)
  return { bytes, htmlFiles }
}

export function exportFloor(pages: number): FloorResult {
  const root = resolve(".atlas/floor")
  rmSync(root, { recursive: true, force: true })
  mkdirSync(join(root, "app", "p", "[n]"), { recursive: true })
  writeFileSync(
    join(root, "next.config.mjs"),
    `export default { output: "export", trailingSlash: true, images: { unoptimized: true }, experimental: { cpus: ${Number(process.env.ATLAS_BUILD_CPUS || 2)}, prefetchInlining: false }, turbopack: { root: ${JSON.stringify(resolve("."))} } }\n`,
  )
  writeFileSync(
    join(root, "app", "layout.jsx"),
    `export default function Layout({ children }) { return <html lang="en"><body>{children}</body></html> }\n`,
  )
  writeFileSync(join(root, "app", "page.jsx"), `export default function Home() { return <h1>floor</h1> }\n`)
  writeFileSync(
    join(root, "app", "p", "[n]", "page.jsx"),
    `export const dynamicParams = false
export function generateStaticParams() { return Array.from({ length: ${pages} }, (_, i) => ({ n: String(i) })) }
export default async function Page({ params }) { const { n } = await params; return <main><h1>Page {n}</h1><p>A trivial page.</p></main> }
`,
  )
  const t = performance.now()
  const { result: r, cpuMs } = measureChildCpu(() =>
    spawnSync(process.execPath, [resolve("node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    }),
  )
  const ms = performance.now() - t
  if (r.status !== 0) throw new Error(`floor export failed: ${r.stderr.toString().slice(-2000)}`)
  const size = folderSize(join(root, "out"))
  const firstLoad = firstLoadJs(join(root, "out"), "p/0")
  // Leave nothing behind: a stray app/ under the repository could confuse later tools.
  rmSync(root, { recursive: true, force: true })
  return { pages, ms, ...size, ...(cpuMs === undefined ? {} : { cpuMs }), ...(firstLoad ? { firstLoad } : {}) }
}
