import { createRoot } from "react-dom/client"

import { SearchPalette } from "./search-palette.client"

/**
 * The search palette on a page without Next (a static rule page): mounts it once in its own root
 * and returns the function that opens or closes it. Loaded by components/rules/rule-island.ts on
 * first use only.
 */
export function mountPalette(): (open: boolean) => void {
  const host = document.createElement("div")
  document.body.append(host)
  const root = createRoot(host)
  const render = (open: boolean) => root.render(<SearchPalette open={open} onClose={() => render(false)} />)
  return render
}
