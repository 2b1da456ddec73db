/**
 * The folder layering of lib/, checked by walking every import: no cycle between folders, and
 * no format plug-in imports another one. A folder is a node (lib/formats/<id>/ is its own node,
 * apart from lib/formats itself); test files and *.node.ts I/O glue are left out, since they may
 * reach across layers.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"

import { describe, expect, it } from "vitest"

const LIB = join(import.meta.dirname)

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return e.name === "__fixtures__" ? [] : sources(p)
    // Tests and the *.node.ts I/O glue the build runs (reading the catalog, writing payloads) sit
    // above every layer: they may reach across folders.
    return /\.tsx?$/.test(e.name) && !/\.(test|node)\.tsx?$/.test(e.name) ? [p] : []
  })
}

/** The node a file belongs to: `formats/sigma`, `formats`, `tester`, or the file name for lib's own files. */
function nodeOf(file: string): string {
  const parts = relative(LIB, file).split("/")
  // lib's own files (cli.ts, site.ts…) are each a node: cli.ts sits on top, site.ts at the bottom.
  if (parts.length === 1) return parts[0] ?? "."
  // Each format folder is a node, and so is each file of lib/formats itself: the registries sit
  // above the plug-ins, the interface (types.ts) below them.
  if (parts[0] === "formats") return `formats/${parts[1]}`
  return parts[0] ?? "."
}

/** Folder → folders it imports, with one example import per edge. */
function graph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>()
  for (const file of sources(LIB)) {
    const text = readFileSync(file, "utf8")
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["'](\.[^"']+)["']/g)) {
      const target = normalize(join(dirname(file), m[1] ?? ""))
      if (!target.startsWith(LIB)) continue
      const a = nodeOf(file)
      const b = nodeOf(target)
      if (a === b) continue
      const out = edges.get(a) ?? new Map<string, string>()
      if (!out.has(b)) out.set(b, `${relative(LIB, file)} → ${m[1]}`)
      edges.set(a, out)
    }
  }
  return edges
}

/** A format plug-in folder (`formats/sigma`), as opposed to a file of lib/formats itself. */
const isPlugin = (node: string): boolean => node.startsWith("formats/") && !node.endsWith(".ts")

describe("lib/ import layering", () => {
  const edges = graph()
  it("has no import cycle between folders", () => {
    const cycles: string[] = []
    const state = new Map<string, "open" | "done">()
    const stack: string[] = []
    const visit = (n: string) => {
      state.set(n, "open")
      stack.push(n)
      for (const [m, via] of edges.get(n) ?? []) {
        if (state.get(m) === "open")
          cycles.push(`${[...stack.slice(stack.indexOf(m)), m].join(" → ")} (closing edge: ${via})`)
        else if (!state.has(m)) visit(m)
      }
      stack.pop()
      state.set(n, "done")
    }
    for (const n of edges.keys()) if (!state.has(n)) visit(n)
    expect(cycles).toEqual([])
  })
  it("keeps each format plug-in to itself", () => {
    const crossings = [...edges].flatMap(([a, out]) =>
      isPlugin(a) ? [...out].filter(([b]) => isPlugin(b)).map(([b, via]) => `${a} → ${b} (${via})`) : [],
    )
    expect(crossings).toEqual([])
  })
})
