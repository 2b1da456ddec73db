/**
 * A hunt's report in the shapes people take away: the JSON `atlas hunt --json` prints, CSV (one
 * line per rule with hits) and an ATT&CK Navigator layer of the techniques hit.
 *
 * Owns: these three renderings; the CLI and the tester page use the same functions.
 * Invariants: pure; the JSON top level is exactly `{ events, rules }`, rules with hits only.
 * Must never import: React, Next, Node built-ins.
 */
import { buildNavigatorLayer, type LayerRule, type NavigatorLayer } from "../attack/navigator.ts"
import type { HuntReport, RuleHits } from "./hunt.ts"
import { isoTime } from "./time.ts"

export function huntJsonObject(report: HuntReport): { events: number; rules: Array<Record<string, unknown>> } {
  const rules = report.rules.map((r) => ({
    id: r.id,
    name: r.name,
    format: r.format,
    hits: r.hits,
    events: r.events,
    eventCount: r.eventCount,
    // The list holds at most this many event numbers (`eventCount` is exact).
    ...(r.events.length < r.eventCount ? { eventsListed: r.events.length } : {}),
    mode: r.mode,
    slug: r.slug,
    ...(r.severity !== undefined ? { severity: r.severity } : {}),
    ...(r.first !== undefined ? { first: isoTime(r.first) } : {}),
    ...(r.last !== undefined ? { last: isoTime(r.last) } : {}),
    entities: r.entities,
    risk: r.risk,
    techniques: r.techniques,
    ...(r.undecided ? { undecided: r.undecided } : {}),
    ...(r.truncated ? { truncated: r.truncated } : {}),
  }))
  return { events: report.events, rules }
}

const csvCell = (s: string): string => {
  // A cell a spreadsheet would read as a formula is prefixed, so opening the file runs nothing.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function huntCsv(report: HuntReport): string {
  const head = ["id", "name", "format", "mode", "hits", "events", "first", "last", "entities", "techniques"]
  const line = (r: RuleHits) =>
    [
      r.id,
      r.name,
      r.format,
      r.mode,
      String(r.hits),
      String(r.eventCount),
      isoTime(r.first) ?? "",
      isoTime(r.last) ?? "",
      r.entities.map((e) => `${e.field}=${e.value}`).join(" "),
      r.techniques.join(" "),
    ]
      .map(csvCell)
      .join(",")
  return `${[head.join(","), ...report.rules.map(line)].join("\r\n")}\r\n`
}

/** The techniques the hunt hit, each with the rules that hit it (rule pages as site paths). */
export function huntLayer(report: HuntReport, attackVersion: string, fileName: string): NavigatorLayer {
  const techniques: Record<string, LayerRule[]> = {}
  for (const r of report.rules)
    for (const t of r.techniques)
      (techniques[t] ??= []).push({ name: `${r.name} (${r.hits} hits)`, url: `/rules/${r.format}/${r.slug}/` })
  return buildNavigatorLayer({
    name: `Hunt: ${fileName}`,
    description: `Techniques of the rules with hits over ${report.events} events of ${fileName}; the score is the number of rules.`,
    attackVersion,
    techniques,
  })
}
