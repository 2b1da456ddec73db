/**
 * The one FlexSearch Document factory: the build (build-index.ts) and the browser (load-index.ts)
 * both create their Document here, so an export and its import can never disagree on fields,
 * tokenizers or encoder.
 *
 * Owns: the indexed fields (SEARCH_FIELDS: name, label, ranking weight, tokenizer), the encoder,
 * and how a rule record becomes an indexed document.
 * Invariants: document ids are rule positions in `SearchRecords.rules`; nothing is stored in the
 * Document (records travel beside it), which keeps the export to the inverted index only.
 * Never imports: React, Next, Node built-ins.
 */
import { Document, Encoder, type Tokenizer } from "flexsearch"

import type { SearchRecords, SearchRule } from "./records.ts"

/** An indexed field: what it holds, how it is shown as the reason of a match, how it ranks. */
export interface SearchField {
  /** Document field name. */
  name: SearchFieldName
  /** Shown as "matched on …". */
  label: string
  /** Ranking weight of a match in this field; the best field of a rule decides its rank. */
  weight: number
  /** `forward` matches prefixes (as you type); `strict` whole words only, for long text. */
  tokenize: Tokenizer
  /** Score slots FlexSearch keeps per term (1 to 9): more ranks finer, costs index size. */
  resolution: number
  /** False for values searched whole (ids): no split into words. */
  split?: false
}

export type SearchFieldName =
  | "name"
  | "indicator"
  | "technique"
  | "id"
  | "tactic"
  | "source"
  | "field"
  | "macro"
  | "story"
  | "author"
  | "path"
  | "meta"
  | "description"

/** Indexed fields, strongest first. */
export const SEARCH_FIELDS: SearchField[] = [
  { name: "name", label: "name", weight: 100, tokenize: "forward", resolution: 5 },
  { name: "indicator", label: "indicator", weight: 80, tokenize: "forward", resolution: 3 },
  { name: "technique", label: "technique", weight: 70, tokenize: "forward", resolution: 1 },
  { name: "id", label: "id", weight: 70, tokenize: "strict", resolution: 1, split: false },
  { name: "tactic", label: "tactic", weight: 50, tokenize: "forward", resolution: 1 },
  { name: "source", label: "data source", weight: 50, tokenize: "forward", resolution: 1 },
  { name: "field", label: "field", weight: 40, tokenize: "forward", resolution: 1 },
  { name: "macro", label: "macro", weight: 40, tokenize: "strict", resolution: 1 },
  { name: "story", label: "story", weight: 40, tokenize: "forward", resolution: 1 },
  { name: "author", label: "author", weight: 30, tokenize: "forward", resolution: 1 },
  { name: "path", label: "file", weight: 30, tokenize: "strict", resolution: 1 },
  { name: "meta", label: "type, status or format", weight: 20, tokenize: "strict", resolution: 1 },
  { name: "description", label: "description", weight: 10, tokenize: "strict", resolution: 1 },
]

/** The text each field indexes for one rule. */
export type SearchDoc = Record<SearchFieldName, string> & { rule: number }

export type SearchIndex = Document<SearchDoc>

/**
 * Case and diacritics folded, words split on anything but letters and digits; no letter
 * deduplication and no digit splitting, so `process` and `T1047` stay whole.
 */
function encoder(split?: false): Encoder {
  return new Encoder({ normalize: true, dedupe: false, numeric: false, ...(split === false ? { split: /\s+/ } : {}) })
}

/** A new, empty Document with the search's fields. */
export function createSearchIndex(): SearchIndex {
  return new Document<SearchDoc>({
    document: {
      id: "rule",
      index: SEARCH_FIELDS.map((f) => ({
        field: f.name,
        tokenize: f.tokenize,
        resolution: f.resolution,
        encoder: encoder(f.split),
      })),
    },
  })
}

/** The indexed document of rule number `r`. */
export function searchDoc(records: SearchRecords, r: number): SearchDoc {
  const rule = records.rules[r] as SearchRule
  const indicators = rule.indicators.map((i) => records.indicators[i]).filter((i) => i !== undefined)
  return {
    rule: r,
    name: rule.name,
    indicator: indicators.map((i) => i[2]).join("\n"),
    technique: rule.techniques.map((t) => `${t} ${records.techniqueNames[t] ?? ""}`).join("\n"),
    id: rule.id,
    tactic: rule.tactics.join("\n"),
    source: rule.dataSources.join("\n"),
    field: [...new Set(indicators.map((i) => i[0]))].join("\n"),
    macro: rule.macros.join("\n"),
    story: rule.stories.join("\n"),
    author: rule.author,
    path: rule.path,
    meta: `${rule.type} ${rule.status} ${rule.format} ${rule.domain}`,
    description: rule.description,
  }
}
