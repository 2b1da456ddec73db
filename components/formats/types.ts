/**
 * The page side of the format seam: what a rule format renders on its rules' pages beyond the
 * shared sections and the data blocks its `RuleFormat.pageSections` returns. One `FormatPage` per
 * folder under components/formats/, listed once in components/formats/registry.ts; the rule page
 * (components/rules/rule-page.tsx) reads the registry and names no format.
 *
 * Never imports: a format's folder (components/formats/<id>/) imports this file, the shared
 * components and its own lib/formats/<id>/ folder; nothing else imports a format's folder but the
 * registry.
 */
import type { RulePageView } from "@/lib/catalog/rule-page-view"

export interface FormatPage {
  /** The `RuleFormat.id` of the format this page part belongs to. */
  id: string
  /** The badge the rule's severity gets (`level` for Sigma, `severity` for Elastic); none when absent. */
  severityBadge?: "level" | "severity"
  /** Whether the rule's risk score gets a badge. */
  riskBadge?: boolean
  /** Hide the shared event coverage table (a format whose own sections say what it reads). */
  noEvents?: boolean
  /** How the rule body is highlighted, and what its download link calls the file. */
  body: { language: "yaml" | "text"; download: string }
  /**
   * Show the rule file as written near the end of the page, after the sections that explain it: for a
   * format whose own sections show the query (a Splunk or Elastic file is mostly other fields and would
   * push the query several screens down). Otherwise it follows the event coverage.
   */
  bodyLast?: boolean
  /** Hide the shared "Required fields" section (a format whose own sections list the fields it reads). */
  ownFields?: boolean
  /** Hide the shared "How to implement" section (a format whose own sections cover setup). */
  noImplement?: boolean
  /** Title of the "How to implement" section. */
  implementTitle?: string
  /** Below the ATT&CK table. */
  attackExtra?: (p: RulePageView) => React.ReactNode
  /** After the rule body: the query and its stages. */
  afterBody?: (p: RulePageView) => React.ReactNode
  /** After references: stories, drilldowns, tests, risk, related rules. */
  tail?: (p: RulePageView) => React.ReactNode
}
