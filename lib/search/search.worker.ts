/**
 * The search's web worker: fetches `/search-index.json` once, imports it once, and answers
 * SearchRequest messages with a SearchResponse.
 *
 * Owns: the only worker/DOM globals of the search (fetch, self.onmessage) and the message shapes.
 * Must never import: React, Next, Node built-ins.
 */
import { withBasePath } from "../site.ts"
import type { SearchData } from "./build-index.ts"
import { loadSearchIndex, type LoadedSearch } from "./load-index.ts"
import type { FacetSelection } from "./query.ts"
import { runSearch, WARM_UP_QUERIES, type SearchResult } from "./run.ts"

export interface SearchRequest {
  /** Increasing per client: answers to older ids are stale. */
  id: number
  query: string
  facets: FacetSelection
  /** Most hits returned. */
  limit: number
}

export type SearchResponse =
  | { id: number; ok: true; result: SearchResult; rules: number }
  | { id: number; ok: false; error: string }

const URL_PATH = "/search-index.json"
let loaded: Promise<LoadedSearch> | undefined

function load(): Promise<LoadedSearch> {
  loaded ??= fetch(withBasePath(URL_PATH))
    .then((r) => {
      if (!r.ok) throw new Error(`could not load the search index (${r.status} ${withBasePath(URL_PATH)})`)
      return r.json() as Promise<SearchData>
    })
    .then((data) => {
      const s = loadSearchIndex(data)
      for (const q of WARM_UP_QUERIES) runSearch(s, q, {}, 8)
      return s
    })
  loaded.catch(() => {
    loaded = undefined
  })
  return loaded
}

self.onmessage = async (e: MessageEvent<SearchRequest>) => {
  const { id, query, facets, limit } = e.data
  let reply: SearchResponse
  try {
    const s = await load()
    reply = { id, ok: true, result: runSearch(s, query, facets, limit), rules: s.data.rules.length }
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  self.postMessage(reply)
}
