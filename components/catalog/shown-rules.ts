/**
 * What a page's rule list shows under the reader's filters, for the page's other parts that must
 * follow them (the technique page's Navigator layer download). A list publishes under its export
 * name; `undefined` means no filter is on, so the whole list is meant. Module state, shared by the
 * page's client components, which are one bundle.
 */
import { useSyncExternalStore } from "react"

export interface ShownRules {
  /** Site paths (`/rules/<format>/<slug>/`) of the rules the filters keep. */
  paths: ReadonlySet<string>
  /** The filters as people read them: `Format=Sigma, name contains "wmic"`. */
  description: string
  /** Words for a file name: `format-sigma_wmic`. */
  slug: string
}

const shown = new Map<string, ShownRules | undefined>()
const listeners = new Set<() => void>()

export function publishShownRules(list: string, value: ShownRules | undefined): void {
  if (shown.get(list) === value) return
  shown.set(list, value)
  for (const l of listeners) l()
}

function subscribe(l: () => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

/** The rules list `list` shows under its filters; undefined while none is on (or the list has not loaded). */
export function useShownRules(list: string | undefined): ShownRules | undefined {
  return useSyncExternalStore(
    subscribe,
    () => (list ? shown.get(list) : undefined),
    () => undefined,
  )
}
