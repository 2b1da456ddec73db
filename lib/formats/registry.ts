/**
 * The registry of rule formats: one line per format. Everything that handles rules of several
 * formats (catalog loader, tester, indicators, rule pages, search, CLI) iterates `FORMATS` or
 * looks a format up by id here, and never tests a format id itself.
 *
 * Owns: the list of formats and its order. Order matters twice: the first format whose
 * `claims` accepts a file loads it (so a catch-all reader goes last), and lists of formats are
 * shown in this order.
 * Invariants: ids are unique; the list is fixed at import time.
 * Never imports: React, Next, Node built-ins; lib/formats/<id>/format.ts of each format, and
 * nothing else above lib/formats/types.ts.
 */
import { elasticFormat } from "./elastic/format.ts"
import { sigmaFormat } from "./sigma/format.ts"
import { splunkFormat } from "./splunk/format.ts"
import type { RuleFormat, SourceFile } from "./types.ts"

/**
 * Every rule format the catalog reads, in claim order: Elastic (TOML with a [rule] table) and
 * Sigma files are recognised by content wherever they sit, so they go before Splunk, which
 * claims whole folders.
 */
export const FORMATS: readonly RuleFormat[] = [elasticFormat, sigmaFormat, splunkFormat]

const BY_ID = new Map(FORMATS.map((f) => [f.id, f]))

/** The format with this id; throws on an id no format registered (a programming error). */
export function formatById(id: string): RuleFormat {
  const f = BY_ID.get(id)
  if (!f) throw new Error(`no rule format "${id}" is registered (known: ${FORMATS.map((x) => x.id).join(", ")})`)
  return f
}

/** The format with this id, or undefined (for ids read from URLs or user input). */
export function findFormat(id: string): RuleFormat | undefined {
  return BY_ID.get(id)
}

/** The label people see for a format id; the id itself when no format has it. */
export function formatLabel(id: string): string {
  return BY_ID.get(id)?.label ?? id
}

/** The first format that claims a file, or undefined with the reason it is ignored. */
export function claimingFormat(file: SourceFile): { format: RuleFormat } | { format?: undefined; reason: string } {
  for (const f of FORMATS) if (f.claims(file)) return { format: f }
  for (const f of FORMATS) {
    const reason = f.unclaimedReason?.(file)
    if (reason !== undefined) return { reason }
  }
  return { reason: "not a rule file of any format this catalog reads" }
}
