"use client"

import { useState } from "react"

import type { NavigatorLayer } from "@/lib/attack/navigator"
import { layerFileName } from "@/lib/attack/navigator"
import { withBasePath } from "@/lib/site"
import { useShownRules } from "@/components/catalog/shown-rules"

import { downloadLayer } from "./download"
import { narrowLayer } from "./narrow-layer"

/**
 * A button that downloads a prebuilt ATT&CK Navigator layer, fetched from `href` (a site path:
 * the layer's own JSON file) when pressed. Layers list every covered rule per technique and run
 * to hundreds of kilobytes on broad pages, so they stay out of the page itself.
 *
 * With `list`, the export name of the page's rule list, the layer follows that list's filters as
 * the matrix's layer follows the matrix's: only the rules the list shows are counted.
 */
export function DownloadLayerButton({
  href,
  empty,
  fileName,
  list,
  label = "Download Navigator layer",
}: {
  href: string
  /** True when the layer has no technique: the button is disabled. */
  empty: boolean
  /** File name, or the stem (before `-layer.json`) filters are added to when a list is followed. */
  fileName: string
  list?: string
  label?: string
}) {
  const filtered = useShownRules(list)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  async function download() {
    setBusy(true)
    setError(undefined)
    try {
      const res = await fetch(withBasePath(href))
      if (!res.ok) throw new Error(`Navigator layer: HTTP ${res.status}`)
      const layer = (await res.json()) as NavigatorLayer
      if (!filtered) downloadLayer(layer, fileName)
      else
        downloadLayer(
          narrowLayer(layer, filtered.paths, filtered.description),
          fileName.endsWith("-layer.json")
            ? layerFileName(`${fileName.slice("detection-atlas-".length, -"-layer.json".length)}-${filtered.slug}`)
            : fileName,
        )
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
        disabled={busy || empty || filtered?.paths.size === 0}
        aria-busy={busy}
        aria-describedby={filtered ? `${list}-layer-filters` : undefined}
        className="rounded border border-sky-700 bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:border-slate-300 disabled:bg-slate-200 disabled:text-slate-700"
      >
        {label}
      </button>
      {filtered && (
        <p id={`${list}-layer-filters`} className="mt-1 text-sm text-slate-700" data-testid="layer-filters">
          Follows the rule list&apos;s filters ({filtered.description}): {filtered.paths.size.toLocaleString("en")}{" "}
          {filtered.paths.size === 1 ? "rule" : "rules"}.
        </p>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      )}
    </>
  )
}
