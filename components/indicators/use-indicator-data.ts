"use client"

import { useEffect, useState } from "react"

import type { IndicatorData } from "@/lib/catalog/indicator-filter"
import { withBasePath } from "@/lib/site"

let pending: Promise<IndicatorData> | undefined

/** Fetch `/indicators.json` once per page load, shared by every caller. */
function load(): Promise<IndicatorData> {
  pending ??= fetch(withBasePath("/indicators.json")).then((r) => {
    if (!r.ok) throw new Error(`${withBasePath("/indicators.json")}: HTTP ${r.status}`)
    return r.json() as Promise<IndicatorData>
  })
  pending.catch(() => {
    pending = undefined
  })
  return pending
}

export function useIndicatorData(): { data?: IndicatorData; error?: string } {
  const [state, setState] = useState<{ data?: IndicatorData; error?: string }>({})
  useEffect(() => {
    let live = true
    load().then(
      (data) => live && setState({ data }),
      (e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }),
    )
    return () => {
      live = false
    }
  }, [])
  return state
}
