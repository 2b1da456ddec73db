/**
 * The catalog's I/O: walk the content roots, read and decode every file, hand them to the pure
 * assembler, report progress.
 *
 * Owns: `CATALOG_CONTENT` parsing, safe directory walking (symlink loops, unreadable entries,
 * oversized, binary and non-UTF-8 files become diagnostics), and timing.
 * Never imports: React, Next. Node built-ins are allowed here (the `.node.ts` suffix says so).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs"
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path"

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

/** The absolute paths of the content roots (as resolved and, where it differs, with links followed). */
export function absoluteRoots(roots: string[]): string[] {
  const out = new Set<string>()
  for (const root of roots) {
    const abs = resolve(root)
    out.add(abs)
    try {
      out.add(realpathSync(abs))
    } catch {
      // A missing root is reported by loadCatalog; its resolved path is still worth looking for.
    }
  }
  return [...out]
}

/**
 * The label each content root is shown under: its path relative to the working directory when
 * inside it (`content`), else its folder name (`security_content`, `sigma`); a label already taken
 * gets `-2`, `-3`. Never the absolute path: every path the site and report show starts with a
 * label, so nothing of the build machine's folders reaches out/.
 */
export function rootLabels(roots: string[], cwd: string = process.cwd()): string[] {
  const taken = new Set<string>()
  return roots.map((root) => {
    const abs = resolve(cwd, root)
    const rel = relative(cwd, abs)
    let label = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : basename(abs) || "content"
    if (taken.has(label)) {
      let n = 2
      while (taken.has(`${label}-${n}`)) n++
      label = `${label}-${n}`
    }
    taken.add(label)
    return label
  })
}

/**
 * Upstream addresses of the content roots, by label, from `CATALOG_SOURCE_URL`: one URL (for the
 * only root, or the first when there are several) or comma-separated `dir=url` pairs, `dir` being
 * a root as given in CATALOG_CONTENT or its label. Only http(s) addresses are kept.
 */
export function sourceUrls(
  roots: string[],
  labels: string[],
  env: string | undefined = process.env.CATALOG_SOURCE_URL,
): Record<string, string> {
  const out: Record<string, string> = {}
  const value = (env ?? "").trim()
  if (!value) return out
  const safe = (url: string) => /^https?:\/\/[^\s]+$/i.test(url)
  const trim = (url: string) => url.trim().replace(/\/+$/, "")
  if (!/^[^=]+=https?:/i.test(value)) {
    const url = trim(value)
    if (safe(url) && labels[0] !== undefined) out[labels[0]] = url
    return out
  }
  for (const pair of value.split(",")) {
    const at = pair.indexOf("=")
    if (at < 0) continue
    const dir = pair.slice(0, at).trim()
    const url = trim(pair.slice(at + 1))
    const i = roots.findIndex((r, k) => r === dir || labels[k] === dir || resolve(r) === resolve(dir))
    const label = labels[i]
    if (label !== undefined && safe(url)) out[label] = url
  }
  return out
}

/**
 * Every file under `root`, sorted, with its size in bytes (`sizes[i]` is the size of `files[i]`,
 * from the one stat the walk makes anyway), and symlink loops and unreadable folders reported.
 */
export function walk(root: string): {
  files: string[]
  sizes: number[]
  problems: Array<{ path: string; message: string }>
} {
  const files: string[] = []
  const sizes: number[] = []
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
        problems.push({
          path: full,
          message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        })
        continue
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) visit(full)
      } else if (st.isFile()) {
        files.push(full)
        sizes.push(st.size)
      }
    }
  }
  visit(root)
  return { files, sizes, problems }
}

const decoder = new TextDecoder("utf-8", { fatal: true })

/** Read one file as UTF-8 text, or say why it cannot be used; `size` when the caller has stat'ed it. */
export function readText(file: string, knownSize?: number): { text?: string; readError?: string } {
  try {
    const size = knownSize ?? statSync(file).size
    if (size > MAX_FILE_BYTES)
      return { readError: `file is ${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB` }
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
  const labels = rootLabels(roots)
  for (const [r, root] of roots.entries()) {
    const label = labels[r] ?? root
    const abs = resolve(root)
    let isDir = false
    try {
      isDir = statSync(abs).isDirectory()
    } catch {
      isDir = false
    }
    if (!isDir) {
      walkProblems.push({
        path: label,
        line: 0,
        column: 0,
        severity: "error",
        code: "missing-root",
        message: "content folder does not exist or is not a folder",
      })
      continue
    }
    const { files, sizes, problems } = walk(abs)
    const below = (file: string) => relative(abs, file).split(sep).join("/")
    const shown = (file: string) => [label, below(file)].filter(Boolean).join("/")
    for (const p of problems)
      walkProblems.push({
        path: shown(p.path),
        line: 0,
        column: 0,
        severity: "error",
        code: "walk",
        message: p.message,
      })
    progress(`reading ${files.length} files from ${root}`)
    for (const [i, file] of files.entries()) {
      const rel = below(file)
      inputs.push({ path: rel ? `${label}/${rel}` : label, rel, ...readText(file, sizes[i]) })
    }
  }
  const attack = loadAttackIndex()
  progress(`parsing ${inputs.length} files`)
  // At most one line a second: a long build shows it is alive, a short one stays quiet.
  let lastLine = performance.now()
  const catalog = assembleCatalog(labels, inputs, attackResolver(attack), (phase, done, total) => {
    const now = performance.now()
    if (now - lastLine < (options.progressIntervalMs ?? PROGRESS_INTERVAL_MS)) return
    lastLine = now
    progress(`${phase}: ${done}/${total} files, ${((now - started) / 1000).toFixed(1)} s`)
  })
  const urls = sourceUrls(roots, labels)
  if (Object.keys(urls).length > 0) {
    for (const d of catalog.detections) {
      const base = d.source && urls[d.source.root]
      if (base && d.source) d.source.url = `${base}/${d.source.rel.split("/").map(encodeURIComponent).join("/")}`
    }
  }
  return {
    ...catalog,
    diagnostics: [...walkProblems, ...catalog.diagnostics],
    loadMs: Math.round(performance.now() - started),
  }
}
