/**
 * Copying a code block's text, shared by the React copy button (Next pages) and the static rule
 * pages' island script (components/rules/rule-island.ts), which has no React.
 */

export type CopyState = "idle" | "copied" | "failed"

/** What the button says in each state (announced to screen readers through its live region). */
export function copyLabel(state: CopyState, idle: string): string {
  return state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : idle
}

/**
 * Copies the code of the block the button sits in (the `<pre>` inside the nearest
 * `[data-slot=code-block]`). It reads the text from the page rather than taking it as a prop: a
 * prop would serialize the whole rule body into a page's RSC payload a second time.
 */
export async function copyCodeOf(button: Element): Promise<CopyState> {
  const code = button.closest("[data-slot=code-block]")?.querySelector("pre")?.textContent
  try {
    if (code == null) throw new Error("no code block")
    await navigator.clipboard.writeText(code)
    return "copied"
  } catch {
    return "failed"
  }
}

/** How long the outcome stays on the button. */
export const COPY_FEEDBACK_MS = 1500
