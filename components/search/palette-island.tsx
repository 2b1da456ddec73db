import { createRoot } from "react-dom/client"

import { prewarmSearch, SearchPalette } from "./search-palette.client"

/**
 * The search palette on a page without Next (a static rule page): starts the worker loading the
 * index and mounts the palette in its own root, where it drives the page's shell. Loaded by
 * components/rules/rule-island.ts when the page is idle or the search is used, whichever is first.
 */
export function mountPalette(): void {
  prewarmSearch()
  const host = document.createElement("div")
  document.body.append(host)
  createRoot(host).render(<SearchPalette />)
}
