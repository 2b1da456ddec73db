/**
 * The search's web worker. While a page idles (an IdleRequest) it fetches the first part of the
 * index, `/search-head.bin` (head.ts: names, formats, types, techniques; tens of KB), and, when an
 * earlier visit saved the whole index of this very build (term-cache.ts), loads that too, with no
 * network. On a sign of intent (a WarmRequest: the search button hovered or focused, the header
 * touched, the shortcut pressed; /search/ at load) it fetches `/search-index.json` (after the
 * first part, which says whether a save of this build makes the fetch needless) and answers
 * from it as soon as its records are unpacked, while the term index is completed between queries,
 * a slice a task (imported from the save when there is one, else built and then saved; until then
 * lookups scan the texts, with the same answers). It fetches `/search-ids.json` the first time a
 * query can match an id and `/search-values.json` the first time one can match a value shipped
 * apart (hashes).
 *
 * A question that allows it (`early`) is answered at once from the first part while the whole
 * index loads, then again, under the same id, from the whole index: the second answer is the one
 * a page without the first part would get. The whole index loads a step at a time, so early
 * answers come between its steps.
 *
 * Owns: the only worker/DOM globals of the search (fetch, self.onmessage) and the message shapes.
 * Must never import: React, Next, Node built-ins.
 */
import { withBasePath } from "../site.ts"
import type { SearchData, SearchIds, SearchValues } from "./build-index.ts"
import { headData, type SearchHead } from "./head.ts"
import {
  addIds,
  addValues,
  loadSearchIndex,
  loadSteps,
  queryNeedsIds,
  queryNeedsValues,
  type LoadedSearch,
} from "./load-index.ts"
import type { FacetSelection } from "./query.ts"
import { runSearch, WARM_UP_QUERIES, type SearchResult } from "./run.ts"
import { contentHash, readSaved, writeSaved, type SavedSearch } from "./term-cache.ts"
import { buildSome, exportTermIndex, importSource, SAVED_FORMAT } from "./term-index.ts"

export interface SearchRequest {
  /** Increasing per client: answers to older ids are stale. */
  id: number
  query: string
  facets: FacetSelection
  /** Most hits returned. */
  limit: number
  /**
   * The asker (a palette, a page): a question its asker has since replaced is answered as
   * superseded instead of run, so keys typed while the index loads cost one search, not one each.
   */
  lane?: string
  /** Answer at once from the first part of the index while the whole loads (then again from the whole). */
  early?: boolean
}

/** The page is idle: fetch the first part of the index, and load an earlier visit's save of the whole. */
export interface IdleRequest {
  idle: true
}

/** Load the index now, before any query: answered with a WarmResponse once it is ready. */
export interface WarmRequest {
  warm: true
}

/**
 * The page of rule number `rule` (named `name`): an early answer's hits carry no slug, so opening
 * one waits for the whole index (already on its way: the palette is open).
 */
export interface PageRequest {
  id: number
  rule: number
  name: string
}

export type SearchResponse =
  { id: number; ok: true; result: SearchResult; rules: number; early?: true } | { id: number; ok: false; error: string }

export type PageResponse = { id: number; ok: true; page: { format: string; slug: string } } | SearchFailure

type SearchFailure = { id: number; ok: false; error: string }

/**
 * A part of the index answers queries: the first part (`head`), or the whole index (then again,
 * with `complete`, once its term index is complete); how long since its fetch began in the
 * worker, whether an earlier visit's save served (`saved`: the whole index, no network; `cached`:
 * its term index).
 */
export interface WarmResponse {
  warm: true
  head?: boolean
  complete?: boolean
  ok: boolean
  ms: number
  cached: boolean
  saved?: boolean
}

const URL_PATH = "/search-index.json"
const HEAD_PATH = "/search-head.bin"
const IDS_PATH = "/search-ids.json"
const VALUES_PATH = "/search-values.json"
/** The whole index, once asked for (network or save). */
let loaded: Promise<LoadedSearch> | undefined
/** The whole index, once it answers. */
let whole: LoadedSearch | undefined
let headLoaded: Promise<void> | undefined
/** The first part, once it answers. */
let head: LoadedSearch | undefined
/** The whole index from an earlier visit's save of this build, when there is one. */
let fromSave: Promise<LoadedSearch> | undefined
let idsLoaded: Promise<void> | undefined
let valuesLoaded: Promise<void> | undefined

function post(m: SearchResponse | PageResponse | WarmResponse): void {
  self.postMessage(m)
}

async function fetchJson<T>(path: string, what: string): Promise<T> {
  const r = await fetch(withBasePath(path))
  if (!r.ok) throw new Error(`could not load the ${what} (${r.status} ${withBasePath(path)})`)
  return (await r.json()) as T
}

let cached = false

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
 * The first part, inflated here: it is shipped gzipped inside the file. A host that sent it with
 * its own gzip encoding hands over JSON already; a browser without DecompressionStream goes
 * without it (answers then wait for the whole index, as before there was a first part).
 */
async function fetchHead(): Promise<SearchHead | undefined> {
  if (typeof DecompressionStream !== "function") return undefined
  const r = await fetch(withBasePath(HEAD_PATH))
  if (!r.ok) return undefined
  const bytes = await r.arrayBuffer()
  const start = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength))
  const text =
    start[0] === 0x1f && start[1] === 0x8b
      ? await new Response(new Response(bytes).body?.pipeThrough(new DecompressionStream("gzip"))).text()
      : new TextDecoder().decode(bytes)
  return JSON.parse(text) as SearchHead
}

/** Fetches the first part once, then loads an earlier visit's save of the same build, if any. */
function loadHead(): Promise<void> {
  headLoaded ??= (async () => {
    const t0 = performance.now()
    const h = await fetchHead()
    if (!h) return
    // Small: its term index is built whole at once.
    head = loadSearchIndex(headData(h))
    post({ warm: true, head: true, ok: true, ms: performance.now() - t0, cached: false })
    const saved = await readSaved(`${SAVED_FORMAT}:${h.full}`)
    if (saved) {
      // An earlier visit saved this very build: the whole index with no network, now, while idle
      // (a damaged save falls back to the network).
      fromSave = loadText(saved.text, t0, saved).catch(() => loadOnce())
      if (!loaded) track((loaded = fromSave))
    }
    warmUp(head, 0)
  })().catch(() => {
    // Best effort: without the first part, answers wait for the whole index.
  })
  return headLoaded
}

/** The whole index from `text` (fetched, or saved by an earlier visit), a step a task. */
async function loadText(text: string, t0: number, saved?: SavedSearch): Promise<LoadedSearch> {
  const data = JSON.parse(text) as SearchData
  await nextTask()
  const steps = loadSteps(data, undefined, undefined, true)
  let next = steps.next()
  while (!next.done) {
    await nextTask()
    next = steps.next()
  }
  const s = next.value
  whole = s
  post({ warm: true, ok: true, ms: performance.now() - t0, cached, saved: saved !== undefined })
  // Queries are answered from here on; the term index is completed between them.
  setTimeout(() => void complete(s, text, t0, saved))
  return s
}

async function loadOnce(): Promise<LoadedSearch> {
  const t0 = performance.now()
  const r = await fetch(withBasePath(URL_PATH))
  if (!r.ok) throw new Error(`could not load the search index (${r.status} ${withBasePath(URL_PATH)})`)
  return loadText(await r.text(), t0)
}

/**
 * Completes the term index a slice a task: each source from the term index saved with this very
 * text (term-cache.ts), else built; then saves text and term index for the next visit when they
 * were not saved, and warms the engine up one query a task.
 */
async function complete(s: LoadedSearch, text: string, t0: number, known?: SavedSearch): Promise<void> {
  // A text read from the save is saved already.
  const hash = known
    ? undefined
    : await contentHash(text).then(
        (h) => `${SAVED_FORMAT}:${h}`,
        () => undefined,
      )
  const saved = known ?? (hash === undefined ? undefined : await readSaved(hash))
  for (const [i, src] of s.terms.sources.entries()) {
    const chunks = saved?.terms[i]
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
  post({ warm: true, complete: true, ok: true, ms: performance.now() - t0, cached, saved: known !== undefined })
  if (hash !== undefined && !saved) void exportTermIndex(s.terms).then((terms) => writeSaved(hash, { text, terms }))
  warmUp(s, 0)
}

/** The engine's first runs are several times slower than later ones (JIT): a few queries, one a task. */
function warmUp(s: LoadedSearch, i: number): void {
  const q = WARM_UP_QUERIES[i]
  if (q === undefined) return
  runSearch(s, q, {}, 8)
  setTimeout(() => warmUp(s, i + 1))
}

/** A failed load is forgotten, so the next question tries again. */
function track(p: Promise<LoadedSearch>): void {
  p.catch(() => {
    if (loaded === p) loaded = undefined
  })
}

function load(): Promise<LoadedSearch> {
  // The first part comes first (small): it says whether a save of this build stands in for the
  // network's whole index.
  if (!loaded) track((loaded = loadHead().then(() => fromSave ?? loadOnce())))
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

/** Per asker, its latest question's id. */
const latest = new Map<string, number>()

function failure(id: number, err: unknown): SearchFailure {
  return { id, ok: false, error: err instanceof Error ? err.message : String(err) }
}

/** The page of a rule found by number, checked by name (the first part came from the same build). */
async function page({ id, rule, name }: PageRequest): Promise<PageResponse> {
  try {
    const rules = (await load()).data.rules
    const r = rules[rule]?.name === name ? rules[rule] : rules.find((x) => x.name === name)
    return r ? { id, ok: true, page: { format: r.format, slug: r.slug } } : failure(id, new Error("rule not found"))
  } catch (err) {
    return failure(id, err)
  }
}

async function answer({ id, query, facets, limit, lane, early }: SearchRequest): Promise<SearchResponse> {
  if (lane !== undefined) latest.set(lane, id)
  const superseded = () => lane !== undefined && (latest.get(lane) ?? id) > id
  try {
    if (early && !whole) {
      // Whichever answers first: the first part (fetched now if the page never idled) or the whole.
      const first = loadHead()
      await Promise.race([first, load().then(noop, noop)])
      // Questions that arrived meanwhile are read first: this one may have been replaced.
      await nextTask()
      if (superseded()) return { id, ok: false, error: "superseded" }
      if (head && !whole)
        post({
          id,
          ok: true,
          result: runSearch(head, query, facets, limit),
          rules: head.data.rules.length,
          early: true,
        })
    }
    const s = await loadFor(query)
    await nextTask()
    if (superseded()) return { id, ok: false, error: "superseded" }
    let result = runSearch(s, query, facets, limit)
    // Nothing found: the typo fallback may need the values shipped apart to correct into.
    if (result.total === 0 && queryNeedsValues(s, query, true)) {
      await loadValues(s)
      result = runSearch(s, query, facets, limit)
    }
    return { id, ok: true, result, rules: s.data.rules.length }
  } catch (err) {
    return failure(id, err)
  }
}

function noop(): void {}

self.onmessage = async (e: MessageEvent<SearchRequest | IdleRequest | WarmRequest | PageRequest>) => {
  const m = e.data
  if ("idle" in m) void loadHead()
  else if ("warm" in m) load().catch(() => post({ warm: true, ok: false, ms: 0, cached }))
  else if ("rule" in m) post(await page(m))
  else post(await answer(m))
}
