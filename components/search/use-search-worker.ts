"use client"

import { useEffect, useRef, useState } from "react"

import type {
  IdleRequest,
  PageRequest,
  PageResponse,
  SearchRequest,
  SearchResponse,
  WarmRequest,
  WarmResponse,
} from "@/lib/search/search.worker"
import type { FacetSelection } from "@/lib/search/query"

type Listener = (r: SearchResponse | PageResponse) => void

let worker: Worker | undefined
let nextId = 0
let lanes = 0
const listeners = new Map<number, Listener>()

/** Performance mark set when the worker reports the index answering (read by scripts/bench-search.ts). */
export const READY_MARK = "atlas-search-ready"
/** Performance mark set when the worker reports the first part of the index answering. */
export const HEAD_MARK = "atlas-search-head"
/** Performance mark set when the worker's term index is complete (built, or imported from an earlier visit). */
export const COMPLETE_MARK = "atlas-search-complete"

/** The one search worker of the page, started on first use and shared by the palette and /search/. */
function theWorker(): Worker {
  if (!worker) {
    const w = new Worker(new URL("../../lib/search/search.worker.ts", import.meta.url), { type: "module" })
    w.onmessage = (e: MessageEvent<SearchResponse | WarmResponse>) => {
      if ("warm" in e.data) {
        if (e.data.ok)
          performance.mark(e.data.head ? HEAD_MARK : e.data.complete ? COMPLETE_MARK : READY_MARK, {
            detail: { workerMs: e.data.ms, cached: e.data.cached, saved: e.data.saved === true },
          })
        return
      }
      listeners.get(e.data.id)?.(e.data)
      // An early answer is followed by the answer from the whole index, under the same id.
      if (!("early" in e.data && e.data.early)) listeners.delete(e.data.id)
    }
    w.onerror = () => {
      for (const [id, l] of listeners) l({ id, ok: false, error: "The search could not start its worker." })
      listeners.clear()
      worker = undefined
      warmed = false
      idled = false
    }
    worker = w
  }
  return worker
}

let warmed = false
let idled = false

/**
 * Starts the worker while the page idles: it fetches the first part of the index (tens of KB, it
 * answers a first key) and loads an earlier visit's save of the whole; the whole index itself is
 * fetched by prewarmSearch or the first question.
 */
export function startSearchWorker(): void {
  if (idled) return
  idled = true
  theWorker().postMessage({ idle: true } satisfies IdleRequest)
}

/** Starts the worker and has it load the index now, before the first query (once per page). */
export function prewarmSearch(): void {
  if (warmed) return
  warmed = true
  theWorker().postMessage({ warm: true } satisfies WarmRequest)
}

function ask(req: Omit<SearchRequest, "id">, listener: (r: SearchResponse) => void): number {
  const id = ++nextId
  listeners.set(id, listener as Listener)
  theWorker().postMessage({ ...req, id } satisfies SearchRequest)
  return id
}

/**
 * The format and slug of rule number `rule` (named `name`) of an early answer, whose hits carry
 * no slug: waits for the whole index.
 */
export function rulePage(rule: number, name: string): Promise<{ format: string; slug: string }> {
  return new Promise((resolve, reject) => {
    const id = ++nextId
    listeners.set(id, (r) => {
      if (r.ok && "page" in r) resolve(r.page)
      else reject(new Error(r.ok ? "no page" : r.error))
    })
    theWorker().postMessage({ id, rule, name } satisfies PageRequest)
  })
}

/**
 * Results of `query` under `facets` from lib/search/search.worker.ts; nothing is asked until
 * `enabled` (the index itself is fetched by prewarmSearch or by the first question). Answers to
 * older requests are dropped. With `early`, an answer from the first part of the index comes
 * first while the whole loads (`early` set on the response), then the whole index's.
 */
export function useSearchWorker(query: string, facets: FacetSelection, limit: number, enabled: boolean, early = false) {
  const [response, setResponse] = useState<SearchResponse>()
  const latest = useRef(0)
  const [lane] = useState(() => String(++lanes))
  const facetKey = JSON.stringify(facets)

  useEffect(() => {
    if (!enabled) return
    const id = ask({ query, facets: JSON.parse(facetKey) as FacetSelection, limit, lane, early }, (r) => {
      if (r.id === latest.current) setResponse(r)
    })
    latest.current = id
  }, [query, facetKey, limit, enabled, lane, early])

  const pending = enabled && (response?.id !== latest.current || (response.ok && response.early === true))
  return { response, pending }
}
