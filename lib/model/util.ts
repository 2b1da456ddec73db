/**
 * Small pure helpers shared by the catalog loaders: slugs, dates, macro-call scanning, severity.
 *
 * Never imports: React, Next, Node built-ins.
 */

/** File name without directories and extension. */
export function fileStem(path: string): string {
  const base = path.split("/").pop() ?? path
  return base.replace(/\.[^.]+$/, "")
}

/** URL slug of a rule: the file stem, lower-case, `_` → `-` (one rule, one stable URL). */
export function detectionSlug(stem: string): string {
  return stem.toLowerCase().replace(/_/g, "-")
}

/** URL slug of a named record (stories, data sources): lower-case words joined by `-`. */
export function nameSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
  return slug || "unnamed"
}

/** A YAML date (string or Date) as `YYYY-MM-DD`; undefined when absent or unreadable. */
export function toIsoDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10)
  if (typeof value === "string") {
    const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim())
    return m?.[1]
  }
  return undefined
}

/**
 * Macro names a search calls, in order of first use. Comments (```…```) are removed first, as
 * contentctl does, so a commented-out call is not a dependency.
 */
export function macroCalls(search: string): string[] {
  const clean = search.replace(/```[\s\S]*?```/g, " ")
  const names: string[] = []
  for (const m of clean.matchAll(/`([^`\s(]+)(?:\([^`]*\))?`/g)) {
    const name = m[1]
    if (name && !names.includes(name)) names.push(name)
  }
  return names
}

/** Severity from a 0–100 score, boundaries inclusive on the upper side. */
export function riskSeverity(score: number): string {
  if (score <= 20) return "informational"
  if (score <= 40) return "low"
  if (score <= 60) return "medium"
  if (score <= 80) return "high"
  return "critical"
}
