/**
 * The search shortcut (`/` outside text fields, Ctrl-K or ⌘K) and the search button, wired to the
 * palette's shell (components/search/search-shell.tsx), which is plain markup in every page.
 *
 * Opening is synchronous and needs no framework: the shell dialog opens and its input takes focus
 * within the key press, so whatever is typed next lands in the input, however long the palette's
 * script (results, worker, index) takes to arrive. Next pages run `installSearchShortcut` as an
 * inline script (SEARCH_SHORTCUT_SCRIPT, before hydration); static rule pages from their island
 * module (components/rules/rule-island.ts). Closing the dialog returns focus to where it was.
 * The palette script listens for OPEN_EVENT (load now) and WARM_EVENT (the button is hovered or
 * focused, or the header touched: load ahead).
 */

export const SHELL_ID = "atlas-search"
export const INPUT_ID = "atlas-search-input"
export const LIST_ID = "atlas-search-list"
export const STATUS_ID = "atlas-search-status"
export const OPEN_EVENT = "atlas-search-open"
export const WARM_EVENT = "atlas-search-warm"

/**
 * Installs the shortcut and the button's click (once per page). Self-contained, with its names
 * written out, because it is also serialised into an inline script.
 */
export function installSearchShortcut(): void {
  const w = window as Window & { atlasSearchShortcut?: boolean }
  if (w.atlasSearchShortcut) return
  w.atlasSearchShortcut = true
  let before: HTMLElement | null = null
  const open = () => {
    const dialog = document.getElementById("atlas-search")
    const input = document.getElementById("atlas-search-input")
    if (!(dialog instanceof HTMLDialogElement) || !(input instanceof HTMLInputElement)) return
    if (!dialog.open) {
      const active = document.activeElement
      before = active instanceof HTMLElement && active !== document.body ? active : null
      if (!dialog.dataset.restores) {
        dialog.dataset.restores = "1"
        dialog.addEventListener("close", () => {
          const back = before
          before = null
          if (back && back.isConnected) back.focus()
          // Nothing had focus before: leave none in the closed dialog, so the next `/` opens it again.
          else if (document.activeElement instanceof HTMLElement && dialog.contains(document.activeElement))
            document.activeElement.blur()
        })
      }
      dialog.showModal()
    }
    input.focus()
    input.select()
    window.dispatchEvent(new Event("atlas-search-open"))
  }
  window.addEventListener("keydown", (e) => {
    const t = e.target
    // A field inside a closed dialog (the palette's own input, just closed) is not being typed in.
    const hidden = t instanceof HTMLElement && t.closest("dialog:not([open])") !== null
    const editable =
      t instanceof HTMLElement &&
      !hidden &&
      (t.isContentEditable ||
        t instanceof HTMLInputElement ||
        t instanceof HTMLTextAreaElement ||
        t instanceof HTMLSelectElement)
    if (
      (e.key === "k" && (e.ctrlKey || e.metaKey)) ||
      (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !editable)
    ) {
      e.preventDefault()
      open()
    }
  })
  const onTrigger = (e: Event) => e.target instanceof Element && e.target.closest("[data-search-trigger]") !== null
  document.addEventListener("click", (e) => {
    if (onTrigger(e)) open()
  })
  const warm = (e: Event) => {
    if (onTrigger(e)) window.dispatchEvent(new Event("atlas-search-warm"))
  }
  document.addEventListener("pointerover", warm)
  document.addEventListener("focusin", warm)
  // A phone has no hover: a finger on the header is the nearest sign that search is wanted.
  document.addEventListener(
    "touchstart",
    (e) => {
      if (e.target instanceof Element && e.target.closest("header"))
        window.dispatchEvent(new Event("atlas-search-warm"))
    },
    { passive: true },
  )
}

/** The inline script of Next pages: the shortcut works from the first byte, before hydration. */
export const SEARCH_SHORTCUT_SCRIPT = `(${installSearchShortcut.toString()})()`

/** Whether the shell is open (someone pressed the shortcut before the palette script arrived). */
export function shellIsOpen(): boolean {
  const d = document.getElementById(SHELL_ID)
  return d instanceof HTMLDialogElement && d.open
}

/** Runs `fn` once the page has loaded and the browser is idle (or after two seconds at most). */
export function whenIdleAfterLoad(fn: () => void): void {
  const idle = () => {
    if (typeof requestIdleCallback === "function") requestIdleCallback(() => fn(), { timeout: 2000 })
    else setTimeout(fn, 200)
  }
  if (document.readyState === "complete") idle()
  else window.addEventListener("load", idle, { once: true })
}

/**
 * Loads the palette's code when the page is idle (`load(false)`: the code and the index's small
 * first part, lib/search/head.ts) and the whole search index on a sign that search is wanted
 * (`load(true)`): the shell opens (`/`, Ctrl-K, a click), the button is hovered or focused, a finger
 * touches the header. A reader who never searches never downloads the whole index. `load` is
 * called each time and must load once.
 */
export function loadPaletteAhead(load: (intent: boolean) => void): () => void {
  const wanted = () => load(true)
  window.addEventListener(OPEN_EVENT, wanted)
  window.addEventListener(WARM_EVENT, wanted)
  if (shellIsOpen()) wanted()
  else whenIdleAfterLoad(() => load(false))
  return () => {
    window.removeEventListener(OPEN_EVENT, wanted)
    window.removeEventListener(WARM_EVENT, wanted)
  }
}
