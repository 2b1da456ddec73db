/**
 * Sigma YAML reading: multi-document files, duplicate keys rejected, and the conservative scalar
 * resolution that reproduces PyYAML on the corpus.
 *
 * Owns: the int-tag override (only plain decimal integers become numbers, so `00000429` stays
 * the string Sigma authors meant), per-document values with a position lookup, and YAML errors
 * as positioned diagnostics. Two parsers, one result (as lib/source/yaml.ts does): js-yaml reads
 * an ordinary file several times faster; `yaml`, which keeps source ranges, decides whenever
 * js-yaml fails and supplies positions lazily, only for files that have something to report.
 * Except in files over REFERENCE_MAX_CHARS: there js-yaml's rejection is final, because `yaml`
 * alone takes 35–60 ms to re-read a broken 300 KB file (the fuzz budget is 50 ms per input).
 * Invariants: never throws on any text; dates stay strings (neither schema has a timestamp type);
 * both paths use the same strict int rule.
 * Never imports: React, Next, Node built-ins.
 */
import jsyaml from "js-yaml"
import { LineCounter, parseAllDocuments, type Document, type ScalarTag } from "yaml"

import {
  collectionKeyDiagnostics,
  COLLECTION_KEY_HINT,
  firstLine,
  positionIn,
  sharesCollections,
  yamlErrorDiagnostics,
} from "../../source/yaml.ts"
import type { Diagnostic } from "../../model/types.ts"

const MAX_ALIAS_COUNT = 1_000

/**
 * Above this many characters a file js-yaml rejects is not re-read by `yaml`; js-yaml's error,
 * with its position, is the diagnostic. `yaml` reads about 150 ns a character, so this keeps the
 * second read of any file under ~25 ms. The cost: such a file that only js-yaml rejects (a
 * non-printable character, which YAML forbids and `yaml` lets through; js-yaml's stricter
 * indentation and `?` keys: 1 % of js-yaml's rejections of fuzzed rules) is refused, with a
 * positioned error, instead of loaded. The largest file of both corpora (295 KB) is one js-yaml reads.
 */
export const REFERENCE_MAX_CHARS = 128 * 1024
const INT_TAG = "tag:yaml.org,2002:int"

/** The one int tag: plain decimal only; octal-looking, hex and `1_000` spellings stay strings. */
const strictInt: ScalarTag = {
  identify: (v) => typeof v === "number" && Number.isInteger(v),
  default: true,
  tag: INT_TAG,
  test: /^[-+]?(0|[1-9][0-9]*)$/,
  resolve: (s) => Number.parseInt(s, 10),
}

const scalarType = (tag: string, test: RegExp, construct: (s: string) => unknown, kind: (v: unknown) => boolean) =>
  new jsyaml.Type(tag, {
    kind: "scalar",
    resolve: (s: string | null) => s !== null && test.test(s),
    construct,
    predicate: kind,
  })

/**
 * js-yaml twin of the `yaml` core schema with `strictInt`: written out rather than taken from
 * js-yaml's own types, whose float also accepts `00000429` and would turn it into 429.
 */
const FAST_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalarType(
      "tag:yaml.org,2002:null",
      /^(?:~|null|Null|NULL|)$/,
      () => null,
      (v) => v === null,
    ),
    scalarType(
      "tag:yaml.org,2002:bool",
      /^(?:true|True|TRUE|false|False|FALSE)$/,
      (s) => /^t/i.test(s),
      (v) => typeof v === "boolean",
    ),
    scalarType(
      INT_TAG,
      /^[-+]?(0|[1-9][0-9]*)$/,
      (s) => Number.parseInt(s, 10),
      (v) => typeof v === "number" && Number.isInteger(v),
    ),
    scalarType(
      "tag:yaml.org,2002:float",
      /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$/,
      (s) => Number.parseFloat(s),
      (v) => typeof v === "number",
    ),
  ],
})

export interface SigmaDocument {
  /** 0-based index within the file. */
  index: number
  value: unknown
  /** 1-based line and column of the node at `keyPath` (or its nearest existing ancestor). */
  position: (keyPath: ReadonlyArray<string | number>) => { line: number; column: number }
}

export interface SigmaYaml {
  documents: SigmaDocument[]
  diagnostics: Diagnostic[]
}

function parseSlowDocs(text: string, lineCounter: LineCounter): Document.Parsed[] {
  // Every YAML error is an Error, and capturing its stack (never read) was half the time of a
  // broken file: a 300 KB hash list cut mid-line gave 8,154 errors and took 160 ms to read.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      // Warnings become diagnostics (collectionKeyDiagnostics), never process warnings.
      logLevel: "error",
      customTags: (tags) => [...tags.filter((t) => (t as ScalarTag).tag !== INT_TAG), strictInt],
    }) as Document.Parsed[]
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** The fast path: js-yaml's reading, its error, or undefined when `yaml` must decide. */
function parseFast(text: string): SigmaDocument[] | jsyaml.YAMLException | undefined {
  let docs: unknown[]
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: FAST_SCHEMA, json: false }) as unknown[]
  } catch (e) {
    return e instanceof jsyaml.YAMLException ? e : undefined
  }
  if (docs.length === 0 || docs.some((d) => d === null || d === undefined || sharesCollections(d, text)))
    return undefined
  let slow: { docs: Document.Parsed[]; lineCounter: LineCounter } | undefined
  return docs.map((value, index) => ({
    index,
    value,
    position: (keyPath) => {
      if (!slow) {
        const lineCounter = new LineCounter()
        slow = { docs: parseSlowDocs(text, lineCounter).filter((d) => d.contents !== null), lineCounter }
      }
      const doc = slow.docs[index]
      return doc ? positionIn(doc, slow.lineCounter, keyPath) : { line: 1, column: 1 }
    },
  }))
}

/** Parse every document of a Sigma file; any YAML error rejects the whole file. */
export function parseSigmaYaml(path: string, text: string): SigmaYaml {
  const fast = parseFast(text)
  if (Array.isArray(fast)) {
    if (text.length > REFERENCE_MAX_CHARS || !COLLECTION_KEY_HINT.test(text))
      return { documents: fast, diagnostics: [] }
    // A key may be a list or mapping: the reference reads it, with its warning. But `yaml` refuses
    // a flow collection as a key after the first key of a block mapping, which js-yaml (and YAML)
    // allow; js-yaml's reading then stands.
    const slow = parseSigmaYamlSlow(path, text)
    return slow.diagnostics.some((d) => d.severity === "error") ? { documents: fast, diagnostics: [] } : slow
  }
  if (fast && text.length > REFERENCE_MAX_CHARS)
    return { documents: [], diagnostics: [fastErrorDiagnostic(path, fast)] }
  return parseSigmaYamlSlow(path, text)
}

/** js-yaml's error as a diagnostic: its reason at its (0-based) mark. */
function fastErrorDiagnostic(path: string, e: jsyaml.YAMLException): Diagnostic {
  const reason = firstLine(e.reason || e.message)
  return {
    path,
    line: (e.mark?.line ?? 0) + 1,
    column: (e.mark?.column ?? 0) + 1,
    severity: "error",
    code: /^duplicated mapping key/.test(reason) ? "duplicate-key" : "yaml-syntax",
    message: `${reason} (in a file over ${REFERENCE_MAX_CHARS / 1024} KB only the first YAML error is reported)`,
  }
}

/** The `yaml` reading with positions: the reference, and the path for anything unusual. */
export function parseSigmaYamlSlow(path: string, text: string): SigmaYaml {
  const diagnostics: Diagnostic[] = []
  const lineCounter = new LineCounter()
  const docs = parseSlowDocs(text, lineCounter)
  diagnostics.push(
    ...yamlErrorDiagnostics(
      path,
      docs.flatMap((d) => d.errors),
      lineCounter,
    ),
  )
  if (diagnostics.length > 0) return { documents: [], diagnostics }
  const documents: SigmaDocument[] = []
  docs.forEach((doc, index) => {
    // A trailing `---` leaves an empty document behind; it holds nothing to load.
    if (doc.contents === null) return
    diagnostics.push(...collectionKeyDiagnostics(path, text, doc, lineCounter))
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    } catch (e) {
      diagnostics.push({
        path,
        line: 0,
        column: 0,
        severity: "error",
        code: "yaml-aliases",
        message: `cannot expand YAML: ${firstLine(String((e as Error).message))}`,
      })
      return
    }
    documents.push({ index, value, position: (keyPath) => positionIn(doc, lineCounter, keyPath) })
  })
  if (documents.length === 0 && diagnostics.length === 0)
    diagnostics.push({
      path,
      line: 0,
      column: 0,
      severity: "error",
      code: "empty-file",
      message: "file holds no YAML document",
    })
  return { documents, diagnostics }
}

/** Cheap check on raw text: does this YAML look like a Sigma rule (or correlation) document? */
export function looksLikeSigma(text: string): boolean {
  return (
    (/^detection:/m.test(text) && /^logsource:/m.test(text)) || (/^correlation:/m.test(text) && /^title:/m.test(text))
  )
}
