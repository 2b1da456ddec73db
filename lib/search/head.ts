/**
 * The first part of the search index (`/search-head.bin`): what answers a first key well, small
 * enough to fetch while a page idles. It holds each rule's name, format, type, status and domain
 * and its techniques (ids and names), in the rule order of `/search-index.json`, and the SHA-256
 * of that file's text, which names the build: an earlier visit's save of the whole index
 * (term-cache.ts) is used only when it was made from the same text.
 *
 * Owns: the head's shape and version, taking it from the full payload (buildSearchHead), and
 * turning it back into a payload the engine loads as is (headData), every other column empty.
 * Invariants: the head's columns are copies of the full payload's, so a rule is the same number
 * in both and every answer from the head is made by the same engine (load-index.ts, run.ts) over
 * fewer texts: for a single term, its name matches rank first in both. Pure: the caller
 * compresses, fetches and hashes.
 * Never imports: React, Next, Node built-ins.
 */
import type { SearchData } from "./build-index.ts"
import { SEARCH_DATA_VERSION } from "./build-index.ts"

/** `/search-head.bin`, once inflated. */
export interface SearchHead {
  /** SEARCH_DATA_VERSION of the payload it was taken from. */
  version: number
  /** Hex SHA-256 of the `/search-index.json` text of the same build. */
  full: string
  tables: Pick<SearchData["tables"], "formats" | "types" | "statuses" | "domains">
  techniques: SearchData["techniques"]
  rules: Pick<SearchData["rules"], "name" | "format" | "type" | "status" | "domain" | "techniques">
}

/** The head of `data`; `fullHash` is the hex SHA-256 of the text `data` is shipped as. */
export function buildSearchHead(data: SearchData, fullHash: string): SearchHead {
  const { tables: t, rules: r } = data
  return {
    version: data.version,
    full: fullHash,
    tables: { formats: t.formats, types: t.types, statuses: t.statuses, domains: t.domains },
    techniques: data.techniques,
    rules: {
      name: r.name,
      format: r.format,
      type: r.type,
      status: r.status,
      domain: r.domain,
      techniques: r.techniques,
    },
  }
}

/**
 * The head as a payload the engine loads (loadSearchIndex): the columns it lacks are empty (no
 * description, file, author, lists or indicators; slugs unknown, so hits from it carry an empty
 * slug). Throws on a head of another version.
 */
export function headData(head: SearchHead): SearchData {
  if (head.version !== SEARCH_DATA_VERSION) {
    throw new Error(`search head version ${head.version}, expected ${SEARCH_DATA_VERSION}: rebuild the site`)
  }
  const n = head.rules.name.length
  return {
    version: head.version,
    idsApart: true,
    tables: {
      ...head.tables,
      authors: [],
      dirs: [],
      tactics: [],
      sources: [],
      macros: [],
      stories: [],
      fields: [],
      kinds: [],
      exts: [],
    },
    techniques: head.techniques,
    rules: {
      ...head.rules,
      id: [],
      slug: Array.from({ length: n }, () => ""),
      description: [],
      author: [],
      dir: Array.from({ length: n }, () => -1),
      file: Array.from({ length: n }, () => ""),
      tactics: [],
      sources: [],
      macros: [],
      stories: [],
      indicators: [],
    },
    indicators: { field: [], kind: [], value: [] },
    values: [],
  }
}
