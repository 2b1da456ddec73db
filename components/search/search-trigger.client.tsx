"use client"

import { useEffect, useState } from "react"

import { SearchShell } from "./search-shell"
import { loadPaletteAhead } from "./shortcut"

type Palette = typeof import("./search-palette.client").SearchPalette

/**
 * The header's search button and the palette's shell. The shortcut and the button's click are
 * handled by components/search/shortcut.ts (an inline script on Next pages, the island on static
 * rule pages); this component loads the palette script, and with it the worker and the index,
 * when the page is idle after load, or earlier when the shell opens or the button is hovered or
 * focused.
 */
export function SearchTrigger() {
  const [Palette, setPalette] = useState<Palette>()

  useEffect(() => {
    let loading = false
    return loadPaletteAhead(() => {
      if (loading) return
      loading = true
      // A plain dynamic import keeps even next/dynamic's loader out of every page's first load.
      import("./search-palette.client").then(
        (m) => {
          m.prewarmSearch()
          setPalette(() => m.SearchPalette)
        },
        () => {
          loading = false
        },
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
