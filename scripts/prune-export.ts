/**
 * After `next build`: remove from out/ what a static host never serves.
 *
 * Next 16 writes, for every app page, a `__next._full.txt` beside index.txt: the whole page's RSC
 * payload once more, kept for a server's per-segment cache. The client router of a static export
 * never asks for it (it fetches `__next._tree.txt`, the per-segment files and index.txt; no client
 * chunk names `_full`), so in out/ it is one dead copy of every page. A Next upgrade that starts
 * requesting it would show up as 404s in the e2e specs (e2e/export.spec.ts checks the chunks too).
 */
import { readdirSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"

/** Files Next writes into out/ that the exported site never requests. */
export const UNSERVED_FILES = new Set(["__next._full.txt"])

export function pruneExport(outDir: string): { files: number; bytes: number } {
  let files = 0
  let bytes = 0
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== "_next") walk(path)
      } else if (UNSERVED_FILES.has(entry.name)) {
        bytes += statSync(path).size
        rmSync(path)
        files++
      }
    }
  }
  walk(outDir)
  return { files, bytes }
}
