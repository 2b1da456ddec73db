/**
 * After the export: ATT&CK's own spellings of technique and tactic addresses, as static pages that
 * forward to ours. Pages live at `/techniques/t1059.001/` and `/tactics/execution/`; people paste
 * `/techniques/T1059.001/`, `/techniques/T1059/001/` (attack.mitre.org's shape) and
 * `/tactics/TA0002/`. A static host has no rewrite rules, so each spelling is a folder with an
 * index.html that forwards by `<meta http-equiv="refresh">` (no script, so the page's content
 * security policy needs nothing) to a relative address, which keeps working under a base path.
 *
 * On a case-insensitive file system `T1047/` is the folder `t1047/` itself: the upper-case
 * spellings are then skipped (a host serving that folder answers them with the page already).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The forwarding page: `to` is relative to the alias folder and ends with `/`. */
export function forwardPage(to: string, label: string): string {
  const href = escapeHtml(to)
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=${href}"><link rel="canonical" href="${href}"><title>${escapeHtml(label)}</title></head><body><p>This page has moved to <a href="${href}">${escapeHtml(label)}</a>.</p></body></html>\n`
}

/** Write the alias folders into `outDir`; returns how many were written. */
export function writeAttackAliases(
  outDir: string,
  tactics: ReadonlyArray<{ id: string; shortname: string; name: string }>,
): number {
  let written = 0
  const write = (dir: string, to: string, label: string) => {
    const file = join(dir, "index.html")
    if (existsSync(file)) return
    mkdirSync(dir, { recursive: true })
    writeFileSync(file, forwardPage(to, label))
    written++
  }
  // Whether the file system folds case: the export's own folder, asked for under another case.
  const caseSensitive = !existsSync(join(outDir, "TECHNIQUES")) && !existsSync(join(outDir, "Techniques"))
  const techniques = join(outDir, "techniques")
  if (existsSync(techniques)) {
    for (const entry of readdirSync(techniques, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/^t\d{4}(\.\d{3})?$/.test(entry.name)) continue
      const id = entry.name.toUpperCase()
      if (caseSensitive) write(join(techniques, id), `../${entry.name}/`, id)
      const [parent, sub] = entry.name.split(".")
      if (parent && sub) {
        write(join(techniques, parent, sub), `../../${entry.name}/`, id)
        if (caseSensitive) write(join(techniques, parent.toUpperCase(), sub), `../../${entry.name}/`, id)
      }
    }
  }
  const tacticDir = join(outDir, "tactics")
  if (existsSync(tacticDir)) {
    for (const t of tactics) {
      if (!existsSync(join(tacticDir, t.shortname, "index.html"))) continue
      write(join(tacticDir, t.id.toLowerCase()), `../${t.shortname}/`, `${t.name} (${t.id})`)
      if (caseSensitive) write(join(tacticDir, t.id.toUpperCase()), `../${t.shortname}/`, `${t.name} (${t.id})`)
    }
  }
  return written
}
