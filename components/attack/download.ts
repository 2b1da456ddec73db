"use client"

import { absolutizeLayer, type NavigatorLayer } from "@/lib/attack/navigator"
import { BASE_PATH } from "@/lib/site"
import { saveFile } from "@/components/ui/save-file"

/** Saves a Navigator layer as a JSON file, its rule links made absolute for this site. */
export function downloadLayer(layer: NavigatorLayer, fileName: string): void {
  const absolute = absolutizeLayer(layer, `${window.location.origin}${BASE_PATH}`)
  saveFile(`${JSON.stringify(absolute, null, 2)}\n`, "application/json", fileName)
}
