"use client"

import { useState } from "react"

import type { NavigatorLayer } from "@/lib/attack/navigator"
import { withBasePath } from "@/lib/site"

import { downloadLayer } from "./download"

/**
 * A button that downloads a prebuilt ATT&CK Navigator layer, fetched from `href` (a site path:
 * the layer's own JSON file) when pressed. Layers list every covered rule per technique and run
 * to hundreds of kilobytes on broad pages, so they stay out of the page itself.
 */
export function DownloadLayerButton({
  href,
  empty,
  fileName,
  label = "Download Navigator layer",
}: {
  href: string
  /** True when the layer has no technique: the button is disabled. */
  empty: boolean
  fileName: string
  label?: string
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  async function download() {
    setBusy(true)
    setError(undefined)
    try {
      const res = await fetch(withBasePath(href))
      if (!res.ok) throw new Error(`Navigator layer: HTTP ${res.status}`)
      downloadLayer((await res.json()) as NavigatorLayer, fileName)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button
        type="button"
        onClick={download}
        disabled={busy || empty}
        aria-busy={busy}
        className="rounded border border-sky-700 bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:border-slate-300 disabled:bg-slate-200 disabled:text-slate-700"
      >
        {label}
      </button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      )}
    </>
  )
}
