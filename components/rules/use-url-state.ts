"use client"

import { useCallback, useEffect, useState } from "react"

type State = Record<string, string | undefined>

function read(): State {
  if (typeof window === "undefined") return {}
  return Object.fromEntries(new URLSearchParams(window.location.search).entries())
}

/**
 * Query-string state for client views: survives reload and can be shared as a link. The setter
 * takes a patch, or a function of the state before it (for a patch that depends on the address
 * just read, e.g. a selection to add to).
 */
export function useUrlState(): [State, (patch: State | ((prev: State) => State)) => void] {
  const [state, setLocal] = useState<State>({})
  useEffect(() => {
    setLocal(read())
    const onPop = () => setLocal(read())
    window.addEventListener("popstate", onPop)
    return () => window.removeEventListener("popstate", onPop)
  }, [])
  const set = useCallback((patch: State | ((prev: State) => State)) => {
    setLocal((prev) => {
      const next = { ...prev, ...(typeof patch === "function" ? patch(prev) : patch) }
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(next)) if (v) params.set(k, v)
      const qs = params.toString()
      window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname)
      return next
    })
  }, [])
  return [state, set]
}

/** What a form control holds, as the reader left it. */
export interface ControlValue {
  id: string
  /** Its `data-key`, when it has one (controls without ids, e.g. one checkbox per list item). */
  key: string | undefined
  value: string
  checked: boolean
}

/** Whether the reader changed `el` from what the server rendered. */
function changed(el: Element): el is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  if (el instanceof HTMLInputElement)
    return el.type === "checkbox" || el.type === "radio"
      ? el.checked !== el.defaultChecked
      : el.value !== el.defaultValue
  if (el instanceof HTMLSelectElement) {
    const rendered = [...el.options].find((o) => o.defaultSelected) ?? el.options[0]
    return el.value !== (rendered?.value ?? "")
  }
  return el instanceof HTMLTextAreaElement && el.value !== el.defaultValue
}

/**
 * The form controls matching `selector` that the reader changed before the page hydrated (a slow
 * phone: the page's HTML is there, its scripts are not yet), with what they hold. Read during the
 * first client render, before hydration puts each control back as the server rendered it, so the
 * component can adopt them once it has read the address. Empty after a client-side navigation.
 */
export function useChangedBeforeHydration(selector: string): ControlValue[] {
  const [found] = useState(() =>
    typeof document === "undefined"
      ? []
      : [...document.querySelectorAll(selector)].filter(changed).map((el) => ({
          id: el.id,
          key: el instanceof HTMLElement ? el.dataset.key : undefined,
          value: el.value,
          checked: el instanceof HTMLInputElement && el.checked,
        })),
  )
  return found
}
