/**
 * The search's web worker: fetches `/search-index.json` once, loads it once, fetches
 * `/search-ids.json` the first time a query can match an id, and answers SearchRequest messages
 * with a SearchResponse.
 *
 * Owns: the only worker/DOM globals of the search (fetch, self.onmessage) and the message shapes.
 * Must never import: React, Next, Node built-ins.
 */
import { withBasePath } from "../site.ts"
import type { SearchData, SearchIds } from "./build-index.ts"
import { addIds, loadSearchIndex, queryNeedsIds, type LoadedSearch } from "./load-index.ts"
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
const IDS_PATH = "/search-ids.json"
let loaded: Promise<LoadedSearch> | undefined
let idsLoaded: Promise<void> | undefined

async function fetchJson<T>(path: string, what: string): Promise<T> {
  const r = await fetch(withBasePath(path))
  if (!r.ok) throw new Error(`could not load the ${what} (${r.status} ${withBasePath(path)})`)
  return (await r.json()) as T
}

function load(): Promise<LoadedSearch> {
  loaded ??= fetchJson<SearchData>(URL_PATH, "search index")
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

/** The index, with the ids when `query` can match one. */
async function loadFor(query: string): Promise<LoadedSearch> {
  const s = await load()
  if (s.hasIds || !queryNeedsIds(query)) return s
  idsLoaded ??= fetchJson<SearchIds>(IDS_PATH, "search ids").then((ids) => addIds(s, ids))
  idsLoaded.catch(() => {
    idsLoaded = undefined
  })
  await idsLoaded
  return s
}

self.onmessage = async (e: MessageEvent<SearchRequest>) => {
  const { id, query, facets, limit } = e.data
  let reply: SearchResponse
  try {
    const s = await loadFor(query)
    reply = { id, ok: true, result: runSearch(s, query, facets, limit), rules: s.data.rules.length }
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  self.postMessage(reply)
}
