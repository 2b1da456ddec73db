/**
 * Public surface of the Sigma core: what the catalog loader, the tester and the CLI call.
 *
 * Owns: `readSigmaText` (a whole file → its rules and positioned diagnostics) and re-exports.
 * Invariants: pure; never throws on any input text.
 * Never imports: React, Next, Node built-ins.
 */
import type { Diagnostic } from "../../model/types.ts"
import { readSigmaDocument, type SigmaRule } from "./rule.ts"
import { parseSigmaYaml } from "./yaml.ts"

export type {
  SigmaAnalysis,
  SigmaCorrelation,
  SigmaIssue,
  SigmaLogsource,
  SigmaRelated,
  SigmaSelection,
} from "./types.ts"
export type { SigmaRule } from "./rule.ts"
export { readSigmaDocument, SIGMA_LEVELS, SIGMA_STATUSES } from "./rule.ts"
export { compileDetection } from "./detection.ts"
export { compileEntry, MODIFIERS } from "./modifiers.ts"
export { parseCondition } from "./condition.ts"
export { looksLikeSigma, parseSigmaYaml } from "./yaml.ts"
export { eventLogsources, logsourceAdmits, logsourceCoverage, PROCESS_CREATION } from "./logsource.ts"
export { flattenEvtx, flattenJson, isEvtxJson, processCreationEvent, sigmaEventOf } from "./event.ts"

export interface SigmaFileResult {
  /** One entry per YAML document that loaded, with its index in the file. */
  rules: Array<{ rule: SigmaRule; document: number }>
  diagnostics: Diagnostic[]
  /** Documents that did not load (each has at least one error diagnostic). */
  rejected: number
}

/** Parse, validate and compile every document of one Sigma file. */
export function readSigmaText(path: string, text: string): SigmaFileResult {
  const yaml = parseSigmaYaml(path, text)
  // A YAML warning (a list used as a key) leaves the documents readable; only an error rejects the file.
  const out: SigmaFileResult = {
    rules: [],
    diagnostics: [...yaml.diagnostics],
    rejected: yaml.diagnostics.some((d) => d.severity === "error") ? 1 : 0,
  }
  const multi = yaml.documents.length > 1
  for (const doc of yaml.documents) {
    const r = readSigmaDocument(doc.value)
    for (const issue of r.issues) {
      const pos = doc.position(issue.at)
      const where = multi ? ` (document ${doc.index + 1})` : ""
      out.diagnostics.push({
        path,
        line: pos.line,
        column: pos.column,
        severity: issue.severity,
        code: issue.code,
        message: `${issue.message}${where}`,
      })
    }
    if (r.rule) {
      if (multi) r.rule.analysis.document = doc.index
      out.rules.push({ rule: r.rule, document: doc.index })
    } else out.rejected++
  }
  return out
}
