/**
 * zod issues → `path:line:column` diagnostics.
 *
 * Owns: wording schema failures so a user can fix the file without reading the schema.
 * Never imports: React, Next, Node built-ins.
 */
import type { z } from "zod"

import type { Diagnostic } from "./diagnostics.ts"

type Position = (keyPath: ReadonlyArray<string | number>) => { line: number; column: number }

/** One error diagnostic per zod issue, positioned at the offending key. */
export function issuesToDiagnostics(
  path: string,
  issues: ReadonlyArray<z.core.$ZodIssue>,
  position: Position,
  schemaName: string,
): Diagnostic[] {
  return issues.map((issue) => {
    const keyPath = issue.path.filter((k): k is string | number => typeof k !== "symbol")
    const where = keyPath.length > 0 ? keyPath.join(".") : "(top level)"
    const p = position(keyPath)
    return {
      path,
      line: p.line,
      column: p.column,
      severity: "error" as const,
      code: "schema",
      message: `${where}: ${describeIssue(issue)} (${schemaName})`,
    }
  })
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    const got = (issue as { input?: unknown }).input
    if (got === undefined) return `required key is missing (expected ${issue.expected})`
    return `expected ${issue.expected}, got ${typeName(got)}`
  }
  if (issue.code === "invalid_value") return `${issue.message}`
  return issue.message
}

function typeName(v: unknown): string {
  if (v === null) return "null"
  if (Array.isArray(v)) return "a list"
  if (typeof v === "object") return "a mapping"
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`
}
