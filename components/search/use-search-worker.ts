"use client"

import { useEffect, useRef, useState } from "react"

import type { SearchRequest, SearchResponse } from "@/lib/search/search.worker"
import type { FacetSelection } from "@/lib/search/query"

type Listener = (r: SearchResponse) => void

let worker: Worker | undefined
let nextId = 0
const listeners = new Map<number, Listener>()

/** The one search worker of the page, started on first use and shared by the palette and /search/. */
function ask(req: Omit<SearchRequest, "id">, listener: Listener): number {
  if (!worker) {
    worker = new Worker(new URL("../../lib/search/search.worker.ts", import.meta.url), { type: "module" })
    worker.onmessage = (e: MessageEvent<SearchResponse>) => {
      listeners.get(e.data.id)?.(e.data)
      listeners.delete(e.data.id)
    }
    worker.onerror = () => {
      for (const [id, l] of listeners) l({ id, ok: false, error: "The search could not start its worker." })
      listeners.clear()
      worker = undefined
    }
  }
  const id = ++nextId
  listeners.set(id, listener)
  worker.postMessage({ ...req, id } satisfies SearchRequest)
  return id
}

/**
 * Results of `query` under `facets` from lib/search/search.worker.ts; nothing runs (and the index
 * is not fetched) until `enabled`. Answers to older requests are dropped.
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
