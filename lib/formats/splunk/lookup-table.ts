/**
 * Lookup tables as the SPL row runner reads them: a lookup definition (lookups/*.yml) joined to
 * its CSV data.
 *
 * Owns: CSV parsing (RFC 4180: quoted fields, doubled quotes, CRLF), the definition's matching
 * options (`match_type` WILDCARD(col)/CIDR(col), `case_sensitive_match`, `default_match`,
 * `max_matches`), and which tables the rules can name.
 *
 * Invariants: pure; never throws on table text (a malformed line becomes a short row).
 * Never imports: React, Next, Node built-ins.
 */
import type { Lookup, LookupTableData } from "../../model/types.ts"

/** Rows of a CSV text; the first is the header. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else cell += ch
    } else if (ch === '"' && cell === "") quoted = true
    else if (ch === ",") {
      row.push(cell)
      cell = ""
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++
      row.push(cell)
      cell = ""
      if (row.length > 1 || row[0] !== "") rows.push(row)
      row = []
    } else cell += ch
  }
  if (cell !== "" || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

/** Columns named by `WILDCARD(col)` / `CIDR(col)` in a `match_type` value. */
function matchColumns(matchType: string | undefined, kind: "WILDCARD" | "CIDR"): string[] {
  return [...(matchType ?? "").matchAll(new RegExp(`${kind}\\(([^)]+)\\)`, "gi"))].map((m) => (m[1] as string).trim())
}

/** The table of a lookup definition from its CSV text. */
export function lookupTable(def: Lookup, csv: string): LookupTableData {
  const [header = [], ...rows] = parseCsv(csv.replace(/^\uFEFF/, ""))
  const t: LookupTableData = { columns: header.map((h) => h.trim()), rows }
  const wildcard = matchColumns(def.matchType, "WILDCARD")
  const cidr = matchColumns(def.matchType, "CIDR")
  if (wildcard.length) t.wildcard = wildcard
  if (cidr.length) t.cidr = cidr
  if (def.caseSensitive !== undefined) t.caseSensitive = def.caseSensitive
  if (def.defaultMatch !== undefined) t.defaultMatch = def.defaultMatch
  if (def.maxMatches !== undefined) t.maxMatches = def.maxMatches
  return t
}

/** Names a `lookup` command uses in these texts (searches, macro definitions). */
export function lookupNames(texts: Iterable<string>): Set<string> {
  const out = new Set<string>()
  for (const t of texts)
    for (const m of t.matchAll(/\blookup\s+(?:(?:local|update|event_time_field)=\S+\s+)*"?([\w.:-]+)"?/gi))
      out.add(m[1] as string)
  return out
}
