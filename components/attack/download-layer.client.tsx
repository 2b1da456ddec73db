"use client"

import type { NavigatorLayer } from "@/lib/attack/navigator"

import { downloadLayer } from "./download"

/** A button that downloads a prebuilt ATT&CK Navigator layer. */
export function DownloadLayerButton({
  layer,
  fileName,
  label = "Download Navigator layer",
}: {
  layer: NavigatorLayer
  fileName: string
  label?: string
}) {
  return (
    <button
      type="button"
      onClick={() => downloadLayer(layer, fileName)}
      disabled={layer.techniques.length === 0}
      className="rounded border border-sky-700 bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:border-slate-300 disabled:bg-slate-200 disabled:text-slate-700"
    >
      {label}
    </button>
  )
}
