"use client"

import { useEffect } from "react"

import { syncThemeButtons, toggleTheme } from "./theme"

/**
 * The header's dark-theme switch. Static rule pages render the same button without React and
 * components/rules/rule-island.ts drives it (`data-theme-toggle`).
 */
export function ThemeToggle() {
  useEffect(() => syncThemeButtons(), [])
  return (
    <button
      type="button"
      data-theme-toggle
      aria-pressed="false"
      onClick={toggleTheme}
      title="Switch between the light and the dark theme"
      className="inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-700 hover:border-sky-700"
    >
      <span aria-hidden="true">◐</span>
      <span className="sr-only">Dark theme</span>
    </button>
  )
}
