"use client"

import { useEffect, useState } from "react"

type Palette = typeof import("./search-palette.client").SearchPalette

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false
  return t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement
}

/** The header's search button; `/` and Ctrl-K (⌘K) open the palette from any page. */
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
      const shortcut = (e.key === "k" && (e.ctrlKey || e.metaKey)) || (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target))
      if (!shortcut) return
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
