/**
 * Parses the body of a filtering stage (`search`, `where`, `regex`) into a raw predicate (field
 * names as written; `resolve.ts` maps them to event fields afterwards).
 *
 * Owns: dispatch per filter command, the `regex` command syntax, and the extra field references
 * a where-expression makes outside supported leaves (for threshold detection).
 *
 * Invariants: never throws; syntax problems come back in `errors` with an 'unknown' leaf
 * ('parse-error') standing in for the unparsed part.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { not } from "../../../predicate/build.ts"
import type { Predicate } from "../../../predicate/types.ts"
import { exprFields } from "./eval-parser.ts"
import { parseSearch, type ParseContext } from "./search-parser.ts"
import { unescapeSpl } from "./text.ts"
import { parseWhere } from "./where.ts"

export type FilterParse = {
  predicate: Predicate
  errors: string[]
  constructs: string[]
  /** All field names the expression mentions (including inside unsupported parts). */
  fields: string[]
}

const REGEX_ARGS = /^\s*(?:([^\s="!]+|"[^"]*")\s*(!=|=)\s*)?"((?:[^"\\]|\\[\s\S])*)"\s*$/

function parseRegexCommand(body: string): FilterParse {
  const m = REGEX_ARGS.exec(body)
  if (!m) {
    return {
      predicate: {
        op: "unknown",
        id: 0,
        construct: "parse-error",
        reason: "unrecognised regex command syntax",
        text: body.trim(),
      },
      errors: ["unrecognised regex command syntax"],
      constructs: ["parse-error"],
      fields: [],
    }
  }
  const field = m[1] ? m[1].replace(/^"|"$/g, "") : "_raw"
  const leaf: Predicate = { op: "regex", id: 0, field, pattern: unescapeSpl(m[3] as string), lang: "search" }
  // `regex f!="re"` keeps events whose field does not match, including events without it.
  return { predicate: m[2] === "!=" ? not(leaf) : leaf, errors: [], constructs: [], fields: [field] }
}

export function parseFilter(command: string, body: string, offset: number, ctx: ParseContext): FilterParse {
  if (command === "where") {
    const r = parseWhere(body)
    return { predicate: r.predicate, errors: r.errors, constructs: r.constructs, fields: [...exprFields(r.expr)] }
  }
  if (command === "regex") return parseRegexCommand(body)
  const r = parseSearch(body, offset, ctx)
  return { predicate: r.predicate, errors: r.errors, constructs: r.constructs, fields: [] }
}
