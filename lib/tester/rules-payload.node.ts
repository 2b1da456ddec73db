/**
 * The tester's payload for the site's routes: the catalog's lean rows split into chunks, made
 * once per process (the manifest route and every chunk route read the same result).
 *
 * Owns: nothing but the memo; rules-data.ts picks the fields, rules-chunks.ts splits them.
 */
import { getCatalog } from "../catalog/get.node.ts"
import { testerChunks, type TesterManifest } from "./rules-chunks.ts"
import { testerRules } from "./rules-data.ts"

let payload: { manifest: TesterManifest; files: Map<string, string> } | undefined

export function testerPayload(): { manifest: TesterManifest; files: Map<string, string> } {
  payload ??= testerChunks(testerRules(getCatalog().catalog.detections))
  return payload
}
