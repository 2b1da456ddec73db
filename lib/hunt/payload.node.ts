/**
 * The hunt's payload for the site's route, made once per process from the site's catalog.
 */
import { getCatalog } from "../catalog/get.node.ts"
import { huntPayload, type HuntPayload } from "./payload.ts"

let payload: string | undefined

export function huntPayloadText(): string {
  if (payload === undefined) {
    const { catalog } = getCatalog()
    const p: HuntPayload = huntPayload(catalog.detections, catalog.attackVersion)
    if (catalog.addOnFields && Object.keys(catalog.addOnFields).length) p.addOn = catalog.addOnFields
    payload = JSON.stringify(p)
  }
  return payload
}
