import { createRoot } from "react-dom/client"

import { SearchPalette } from "./search-palette.client"

export { prewarmSearch, startSearchWorker } from "./search-palette.client"

/**
 * The search palette on a page without Next (a static rule page): mounts the palette in its own
 * root, where it drives the page's shell. Loaded by components/rules/rule-island.ts when the page
 * is idle or the search is used, whichever is first; the island then starts the worker or has it
 * load the index (prewarmSearch, startSearchWorker).
 */
export function mountPalette(): void {
  const host = document.createElement("div")
  document.body.append(host)
  createRoot(host).render(<SearchPalette />)
}
