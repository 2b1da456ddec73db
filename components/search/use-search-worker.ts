"use client"

import { useEffect, useRef, useState } from "react"

import type { SearchRequest, SearchResponse, WarmRequest, WarmResponse } from "@/lib/search/search.worker"
import type { FacetSelection } from "@/lib/search/query"

type Listener = (r: SearchResponse) => void

let worker: Worker | undefined
let nextId = 0
const listeners = new Map<number, Listener>()

/** Performance mark set when the worker reports the index answering (read by scripts/bench-search.ts). */
export const READY_MARK = "atlas-search-ready"
/** Performance mark set when the worker's term index is complete (built, or imported from an earlier visit). */
export const COMPLETE_MARK = "atlas-search-complete"

/** The one search worker of the page, started on first use and shared by the palette and /search/. */
function theWorker(): Worker {
  if (!worker) {
    const w = new Worker(new URL("../../lib/search/search.worker.ts", import.meta.url), { type: "module" })
    w.onmessage = (e: MessageEvent<SearchResponse | WarmResponse>) => {
      if ("warm" in e.data) {
        if (e.data.ok)
          performance.mark(e.data.complete ? COMPLETE_MARK : READY_MARK, {
            detail: { workerMs: e.data.ms, cached: e.data.cached },
          })
        return
      }
      listeners.get(e.data.id)?.(e.data)
      listeners.delete(e.data.id)
    }
    w.onerror = () => {
      for (const [id, l] of listeners) l({ id, ok: false, error: "The search could not start its worker." })
      listeners.clear()
      worker = undefined
      warmed = false
    }
    worker = w
  }
  return worker
}

let warmed = false

/** Starts the worker (its code only: the index is fetched by prewarmSearch or the first question). */
export function startSearchWorker(): void {
  theWorker()
}

/** Starts the worker and has it load the index now, before the first query (once per page). */
export function prewarmSearch(): void {
  if (warmed) return
  warmed = true
  theWorker().postMessage({ warm: true } satisfies WarmRequest)
}

function ask(req: Omit<SearchRequest, "id">, listener: Listener): number {
  const id = ++nextId
  listeners.set(id, listener)
  theWorker().postMessage({ ...req, id } satisfies SearchRequest)
  return id
}

/**
 * Results of `query` under `facets` from lib/search/search.worker.ts; nothing is asked until
 * `enabled` (the index itself is fetched by prewarmSearch or by the first question). Answers to older requests are dropped.
 */
export function useSearchWorker(query: string, facets: FacetSelection, limit: number, enabled: boolean) {
  const [response, setResponse] = useState<SearchResponse>()
  const latest = useRef(0)
  const facetKey = JSON.stringify(facets)

  useEffect(() => {
    if (!enabled) return
    const id = ask({ query, facets: JSON.parse(facetKey) as FacetSelection, limit }, (r) => {
      if (r.id === latest.current) setResponse(r)
    })
    latest.current = id
  }, [query, facetKey, limit, enabled])

  const pending = enabled && response?.id !== latest.current
  return { response, pending }
}
