import { INPUT_ID, LIST_ID, SHELL_ID, STATUS_ID } from "./shortcut"

/** The palette's hint before anything is typed. */
export const PALETTE_HINT =
  "Type to search names, indicators, techniques, tactics, data sources. ↑ ↓ to move, Enter to open, Esc to close."

/**
 * The search palette's shell: plain markup in every page, opened by components/search/shortcut.ts
 * within the key press. The palette script (search-palette.client.tsx) fills in the results and
 * the status line when it arrives; until then the input already takes what is typed.
 */
export function SearchShell() {
  return (
    <dialog
      id={SHELL_ID}
      aria-label="Search"
      className="mx-auto mt-[10vh] w-[min(44rem,calc(100vw-1rem))] max-w-[calc(100vw-1rem)] overflow-x-hidden rounded-lg border border-slate-300 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="border-b border-slate-200 p-3">
        <input
          id={INPUT_ID}
          type="text"
          role="combobox"
          aria-label="Search rules and indicators"
          aria-expanded="false"
          aria-controls={LIST_ID}
          aria-autocomplete="list"
          autoComplete="off"
          spellCheck={false}
          placeholder="winrs, indicator:wmic.exe, technique:T1047, tactic:lateral-movement…"
          className="w-full min-w-0 rounded border border-slate-300 px-3 py-2 text-base outline-none focus:border-sky-700 focus:ring-2 focus:ring-sky-200"
        />
      </div>
      <ul id={LIST_ID} role="listbox" aria-label="Results" className="max-h-[60vh] overflow-y-auto overflow-x-hidden" />
      <p id={STATUS_ID} className="px-4 py-2 text-xs text-slate-600" aria-live="polite">
        {PALETTE_HINT}
      </p>
    </dialog>
  )
}
