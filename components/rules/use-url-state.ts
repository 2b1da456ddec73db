"use client"

import { useCallback, useEffect, useState } from "react"

type State = Record<string, string | undefined>

function read(): State {
  if (typeof window === "undefined") return {}
  return Object.fromEntries(new URLSearchParams(window.location.search).entries())
}

/** Query-string state for client views: survives reload and can be shared as a link. */
export function useUrlState(): [State, (patch: State) => void] {
  const [state, setLocal] = useState<State>({})
  useEffect(() => {
    setLocal(read())
    const onPop = () => setLocal(read())
    window.addEventListener("popstate", onPop)
    return () => window.removeEventListener("popstate", onPop)
  }, [])
  const set = useCallback((patch: State) => {
    setLocal((prev) => {
      const next = { ...prev, ...patch }
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(next)) if (v) params.set(k, v)
      const qs = params.toString()
      window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname)
      return next
    })
  }, [])
  return [state, set]
}
