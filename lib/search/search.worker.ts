/**
 * The search's web worker: fetches `/search-index.json` once and answers queries as soon as its
 * records are unpacked, while the term index is completed between queries, a slice a task (each
 * source imported from the cache of an earlier visit when the text is the same, term-cache.ts, else
 * built and then saved there; until then lookups scan the texts, with the same answers), fetches `/search-ids.json` the first time a query can match an id and
 * `/search-values.json` the first time one can match a value shipped apart (hashes), and
 * answers SearchRequest messages with a SearchResponse. A WarmRequest (sent on a sign of intent:
 * the search button hovered or focused, the header touched, the shortcut pressed; /search/ at load)
 * loads the index before the first query arrives.
 *
 * Owns: the only worker/DOM globals of the search (fetch, self.onmessage) and the message shapes.
 * Must never import: React, Next, Node built-ins.
 */
import { withBasePath } from "../site.ts"
import type { SearchData, SearchIds, SearchValues } from "./build-index.ts"
import { addIds, addValues, loadSearchIndex, queryNeedsIds, queryNeedsValues, type LoadedSearch } from "./load-index.ts"
import type { FacetSelection } from "./query.ts"
import { runSearch, WARM_UP_QUERIES, type SearchResult } from "./run.ts"
import { contentHash, readSaved, writeSaved } from "./term-cache.ts"
import { buildSome, exportTermIndex, importSource, SAVED_FORMAT } from "./term-index.ts"

export interface SearchRequest {
  /** Increasing per client: answers to older ids are stale. */
  id: number
  query: string
  facets: FacetSelection
  /** Most hits returned. */
  limit: number
}

/** Load the index now, before any query: answered with a WarmResponse once it is ready. */
export interface WarmRequest {
  warm: true
}

export type SearchResponse =
  { id: number; ok: true; result: SearchResult; rules: number } | { id: number; ok: false; error: string }

/**
 * The index answers queries (then again, with `complete`, once its term index is complete): how
 * long since the fetch began in the worker, and whether an earlier visit's saved term index served.
 */
export interface WarmResponse {
  warm: true
  complete?: boolean
  ok: boolean
  ms: number
  cached: boolean
}

const URL_PATH = "/search-index.json"
const IDS_PATH = "/search-ids.json"
const VALUES_PATH = "/search-values.json"
let loaded: Promise<LoadedSearch> | undefined
let idsLoaded: Promise<void> | undefined
let valuesLoaded: Promise<void> | undefined

async function fetchJson<T>(path: string, what: string): Promise<T> {
  const r = await fetch(withBasePath(path))
  if (!r.ok) throw new Error(`could not load the ${what} (${r.status} ${withBasePath(path)})`)
  return (await r.json()) as T
}

let cached = false

async function loadOnce(): Promise<LoadedSearch> {
  const t0 = performance.now()
  const r = await fetch(withBasePath(URL_PATH))
  if (!r.ok) throw new Error(`could not load the search index (${r.status} ${withBasePath(URL_PATH)})`)
  const text = await r.text()
  // Queries are answered from here on; the term index is completed between them.
  const s = loadSearchIndex(JSON.parse(text) as SearchData, undefined, undefined, true)
  setTimeout(() => void complete(s, text, t0))
  return s
}

/** Slices of work between which a waiting question is answered (a task each, not a timer's 4 ms). */
const channel = new MessageChannel()
const resumes: Array<() => void> = []
channel.port1.onmessage = () => resumes.shift()?.()
function nextTask(): Promise<void> {
  return new Promise((resume) => {
    resumes.push(resume)
    channel.port2.postMessage(0)
  })
}

/**
 * Completes the term index a slice a task: each source from the index an earlier visit saved for
 * this very text (term-cache.ts), else built; then saves it for the next visit when it was not
 * saved, and warms the engine up one query a task.
 */
async function complete(s: LoadedSearch, text: string, t0: number): Promise<void> {
  const hash = await contentHash(text).then(
    (h) => `${SAVED_FORMAT}:${h}`,
    () => undefined,
  )
  const saved = hash === undefined ? undefined : await readSaved(hash)
  for (const [i, src] of s.terms.sources.entries()) {
    const chunks = saved?.[i]
    if (!chunks || src.extra) continue
    try {
      importSource(src, chunks)
      cached = true
    } catch {
      // Built below like the others.
    }
    await nextTask()
  }
  for (;;) {
    const until = performance.now() + 8
    if (buildSome(s.terms, () => performance.now() > until)) break
    await nextTask()
  }
  self.postMessage({ warm: true, complete: true, ok: true, ms: performance.now() - t0, cached } satisfies WarmResponse)
  if (hash !== undefined && !saved) void exportTermIndex(s.terms).then((x) => writeSaved(hash, x))
  warmUp(s, 0)
}

function warmUp(s: LoadedSearch, i: number): void {
  const q = WARM_UP_QUERIES[i]
  if (q === undefined) return
  runSearch(s, q, {}, 8)
  setTimeout(() => warmUp(s, i + 1))
}

function load(): Promise<LoadedSearch> {
  loaded ??= loadOnce()
  loaded.catch(() => {
    loaded = undefined
  })
  return loaded
}

/** The index, with the ids when `query` can match one, and the values shipped apart when it can match one. */
async function loadFor(query: string): Promise<LoadedSearch> {
  const s = await load()
  if (!s.hasIds && queryNeedsIds(query)) {
    idsLoaded ??= fetchJson<SearchIds>(IDS_PATH, "search ids").then((ids) => addIds(s, ids))
    idsLoaded.catch(() => {
      idsLoaded = undefined
    })
    await idsLoaded
  }
  if (queryNeedsValues(s, query)) await loadValues(s)
  return s
}

function loadValues(s: LoadedSearch): Promise<void> {
  valuesLoaded ??= fetchJson<SearchValues>(VALUES_PATH, "search values").then((v) => addValues(s, v))
  valuesLoaded.catch(() => {
    valuesLoaded = undefined
  })
  return valuesLoaded
}

self.onmessage = async (e: MessageEvent<SearchRequest | WarmRequest>) => {
  if ("warm" in e.data) {
    const t0 = performance.now()
    const ok = await load().then(
      () => true,
      () => false,
    )
    self.postMessage({ warm: true, ok, ms: performance.now() - t0, cached } satisfies WarmResponse)
    return
  }
  const { id, query, facets, limit } = e.data
  let reply: SearchResponse
  try {
    const s = await loadFor(query)
    let result = runSearch(s, query, facets, limit)
    // Nothing found: the typo fallback may need the values shipped apart to correct into.
    if (result.total === 0 && queryNeedsValues(s, query, true)) {
      await loadValues(s)
      result = runSearch(s, query, facets, limit)
    }
    reply = { id, ok: true, result, rules: s.data.rules.length }
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  self.postMessage(reply)
}
