/**
 * The light side of the format registry: each format's tester part (id, label, how its rules
 * read events), for code that runs in the browser (the tester worker, the tester and search UI).
 * lib/formats/registry.ts lists the same formats with their readers, for the build.
 *
 * Invariants: the same formats in the same order as FORMATS (a test checks it); imports only
 * lib/formats/<id>/tester.ts files, never a reader.
 * Never imports: React, Next, Node built-ins.
 */
import { elasticTesting } from "./elastic/tester.ts"
import { sigmaTesting } from "./sigma/tester.ts"
import { splunkTesting } from "./splunk/tester.ts"
import type { FormatTesting } from "./types.ts"

/** Every format's tester part, in registry order. */
export const FORMAT_TESTERS: readonly FormatTesting[] = [elasticTesting, sigmaTesting, splunkTesting]

const BY_ID = new Map(FORMAT_TESTERS.map((f) => [f.id, f]))

/** The tester part of the format with this id, or undefined. */
export function findFormatTesting(id: string): FormatTesting | undefined {
  return BY_ID.get(id)
}

/** The label people see for a format id; the id itself when no format has it. */
export function formatLabel(id: string): string {
  return BY_ID.get(id)?.label ?? id
}

/** Whether a site path is a rule page (`/rules/<format>/<slug>/`). */
export function isRulePagePath(path: string): boolean {
  const m = /^\/rules\/([^/?#]+)\/[^/?#]+\/?(?:[?#]|$)/.exec(path)
  return m !== null && BY_ID.has(m[1] ?? "")
}
