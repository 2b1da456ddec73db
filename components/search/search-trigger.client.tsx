"use client"

import { useEffect, useState } from "react"

import { SearchShell } from "./search-shell"
import { loadPaletteAhead } from "./shortcut"

type Palette = typeof import("./search-palette.client").SearchPalette

/**
 * The header's search button and the palette's shell. The shortcut and the button's click are
 * handled by components/search/shortcut.ts (an inline script on Next pages, the island on static
 * rule pages); this component loads the palette script and starts the worker when the page is idle
 * after load (the worker then fetches the index's small first part only), and has the worker load
 * the whole index on a sign of intent: the shell opens, the button is hovered or focused, the
 * header is touched.
 */
export function SearchTrigger() {
  const [Palette, setPalette] = useState<Palette>()

  useEffect(() => {
    let loading: Promise<typeof import("./search-palette.client")> | undefined
    return loadPaletteAhead((intent) => {
      // A plain dynamic import keeps even next/dynamic's loader out of every page's first load.
      loading ??= import("./search-palette.client").then(
        (m) => {
          setPalette(() => m.SearchPalette)
          return m
        },
        (e: unknown) => {
          loading = undefined
          throw e
        },
      )
      loading.then(
        (m) => (intent ? m.prewarmSearch() : m.startSearchWorker()),
        () => {},
      )
    })
  }, [])

  return (
    <>
      <button
        type="button"
        aria-keyshortcuts="/ Control+K"
        data-search-trigger
        className="inline-flex items-center gap-2 rounded border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:border-sky-700"
      >
        Search
        <kbd className="hidden rounded border border-slate-300 px-1 font-mono text-xs text-slate-600 sm:inline">/</kbd>
      </button>
      <SearchShell />
      {Palette && <Palette />}
    </>
  )
}
