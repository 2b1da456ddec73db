/**
 * The search shortcut (`/` outside text fields, Ctrl-K or ⌘K), shared by the React search button
 * and the static rule pages' island script.
 */

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false
  return t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement
}

export function isSearchShortcut(e: KeyboardEvent): boolean {
  return (e.key === "k" && (e.ctrlKey || e.metaKey)) || (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target))
}
