/**
 * What registering a format costs outside its own folders: every import of a format's folder
 * (lib/formats/<id>/, components/formats/<id>/) from anywhere else in the repo is one of the
 * three registry lines (readers, the browser's tester parts, the rule-page parts) or a known,
 * named exception. A test of a format id in code (`format === "sigma"`, `findFormat("sigma")`) counts
 * as reaching into that format too. A format added through the seam appears in no exception.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"

import { describe, expect, it } from "vitest"

import { FORMATS } from "./registry.ts"

const ROOT = join(import.meta.dirname, "..", "..")
const SOURCE_DIRS = ["app", "components", "lib", "scripts"]

/** The registries: each imports one file of every format's folder, once. */
const REGISTRIES: Record<string, (id: string) => string> = {
  "lib/formats/registry.ts": (id) => `lib/formats/${id}/format.ts`,
  "lib/formats/testers.ts": (id) => `lib/formats/${id}/tester.ts`,
  "components/formats/registry.ts": (id) => `components/formats/${id}/page`,
}

/**
 * Imports of a format's folder from outside it that are not a registry line, each with why it
 * is allowed; a key ending in `/` covers a whole folder.
 */
const EXCEPTIONS: Record<string, string> = {
  "lib/convert/ → lib/formats/sigma": "translates Sigma rules: it reads what it translates",
  "lib/convert/ → lib/formats/splunk": "translates into SPL and checks the SPL with Splunk's engine",
  "scripts/sigma-spl-roundtrip.ts → lib/formats/sigma": "runs the Sigma → SPL round trip over the corpus",
  "scripts/bench.ts → lib/formats/splunk": "benchmarks the SPL engine itself",
  "scripts/bench-sigma.ts → lib/formats/sigma": "benchmarks the Sigma reader itself",
  "lib/fuzz/targets.ts → lib/formats/sigma": "fuzzes the Sigma reader itself",
  "lib/fuzz/targets.ts → lib/formats/splunk": "fuzzes the SPL parsers themselves",
  "lib/cli.ts → lib/formats/sigma":
    "`atlas convert` reads Sigma files, and `match --spl` judges Sigma rules beside their SPL translations",
  "lib/catalog/assemble.ts → lib/formats/splunk":
    "lookup tables (lookups/*.yml + CSV) are joined to the catalog here; they are to move into Splunk's loader",
  "lib/hunt/ → lib/formats/splunk":
    "runs SPL's multi-event stages (stats, tstats, eventstats, bin) over a log; the other formats hunt event by event",
  "scripts/verdicts.ts → lib/formats/splunk": "records Splunk rules' verdicts, a before/after check of the SPL engine",
  "scripts/addon-reach.ts → lib/formats/splunk":
    "measures which Splunk rules reach raw Sysmon/4688 events once Splunk's add-on fields are on them",
}

/** The exception covering an import of `folder` from `from`, if any. */
function excepted(from: string, folder: string): string | undefined {
  return Object.keys(EXCEPTIONS).find((k) => {
    const [file, target] = k.split(" → ")
    return target === folder && (file === from || (file!.endsWith("/") && from.startsWith(file!)))
  })
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return ["node_modules", "__fixtures__", "data"].includes(e.name) ? [] : sources(p)
    // Tests may reach into any folder: they check it.
    return /\.(ts|tsx|mjs)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : []
  })
}

/** The format folder a repo path lies in (`lib/formats/sigma`), or undefined. */
function formatFolder(path: string): string | undefined {
  return /^(?:lib|components)\/formats\/([^/.]+)\//.exec(path) ? path.split("/").slice(0, 3).join("/") : undefined
}

/** Code that tests a format id rather than asking the registry. */
const SWITCH =
  /\bformat\s*[!=]==\s*["']([a-z]+)["']|\b(?:findFormat|findFormatTesting|formatById|formatPage)\(\s*["']([a-z]+)["']/g

/** Every import of a format folder from a file outside that format's folders: `file → target`. */
function crossings(): Array<{ from: string; to: string; folder: string }> {
  const out: Array<{ from: string; to: string; folder: string }> = []
  for (const file of SOURCE_DIRS.flatMap((d) => sources(join(ROOT, d)))) {
    const from = relative(ROOT, file)
    const text = readFileSync(file, "utf8")
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"']+)["']/g)) {
      const spec = m[1] ?? ""
      const target = spec.startsWith("@/")
        ? spec.slice(2)
        : spec.startsWith(".")
          ? relative(ROOT, normalize(join(dirname(file), spec)))
          : undefined
      const folder = target && formatFolder(target)
      if (!target || !folder) continue
      const id = folder.split("/")[2]
      // A format's lib and component folders are one plug-in.
      if (formatFolder(from)?.split("/")[2] === id) continue
      out.push({ from, to: target, folder })
    }
    for (const m of text.matchAll(SWITCH)) {
      const id = m[1] ?? m[2] ?? ""
      if (!FORMATS.some((f) => f.id === id) || formatFolder(from)?.split("/")[2] === id) continue
      out.push({ from, to: `a test of the id "${id}"`, folder: `lib/formats/${id}` })
    }
  }
  return out
}

describe("the format seam", () => {
  const all = crossings()
  it("is crossed only by the registry lines and the named exceptions", () => {
    const unexplained = all
      .filter(({ from, to }) => {
        const registry = REGISTRIES[from]
        if (registry) return !FORMATS.some((f) => to.replace(/\.tsx?$/, "") === registry(f.id).replace(/\.tsx?$/, ""))
        return true
      })
      .filter(({ from, folder }) => !excepted(from, folder))
      .map(({ from, to }) => `${from} → ${to}`)
    expect(unexplained).toEqual([])
  })
  it("has each registry import every format once, in FORMATS order", () => {
    for (const [registry, path] of Object.entries(REGISTRIES)) {
      const seen = all.filter((c) => c.from === registry).map((c) => c.to.replace(/\.tsx?$/, ""))
      expect(seen.sort(), registry).toEqual(FORMATS.map((f) => path(f.id).replace(/\.tsx?$/, "")).sort())
      const text = readFileSync(join(ROOT, registry), "utf8")
      const list = /=\s*\[([^\]]+)\]/.exec(text)?.[1] ?? ""
      const order = FORMATS.map((f) => list.indexOf(f.id))
      expect(
        order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? 0))),
        `${registry}: ${list}`,
      ).toBe(true)
    }
  })
  it("names Elastic, which came through the seam, in the three registries only", () => {
    // Elastic was added through the seam: outside its folders only the three registries name it.
    expect(all.filter((c) => c.folder.endsWith("/elastic") && !(c.from in REGISTRIES))).toEqual([])
    // An exception nothing needs any more is said, so the list shrinks as code moves behind the seam.
    const used = new Set(all.map((c) => excepted(c.from, c.folder)))
    const stale = Object.keys(EXCEPTIONS).filter((k) => !used.has(k))
    if (stale.length) console.warn(`seam exceptions no longer needed (drop them):\n  ${stale.join("\n  ")}`)
  })
  it("gives each format's page parts the format's id", () => {
    for (const f of FORMATS) {
      const page = readFileSync(join(ROOT, "components/formats", f.id, "page.tsx"), "utf8")
      expect(page).toContain(`id: "${f.id}"`)
    }
  })
})
