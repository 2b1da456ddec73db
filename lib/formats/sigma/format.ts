/**
 * The Sigma format: any YAML file with top-level `logsource:` and `detection:` (or
 * `correlation:`), wherever it sits, compiled to the shared predicate while reading.
 *
 * Owns: the Sigma answers to the RuleFormat questions. Its rules read the `sigma` shape of a
 * built event (Sysmon EventID 1 in Sigma's field names); a pasted event is read with Sigma's
 * names (sigmaEventOf) and gated on the logsources its Channel and EventID name; rules' data
 * source names come from the logsource table, so only those the catalog defines are kept.
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/sigma but
 * lib/formats/types.ts, lib/events, lib/predicate, lib/model and lib/source.
 */
import { firstError } from "../../source/diagnostics.ts"
import type { LoadResult, RuleFormat } from "../types.ts"
import { loadSigmaFile } from "./record.ts"
import { sigmaCoverage } from "./report.ts"
import { sigmaTesting } from "./tester.ts"
import { looksLikeSigma } from "./yaml.ts"

export const sigmaFormat: RuleFormat = {
  ...sigmaTesting,
  claims: (file) => /\.ya?ml$/i.test(file.rel) && file.text !== undefined && looksLikeSigma(file.text),
  load: (file, context): LoadResult => {
    const r = loadSigmaFile(file.path, file.text ?? "", context.attack)
    const loaded = r.detections.length > 0
    const result: LoadResult = {
      detections: r.detections,
      diagnostics: r.diagnostics,
      file: { kind: "detection", status: loaded ? "loaded" : "rejected" },
    }
    if (!loaded) result.file.reason = firstError(r.diagnostics)
    else if (r.rejected > 0)
      result.file.reason = `${r.rejected} of ${r.rejected + r.detections.length} documents rejected: ${firstError(r.diagnostics)}`
    return result
  },
  // The compiler analysed each rule while reading it.
  analyser: () => (d) => (d.analysis ? { analysis: d.analysis, diagnostics: [] } : { diagnostics: [] }),
  dataSourceNames: "derived",
  pageSections: () => [],
  report: (detections) => ({ sigma: sigmaCoverage({ detections: [...detections] }) }),
}
