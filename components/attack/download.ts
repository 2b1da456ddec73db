"use client"

import { absolutizeLayer, type NavigatorLayer } from "@/lib/attack/navigator"
import { BASE_PATH } from "@/lib/site"

/** Saves a Navigator layer as a JSON file, its rule links made absolute for this site. */
export function downloadLayer(layer: NavigatorLayer, fileName: string): void {
  const absolute = absolutizeLayer(layer, `${window.location.origin}${BASE_PATH}`)
  const blob = new Blob([`${JSON.stringify(absolute, null, 2)}\n`], { type: "application/json" })
  const url = URL.createObjectURL(blob)
  const a = document.createElement("a")
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
