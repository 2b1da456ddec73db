/**
 * Static rule pages: one plain-HTML page per rule in out/rules/<format>/<slug>/, rendered from the
 * same components as the rest of the site (components/rules/rule-document.tsx) but outside Next.
 *
 * Why: rule pages are 80 % of the site's pages. Through Next each cost ~26 ms of CPU and ~130 KB
 * of output (the page, its RSC payload inline, index.txt and segment files) and shipped the
 * framework's 132 KB gz of JavaScript to show a document. Here a page costs a few ms and carries
 * one small module script (components/rules/rule-island.ts).
 *
 * How: `renderRulePages` runs while `next build` runs (the two share the cores instead of taking
 * turns), in `shards` child processes that each load the cached catalog and write every
 * shards-th rule into a staging folder. Next's stylesheet name is not known until Next is done,
 * so pages carry a placeholder link; `placeRulePages` moves them into out/ and returns the
 * function that swaps the placeholder for Next's own links (scripts/build.ts applies it in the
 * pass that writes every page's security policy).
 */
import { spawn } from "node:child_process"
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { join, resolve } from "node:path"

import { FORMAT_TESTERS } from "../../lib/formats/testers.ts"
import { buildIsland, buildRenderer, headLinks, HEAD_PLACEHOLDER, ISLAND_DIR } from "./assets.ts"

export interface RulePagesResult {
  pages: number
  bytes: number
  ms: number
  /** CPU time (user + system) of the renderer processes. */
  cpuMs: number
}

export interface RulePagesOptions {
  /** Where the pages and the island's files are written, to be moved into out/ by placeRulePages. */
  stagingDir: string
  /** The catalog cache scripts/build.ts wrote. */
  catalogFile: string
  basePath: string
  shards?: number
  /** Where the bundled renderer and its inputs go (default .atlas/). */
  workDir?: string
  log: (line: string) => void
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "inherit"], env })
    let out = ""
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")))
    child.on("error", fail)
    child.on("close", (code, signal) =>
      code === 0 ? done(out) : fail(new Error(`rule page renderer exited with ${code ?? signal}`)),
    )
  })
}

export async function renderRulePages(options: RulePagesOptions): Promise<RulePagesResult> {
  const started = performance.now()
  const staging = resolve(options.stagingDir)
  rmSync(staging, { recursive: true, force: true })
  const script = await buildIsland(staging, options.basePath)
  const workDir = resolve(options.workDir ?? ".atlas")
  mkdirSync(workDir, { recursive: true })
  const assetsFile = join(workDir, "rule-page-assets.json")
  writeFileSync(assetsFile, JSON.stringify({ stylesheets: [HEAD_PLACEHOLDER], script }))
  const renderer = join(workDir, "render-rule-pages.mjs")
  await buildRenderer(renderer)

  const shards = options.shards ?? Math.max(1, Math.min(4, availableParallelism()))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    ATLAS_CATALOG_FILE: options.catalogFile,
    NEXT_PUBLIC_BASE_PATH: options.basePath,
  }
  const outputs = await Promise.all(
    Array.from({ length: shards }, (_, i) => run(renderer, [assetsFile, staging, String(i), String(shards)], env)),
  )
  const total = { pages: 0, bytes: 0, cpuMs: 0 }
  for (const out of outputs) {
    const summary = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Partial<typeof total>
    total.pages += summary.pages ?? 0
    total.bytes += summary.bytes ?? 0
    total.cpuMs += summary.cpuMs ?? 0
  }
  const ms = Math.round(performance.now() - started)
  options.log(
    `${total.pages} rule pages rendered in ${(ms / 1000).toFixed(1)} s (${shards} processes, ${(total.bytes / 1e6).toFixed(0)} MB)`,
  )
  return { ...total, cpuMs: Math.round(total.cpuMs), ms }
}

/**
 * Moves the rendered pages and the island from the staging folder into the export (after Next
 * wrote it: Next empties out/ first) and returns the head patch for every rule page: the
 * placeholder link becomes the stylesheet and icon links of Next's own home page.
 */
export function placeRulePages(stagingDir: string, outDir: string): (html: string) => string {
  const staging = resolve(stagingDir)
  mkdirSync(join(outDir, "rules"), { recursive: true })
  for (const { id: format } of FORMAT_TESTERS) {
    rmSync(join(outDir, "rules", format), { recursive: true, force: true })
    try {
      renameSync(join(staging, "rules", format), join(outDir, "rules", format))
    } catch (e) {
      // A catalog without rules of one format has no folder for it.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
    }
  }
  rmSync(join(outDir, ISLAND_DIR), { recursive: true, force: true })
  renameSync(join(staging, ISLAND_DIR), join(outDir, ISLAND_DIR))
  rmSync(staging, { recursive: true, force: true })
  const placeholder = `<link rel="stylesheet" href="${HEAD_PLACEHOLDER}"/>`
  const links = headLinks(readFileSync(join(outDir, "index.html"), "utf8"))
  // Rule text reaches the page escaped by React, so `<link` occurs only as markup: the first one is ours.
  return (html) => html.replace(placeholder, () => links)
}
