/**
 * The catalog's I/O: walk the content roots, read and decode every file, hand them to the pure
 * assembler, report progress.
 *
 * Owns: `CATALOG_CONTENT` parsing, safe directory walking (symlink loops, unreadable entries,
 * oversized, binary and non-UTF-8 files become diagnostics), and timing.
 * Never imports: React, Next. Node built-ins are allowed here (the `.node.ts` suffix says so).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs"
import { isAbsolute, join, relative, resolve, sep } from "node:path"

import { attackResolver } from "./attack-resolver.ts"
import { assembleCatalog, type InputFile } from "./assemble.ts"
import type { Catalog } from "./types.ts"
import { loadAttackIndex } from "../attack/load.node.ts"

/** Larger files are rejected unread: no real rule file comes near it (largest corpus file: 40 KB). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024

/** Shortest time between two progress lines while parsing. */
const PROGRESS_INTERVAL_MS = 1_000

/** Folders never worth walking. */
const SKIP_DIRS = new Set([".git", "node_modules", ".next", "out"])

/** Content roots from `CATALOG_CONTENT` (comma-separated), default `content/`. */
export function contentRoots(env: string | undefined = process.env.CATALOG_CONTENT): string[] {
  const roots = (env ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
  return roots.length > 0 ? roots : ["content"]
}

/** How a path is shown: relative to the working directory when inside it. */
function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs)
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : abs
}

/** Every file under `root`, sorted, with symlink loops and unreadable folders reported. */
export function walk(root: string): { files: string[]; problems: Array<{ path: string; message: string }> } {
  const files: string[] = []
  const problems: Array<{ path: string; message: string }> = []
  const seen = new Set<string>()
  const visit = (dir: string) => {
    let real: string
    try {
      real = realpathSync(dir)
    } catch (e) {
      problems.push({ path: dir, message: `cannot resolve folder: ${(e as Error).message}` })
      return
    }
    if (seen.has(real)) {
      problems.push({ path: dir, message: "symbolic link loop: this folder was already walked" })
      return
    }
    seen.add(real)
    let entries: string[]
    try {
      entries = readdirSync(dir).sort()
    } catch (e) {
      problems.push({ path: dir, message: `cannot list folder: ${(e as Error).message}` })
      return
    }
    for (const name of entries) {
      const full = join(dir, name)
      let st
      try {
        st = statSync(full)
      } catch (e) {
        problems.push({ path: full, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` })
        continue
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) visit(full)
      } else if (st.isFile()) files.push(full)
    }
  }
  visit(root)
  return { files, problems }
}

const decoder = new TextDecoder("utf-8", { fatal: true })

/** Read one file as UTF-8 text, or say why it cannot be used. */
export function readText(file: string): { text?: string; readError?: string } {
  try {
    const size = statSync(file).size
    if (size > MAX_FILE_BYTES) return { readError: `file is ${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB` }
    const bytes = readFileSync(file)
    if (bytes.includes(0)) return { readError: "binary file (contains NUL bytes)" }
    const text = decoder.decode(bytes)
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text }
  } catch (e) {
    if (e instanceof TypeError) return { readError: "not valid UTF-8 text" }
    return { readError: `cannot read: ${(e as Error).message}` }
  }
}

export interface LoadOptions {
  roots?: string[]
  /** Called with a short line of progress; the build prints these to stderr. */
  onProgress?: (line: string) => void
  /** Shortest time between two "parsing: n/total" lines (default 1,000 ms). */
  progressIntervalMs?: number
}

/** Load every content root into one catalog. */
export function loadCatalog(options: LoadOptions = {}): Catalog {
  const started = performance.now()
  const roots = options.roots ?? contentRoots()
  const progress = options.onProgress ?? (() => {})
  const inputs: InputFile[] = []
  const walkProblems: Catalog["diagnostics"] = []
  for (const root of roots) {
    const abs = resolve(root)
    let isDir = false
    try {
      isDir = statSync(abs).isDirectory()
    } catch {
      isDir = false
    }
    if (!isDir) {
      walkProblems.push({ path: root, line: 0, column: 0, severity: "error", code: "missing-root", message: "content folder does not exist or is not a folder" })
      continue
    }
    const { files, problems } = walk(abs)
    for (const p of problems) walkProblems.push({ path: displayPath(p.path), line: 0, column: 0, severity: "error", code: "walk", message: p.message })
    progress(`reading ${files.length} files from ${root}`)
    for (const file of files) {
      inputs.push({ path: displayPath(file), rel: relative(abs, file).split(sep).join("/"), ...readText(file) })
    }
  }
  const attack = loadAttackIndex()
  progress(`parsing ${inputs.length} files`)
  // At most one line a second: a long build shows it is alive, a short one stays quiet.
  let lastLine = performance.now()
  const catalog = assembleCatalog(roots, inputs, attackResolver(attack), (phase, done, total) => {
    const now = performance.now()
    if (now - lastLine < (options.progressIntervalMs ?? PROGRESS_INTERVAL_MS)) return
    lastLine = now
    progress(`${phase}: ${done}/${total} files, ${((now - started) / 1000).toFixed(1)} s`)
  })
  return { ...catalog, diagnostics: [...walkProblems, ...catalog.diagnostics], loadMs: Math.round(performance.now() - started) }
}
