/**
 * Checks over an exported site in out/, shared by the build (which fails on a leaked build path)
 * and by `.ci/run` after the corpus build (scripts/check-out/cli.ts).
 *
 * Owns: walking out/, finding every internal `href`/`src` in the HTML pages and resolving each to
 * a file the static server would send, and finding files that hold a build machine's path.
 * Node built-ins only; no Next, no React.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

/** Every file under `dir`, relative to it, with `/` separators. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split("\\").join("/"))
}

/** Attribute values of `href=` and `src=` in an HTML text (double- or single-quoted). */
export function linkTargets(html: string): string[] {
  const out: string[] = []
  const re = /\s(?:href|src)=(?:"([^"]*)"|'([^']*)')/g
  for (let m = re.exec(html); m; m = re.exec(html)) out.push(decodeEntities(m[1] ?? m[2] ?? ""))
  return out
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(amp|quot|#39|#x27|lt|gt);/g,
    (_, e: string) => ({ amp: "&", quot: '"', "#39": "'", "#x27": "'", lt: "<", gt: ">" })[e] ?? _,
  )
}

/**
 * The out/ file a site-absolute or page-relative link reaches, or undefined when it leaves the
 * site (another scheme or host, a fragment of the same page). `page` is the HTML file's path
 * relative to out/; `basePath` is the sub-path the export is built for ("" at the root).
 */
export function internalTarget(link: string, page: string, basePath = ""): string | undefined {
  if (link === "" || link.startsWith("#")) return undefined
  if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("//")) return undefined
  let path = link.replace(/[?#].*$/, "")
  if (path === "") return undefined
  if (path.startsWith("/")) {
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return path
      path = path.slice(basePath.length) || "/"
    }
  } else {
    const dir = page.includes("/") ? page.slice(0, page.lastIndexOf("/") + 1) : ""
    path = `/${dir}${path}`
  }
  const parts: string[] = []
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue
    if (seg === "..") parts.pop()
    else parts.push(safeDecode(seg))
  }
  if (parts.length === 0) return "index.html"
  return parts.join("/") + (path.endsWith("/") ? "/" : "")
}

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg)
  } catch {
    return seg
  }
}

/** True when a static host serving `outDir` sends a file for `target` (as internalTarget gives it). */
export function resolves(target: string, files: ReadonlySet<string>): boolean {
  if (target.endsWith("/")) return files.has(`${target}index.html`)
  // A folder named without its slash: hosts that redirect to the slash reach it (reported apart).
  return files.has(target) || files.has(`${target}/index.html`)
}

export interface LinkReport {
  pages: number
  /** Internal links checked (every occurrence, on every page). */
  checked: number
  /** Distinct internal targets checked. */
  distinct: number
  /** Links reaching no file: target, how many pages link it, one of those pages. */
  broken: Array<{ target: string; count: number; example: string }>
  /** Internal page links without their trailing slash (`/techniques/t1059.001`), which lean on a redirect. */
  noSlash: Array<{ target: string; count: number; example: string }>
}

/** Every internal href/src of every HTML page of `outDir`, resolved to a file. */
export function checkLinks(outDir: string, basePath = ""): LinkReport {
  const all = listFiles(outDir)
  const files = new Set(all)
  const pages = all.filter((f) => f.endsWith(".html"))
  const broken = new Map<string, { count: number; example: string }>()
  const noSlash = new Map<string, { count: number; example: string }>()
  const ok = new Set<string>()
  let checked = 0
  const note = (map: Map<string, { count: number; example: string }>, target: string, page: string) => {
    const hit = map.get(target)
    if (hit) hit.count++
    else map.set(target, { count: 1, example: page })
  }
  for (const page of pages) {
    for (const link of linkTargets(readFileSync(join(outDir, page), "utf8"))) {
      const target = internalTarget(link, page, basePath)
      if (target === undefined) continue
      checked++
      if (target.startsWith("/")) {
        // A site-absolute link outside the base path: nothing in out/ can answer it.
        note(broken, target, page)
        continue
      }
      const last = target.split("/").pop() ?? ""
      if (!target.endsWith("/") && !/\.[A-Za-z][A-Za-z0-9]*$/.test(last)) note(noSlash, target, page)
      if (ok.has(target)) continue
      if (resolves(target, files)) ok.add(target)
      else note(broken, target, page)
    }
  }
  const list = (m: Map<string, { count: number; example: string }>) =>
    [...m].map(([target, v]) => ({ target, ...v })).sort((a, b) => b.count - a.count)
  return { pages: pages.length, checked, distinct: ok.size + broken.size, broken: list(broken), noSlash: list(noSlash) }
}

/** Files of `outDir` whose bytes hold any of `needles` (absolute build paths), with the needle found. */
export function findLeaks(outDir: string, needles: string[]): Array<{ file: string; needle: string }> {
  const wanted = [...new Set(needles.filter((n) => n.length > 1))].map((n) => ({
    text: n,
    bytes: Buffer.from(n, "utf8"),
  }))
  if (wanted.length === 0) return []
  const leaks: Array<{ file: string; needle: string }> = []
  for (const file of listFiles(outDir)) {
    const bytes = readFileSync(join(outDir, file))
    // JSON and RSC payloads escape "/" as "\/" only rarely, but they do: look for that spelling too.
    const hit = wanted.find(
      (w) => bytes.includes(w.bytes) || bytes.includes(Buffer.from(w.text.replaceAll("/", "\\/"), "utf8")),
    )
    if (hit) leaks.push({ file, needle: hit.text })
  }
  return leaks
}
