"use client"

import { useEffect, useState } from "react"

import { isSearchShortcut } from "./shortcut"

type Palette = typeof import("./search-palette.client").SearchPalette

/**
 * The header's search button; `/` and Ctrl-K (⌘K) open the palette from any page. On static rule
 * pages the same button (`data-search-trigger`) is driven by components/rules/rule-island.ts.
 */
export function SearchTrigger() {
  const [open, setOpen] = useState(false)
  const [Palette, setPalette] = useState<Palette>()

  // The palette, its worker and the index load on first use, never with the page; a plain
  // dynamic import keeps even next/dynamic's loader out of every page's first load.
  function show() {
    setOpen(true)
    import("./search-palette.client").then(
      (m) => setPalette(() => m.SearchPalette),
      () => setOpen(false),
    )
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isSearchShortcut(e)) return
      e.preventDefault()
      show()
    }
    window.addEventListener("keydown", onKey)
    return () => window.removeEventListener("keydown", onKey)
  }, [])

  return (
    <>
      <button
        type="button"
        aria-keyshortcuts="/ Control+K"
        data-search-trigger
        onClick={show}
        className="inline-flex items-center gap-2 rounded border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:border-sky-700"
      >
        Search
        <kbd className="rounded border border-slate-300 px-1 font-mono text-xs text-slate-600">/</kbd>
      </button>
      {Palette && <Palette open={open} onClose={() => setOpen(false)} />}
    </>
  )
}
