/**
 * Build-time bundling for the static rule pages, with esbuild:
 *   - the island script (components/rules/rule-island.ts) and its lazily loaded palette chunk,
 *     with the search worker, into `<out>/_atlas/` under content-hashed names;
 *   - the renderer (scripts/rule-pages/render.tsx) into .atlas/, for Node.
 * Both bundles swap `next/link` and `next/navigation` for plain-browser shims: this code runs
 * outside Next. And the head links: the stylesheets and icon Next wrote into its own pages.
 */
import { readFileSync } from "node:fs"
import { join, relative, resolve } from "node:path"

import { build, type Plugin } from "esbuild"

const ROOT = resolve(import.meta.dirname, "../..")
const SHIMS = {
  "next/link": join(ROOT, "scripts/rule-pages/shims/next-link.tsx"),
  "next/navigation": join(ROOT, "scripts/rule-pages/shims/next-navigation.ts"),
}
/** The folder under out/ the island's files go to. */
export const ISLAND_DIR = "_atlas"

/** Where the search hook starts its worker: Turbopack's syntax, which esbuild leaves alone. */
const WORKER_FILE = join(ROOT, "components/search/use-search-worker.ts")
const WORKER_URL = 'new URL("../../lib/search/search.worker.ts", import.meta.url)'

/** Points the search hook at the worker esbuild built beside the island's chunks. */
function workerUrl(fileName: string): Plugin {
  return {
    name: "atlas-worker-url",
    setup(b) {
      b.onLoad({ filter: /use-search-worker\.ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8")
        // A changed hook must fail the build here, not ship a page whose search cannot start.
        if (args.path !== WORKER_FILE || !source.includes(WORKER_URL))
          throw new Error(`${args.path}: expected ${WORKER_URL}`)
        return {
          contents: source.replace(WORKER_URL, `new URL(${JSON.stringify(`./${fileName}`)}, import.meta.url)`),
          loader: "ts",
        }
      })
    },
  }
}

function outputName(metafile: { outputs: Record<string, { entryPoint?: string }> } | undefined, entry: string): string {
  const found = Object.entries(metafile?.outputs ?? {}).find(([, o]) => o.entryPoint === entry)
  if (!found) throw new Error(`esbuild wrote no output for ${entry}`)
  return found[0]
}

/** Bundles the island and the search worker into `<outDir>/_atlas/`; returns the island's URL. */
export async function buildIsland(outDir: string, basePath: string): Promise<string> {
  const dir = join(outDir, ISLAND_DIR)
  const common = {
    bundle: true,
    format: "esm" as const,
    platform: "browser" as const,
    target: "es2022",
    minify: true,
    outdir: dir,
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    metafile: true,
    logLevel: "warning" as const,
    absWorkingDir: ROOT,
    alias: SHIMS,
    define: { "process.env.NODE_ENV": '"production"', "process.env.NEXT_PUBLIC_BASE_PATH": JSON.stringify(basePath) },
  }
  const worker = await build({ ...common, entryPoints: ["lib/search/search.worker.ts"] })
  const workerFile = relative(dir, join(ROOT, outputName(worker.metafile, "lib/search/search.worker.ts")))
  const island = await build({
    ...common,
    entryPoints: ["components/rules/rule-island.ts"],
    splitting: true,
    plugins: [workerUrl(workerFile)],
  })
  const file = relative(dir, join(ROOT, outputName(island.metafile, "components/rules/rule-island.ts")))
  return `${basePath}/${ISLAND_DIR}/${file}`
}

/** Bundles the renderer for Node into `file`; packages stay external (node_modules resolves them). */
export async function buildRenderer(file: string): Promise<void> {
  await build({
    entryPoints: ["scripts/rule-pages/render.tsx"],
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    // The shims and @/ paths are ours, not packages: they are bundled in.
    alias: SHIMS,
    logLevel: "warning",
    absWorkingDir: ROOT,
  })
}

/** The stylesheet URL rule pages are rendered with, until placeRulePages knows Next's (index.ts). */
export const HEAD_PLACEHOLDER = "/__atlas-head-links__.css"

/**
 * The stylesheet and icon `<link>` elements of a page Next exported, as Next wrote them (their
 * URLs carry the base path already). A page without a stylesheet is an error: rule pages must
 * not ship unstyled without anyone noticing.
 */
export function headLinks(html: string): string {
  const end = html.indexOf("</head>")
  const head = end < 0 ? "" : html.slice(0, end)
  const links = [...head.matchAll(/<link\b[^>]*>/gi)].map((m) => m[0])
  const rel = (tag: string) => /\srel="([^"]*)"/i.exec(tag)?.[1]?.toLowerCase()
  const stylesheets = links.filter((l) => rel(l) === "stylesheet")
  if (stylesheets.length === 0) throw new Error("no stylesheet link in Next's exported home page")
  return [...stylesheets, ...links.filter((l) => rel(l) === "icon")].join("")
}
