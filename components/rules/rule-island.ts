/**
 * The one script of a static rule page (bundled by scripts/rule-pages/assets.ts): the copy
 * buttons, the header's theme switch, the Menu's closing (components/layout/site-menu.ts), and the
 * search shortcut and button (components/search/shortcut.ts), which open the palette's shell at once. It holds no React: rule
 * pages are plain HTML, and React with the palette (components/search/palette-island.tsx) loads as
 * a separate chunk when the page is idle after load, or earlier when the search is opened, hovered
 * or focused; the search index only then (shortcut.ts loadPaletteAhead).
 */
import { installMenuDismiss } from "@/components/layout/site-menu"
import { syncThemeButtons, toggleTheme } from "@/components/layout/theme"
import { installSearchShortcut, loadPaletteAhead } from "@/components/search/shortcut"

import { COPY_FEEDBACK_MS, copyCodeOf, copyLabel } from "./copy-code"

document.addEventListener("click", (e) => {
  const target = e.target instanceof Element ? e.target : null
  const copy = target?.closest<HTMLButtonElement>("button[data-copy]")
  if (copy) void copyFrom(copy)
  else if (target?.closest("[data-theme-toggle]")) toggleTheme()
})

syncThemeButtons()
installMenuDismiss()
installSearchShortcut()

let palette: Promise<typeof import("@/components/search/palette-island")> | undefined
loadPaletteAhead((intent) => {
  palette ??= import("@/components/search/palette-island").then(
    (m) => {
      m.mountPalette()
      return m
    },
    (e: unknown) => {
      palette = undefined
      throw e
    },
  )
  palette.then(
    (m) => (intent ? m.prewarmSearch() : m.startSearchWorker()),
    () => {},
  )
})

const resets = new WeakMap<HTMLButtonElement, ReturnType<typeof setTimeout>>()

async function copyFrom(button: HTMLButtonElement) {
  const idle = button.dataset.copy ?? "Copy"
  const live = button.querySelector("[aria-live]") ?? button
  live.textContent = copyLabel(await copyCodeOf(button), idle)
  clearTimeout(resets.get(button))
  resets.set(
    button,
    setTimeout(() => (live.textContent = idle), COPY_FEEDBACK_MS),
  )
}
