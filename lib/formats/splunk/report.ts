/**
 * Splunk's section of report.json: how much of the corpus the SPL engine understands.
 *
 * Owns: `SplCoverage`. Invariants: pure; counts Splunk rules only (the caller passes them).
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/splunk but
 * lib/predicate, lib/model and lib/source.
 */
import type { Catalog } from "../../model/types.ts"
import { evaluabilityScope } from "../../predicate/analysis.ts"
import { splAnalysisOf } from "./analysis.ts"

/** How much of the corpus the SPL engine understands (the `spl` section of report.json). */
export interface SplCoverage {
  /** Splunk rules with an analysis (a rule whose analysis threw is counted in none of these). */
  rules: number
  /** Rules whose first stage parsed fully, partly (some constructs unknown), or not at all. */
  firstStage: { full: number; partial: number; none: number }
  /** Rules single-event evaluable, and not. */
  evaluable: number
  notEvaluable: number
  /** Rules decided on one event, needing a log of events (aggregations, joins), or neither. */
  scope: { event: number; log: number; none: number }
  /** Not-evaluable rules by their primary blocker category. */
  byCategory: Record<string, number>
  /** Rules per construct the parser does not support, most frequent first. */
  unsupportedConstructs: Record<string, number>
  /** Every rule whose first stage did not parse fully, with the constructs that stopped it. */
  notFull: Array<{ path: string; firstStage: "partial" | "none"; constructs: string[] }>
}

export function splCoverage(catalog: Pick<Catalog, "detections">): SplCoverage {
  const cov: SplCoverage = {
    rules: 0,
    firstStage: { full: 0, partial: 0, none: 0 },
    evaluable: 0,
    notEvaluable: 0,
    scope: { event: 0, log: 0, none: 0 },
    byCategory: {},
    unsupportedConstructs: {},
    notFull: [],
  }
  const constructs = new Map<string, number>()
  for (const d of catalog.detections) {
    const a = d.analysis ? splAnalysisOf(d.analysis) : undefined
    if (!a) continue
    cov.rules++
    cov.firstStage[a.parse.firstStage]++
    if (a.parse.firstStage !== "full") {
      // A first stage that is no event search at all (mstats, inputlookup...) has no unsupported
      // construct to name: its command is the reason.
      const constructs =
        a.parse.unsupportedConstructs.length > 0
          ? a.parse.unsupportedConstructs
          : [`first command: ${a.stages[0]?.command ?? "none"}`]
      cov.notFull.push({ path: d.path, firstStage: a.parse.firstStage, constructs })
    }
    cov.scope[evaluabilityScope({ evaluability: a.evaluability })]++
    if (a.evaluability.evaluable) cov.evaluable++
    else {
      cov.notEvaluable++
      const c = a.evaluability.category ?? "other"
      cov.byCategory[c] = (cov.byCategory[c] ?? 0) + 1
    }
    for (const u of new Set(a.parse.unsupportedConstructs)) constructs.set(u, (constructs.get(u) ?? 0) + 1)
  }
  const sorted = [...constructs.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
  cov.unsupportedConstructs = Object.fromEntries(sorted)
  return cov
}
