/**
 * The one predicate representation shared by every rule format (SPL, Sigma, and any format
 * registered in lib/formats).
 *
 * Owns: the JSON shape of a boolean filter over a single event, and the event shape it is
 * evaluated against.
 *
 * Invariants:
 * - Plain data only (no functions, classes, Maps, RegExps): predicates are cached at build time
 *   and posted to a web worker, so `JSON.parse(JSON.stringify(p))` must round-trip.
 * - Every leaf carries a numeric `id`, unique within one predicate tree (see `numberLeaves`), so
 *   evaluation traces and the UI can point at it.
 * - Field names are case-sensitive and stored as the event field to read (data-model prefixes
 *   removed, renames undone); `written` keeps the spelling in the rule for display.
 * - `lang` fixes the comparison semantics of a leaf:
 *   'search' = Splunk search language: values case-insensitive, `*` wildcard, whole-value match,
 *              a missing field makes the leaf false;
 *   'eval'   = eval/where language: case-sensitive exact strings, no wildcards, a missing field
 *              makes the leaf NULL (three-valued logic; `NOT null` stays null, `where` drops it).
 *
 * Must never import: React, Next, Node built-ins, or anything outside lib/predicate.
 */

export type CmpOp = "=" | "!=" | "<" | "<=" | ">" | ">="
export type Lang = "search" | "eval"
/**
 * A function applied to each event value before comparing: case conversion (`lower(f)="x"`) or
 * `len(f)>200` (character count, compared numerically).
 */
export type ValueFn = "lower" | "upper" | "len"

/** Provenance and display data shared by all leaves. */
export type LeafBase = {
  /** Stable number within the tree; assigned by `numberLeaves`. */
  id: number
  /** The field as written in the rule (e.g. `Processes.process_name`), when it differs. */
  written?: string
  /**
   * Data-model dataset prefix (`Processes`) when the field belongs to a tstats data model: the
   * evaluator then accepts both `process_name` and `Processes.process_name` on the event.
   */
  dm?: string
  /** Name of the macro whose expansion produced this leaf, innermost first. */
  macro?: string
  /** Sigma: the search identifier (`selection_img`) this leaf belongs to. */
  selection?: string
  /**
   * The value as written, when the rule's format expanded one written value into several leaves
   * (Sigma `windash`: `/node:` → `-node:`, `/node:`, `–node:`…; `base64offset`): indicators count
   * the written value once. Same syntax as `value` (search-language glob).
   */
  variantOf?: string
  /** The modifier that made the expansion (`windash`, `base64offset`); set with `variantOf`. */
  expansion?: string
  /** Pipeline stage the leaf comes from (0-based), set by rule analysers. */
  stage?: number
  /**
   * Set when the field is computed by an earlier stage (eval, rex, spath...) that the evaluator
   * does not execute: a missing field then yields 'unknown' instead of false.
   */
  derived?: string
  /** Metadata/knowledge-object field (index, source, eventtype, tag...): see EvaluateOptions. */
  meta?: boolean
  /**
   * Value a missing field reads as, because an earlier stage filled nulls (tstats
   * `fillnull_value=null`, `fillnull value=x f`): `isnull(f)` is then false and `f="null"` true.
   */
  fill?: string
}

export type CmpLeaf = LeafBase & {
  op: "cmp"
  field: string
  cmpOp: CmpOp
  /** Search lang: unescaped text with `*` wildcards. Eval lang: the literal string or number text. */
  value: string
  lang: Lang
  fn?: ValueFn
  /** Search-language CASE(...) directive: compare case-sensitively. */
  caseSensitive?: boolean
  /**
   * Eval lang: the literal was a number (`count>5`), so equality is numeric when the event value
   * is numeric; a string literal (`x="5"`) compares as text. Search lang with `<`, `<=`, `>`,
   * `>=` (Sigma `lt`/`gt`...): the comparison is numeric only, a non-numeric event value fails.
   */
  numeric?: boolean
}

/** `field IN (a, b)` (search: wildcards, case-insensitive) or eval `in(field, "a", "b")` (exact). */
export type InLeaf = LeafBase & { op: "in"; field: string; values: string[]; lang: Lang; fn?: ValueFn }

/**
 * Field-to-field comparison from eval/where (`user=src_user`, `old!=new`), or Sigma `fieldref`
 * (`lang: 'search'`: a missing field makes it false instead of NULL; with `fn: 'lower'` it is
 * case-insensitive). `match` turns `=` into a substring / prefix / suffix test of `field`'s value
 * against `other`'s value (Sigma `fieldref|contains` and friends).
 */
export type FieldCmpLeaf = LeafBase & {
  op: "fieldcmp"
  field: string
  cmpOp: CmpOp
  other: string
  fn?: ValueFn
  lang?: Lang
  match?: "contains" | "startswith" | "endswith"
}

/** SQL LIKE: case-sensitive, `%` any run, `_` one character, whole value. Always eval lang. */
export type LikeLeaf = LeafBase & { op: "like"; field: string; pattern: string; fn?: ValueFn }

/**
 * Unanchored regular expression (PCRE source as written after string unescaping). `lang`
 * 'search' is the `| regex` command (missing field = no match), 'eval' is match() (missing = null).
 */
export type RegexLeaf = LeafBase & { op: "regex"; field: string; pattern: string; lang: Lang; fn?: ValueFn }

/**
 * cidrmatch(cidr, field): IPv4 or IPv6 subnet membership. A missing field is NULL, unless
 * `lang` is 'search' (Sigma `cidr`), where it is false.
 */
export type CidrLeaf = LeafBase & { op: "cidr"; field: string; cidr: string; lang?: Lang }

/** Null tests never yield null themselves. An empty string is not null. */
export type NullLeaf = LeafBase & { op: "isnull" | "isnotnull"; field: string }

/**
 * Free-text search term: case-insensitive wildcard match anywhere in `_raw` (SPL). With
 * `scope: 'fields'` (Sigma keywords) it is searched in every value of every field of the event,
 * since Sigma events have no raw text. `regex` marks `value` as an RE2 source searched instead of
 * a glob (a keyword with a `?` wildcard or a literal `*`).
 */
export type KeywordLeaf = LeafBase & { op: "keyword"; value: string; scope?: "raw" | "fields"; regex?: boolean }

/** Something the evaluator cannot decide (subsearch, unsupported function...). Always 'unknown'. */
export type UnknownLeaf = LeafBase & { op: "unknown"; construct: string; reason: string; text: string }

export type Leaf =
  CmpLeaf | InLeaf | FieldCmpLeaf | LikeLeaf | RegexLeaf | CidrLeaf | NullLeaf | KeywordLeaf | UnknownLeaf

export type Predicate =
  | { op: "and"; args: Predicate[] }
  | { op: "or"; args: Predicate[] }
  /** Eval-language XOR (where only). */
  | { op: "xor"; args: Predicate[] }
  | { op: "not"; arg: Predicate }
  | { op: "true" }
  | { op: "false" }
  | Leaf

export type LeafOp = Leaf["op"]

/** One event: field name → value. Arrays are multivalue fields; null/undefined means absent. */
export type EventValue = string | string[] | number | boolean | null | undefined
export type Event = Record<string, EventValue>

/** Result of one node: true, false, 'unknown' (undecidable) or null (eval-language NULL). */
export type Truth = boolean | "unknown" | null

export function isLeaf(p: Predicate): p is Leaf {
  return p.op !== "and" && p.op !== "or" && p.op !== "xor" && p.op !== "not" && p.op !== "true" && p.op !== "false"
}
