/**
 * Findings on input files, as every reader reports them: `path:line:column: severity: message [code]`.
 *
 * Owns: the `Diagnostic` shape and its one-line text form.
 * Invariants: plain JSON; positions are 1-based, 0 when unknown or when the finding concerns the
 * whole file.
 * Never imports: React, Next, Node built-ins, or any other lib/ folder (lib/source is the bottom
 * layer every reader stands on).
 */

/** How bad a finding on an input file is. An `error` means the record was not loaded. */
export type Severity = "error" | "warning"

/** One finding on one input file, reported as `path:line:column: message`. */
export interface Diagnostic {
  /** File path relative to its content root, prefixed with the root's label. */
  path: string
  /** 1-based line; 0 when the finding concerns the whole file. */
  line: number
  /** 1-based column; 0 when unknown. */
  column: number
  severity: Severity
  /** Stable machine code, e.g. `yaml-syntax`, `schema`, `duplicate-id`, `unknown-macro`. */
  code: string
  message: string
}

/** The first error's code and message, or `rejected` when there is none: a file record's reason. */
export function firstError(diagnostics: readonly Diagnostic[]): string {
  const d = diagnostics.find((x) => x.severity === "error")
  return d ? `${d.code}: ${d.message}` : "rejected"
}

/** Line and column of the first occurrence of `needle` in a file, for findings located by text. */
export function positionOf(raw: string, needle: string): { line: number; column: number } {
  const at = raw.indexOf(needle)
  if (at < 0) return { line: 1, column: 1 }
  const before = raw.slice(0, at)
  const line = before.split("\n").length
  return { line, column: at - before.lastIndexOf("\n") }
}
