/**
 * The light/dark theme: the reader's choice is kept in localStorage under THEME_KEY; without one
 * the page follows prefers-color-scheme. THEME_SCRIPT runs inline in every page's head (Next pages
 * and the static rule pages alike) before anything paints, so no page flashes the wrong theme; its
 * text is hashed into each page's Content Security Policy at build time like any inline script.
 */

export const THEME_KEY = "atlas-theme"

/** Sets `dark` on <html> from the saved choice or the system's; also follows system changes while no choice is saved. */
export const THEME_SCRIPT = `(function(){var k=${JSON.stringify(THEME_KEY)},d=document.documentElement,m=window.matchMedia("(prefers-color-scheme: dark)");function a(){var s=null;try{s=localStorage.getItem(k)}catch(e){}d.classList.toggle("dark",s?s==="dark":m.matches)}a();m.addEventListener("change",a)})()`

/** True when the page shows the dark theme now. */
export function isDark(): boolean {
  return document.documentElement.classList.contains("dark")
}

/** Switches theme, remembers the choice, and updates every toggle button's pressed state. */
export function toggleTheme(): void {
  const dark = !isDark()
  document.documentElement.classList.toggle("dark", dark)
  try {
    localStorage.setItem(THEME_KEY, dark ? "dark" : "light")
  } catch {
    // Storage can be off (private modes); the switch still holds for this page.
  }
  syncThemeButtons()
}

/** Reflects the current theme on the header buttons (`data-theme-toggle`). */
export function syncThemeButtons(): void {
  const dark = isDark()
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-theme-toggle]")) {
    b.setAttribute("aria-pressed", String(dark))
  }
}
