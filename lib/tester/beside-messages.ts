/**
 * The tester worker's "run the translation beside the rule" messages: the page asks for one rule
 * it shows, judged on the input it read by the rule's own engine and by the SPL engine on the
 * rule's translations. The worker answers with lib/convert/beside.ts, which it loads by a dynamic
 * import on the first ask: the converter sits above the tester (it builds its round-trip events
 * with the tester's example events), so the tester reaches it only at run time, never in its
 * static imports, and the tester's bundle does not carry it.
 *
 * Owns: the request and reply shapes. Invariants: types only.
 * Never imports: React, Next, Node built-ins.
 */
import type { TesterForm } from "./form.ts"

/** One rule of the answer to `form`, on its input number `input`, read as `shape`. */
export type BesideRequest = { id: number; form: TesterForm; input: number; ruleId: string; shape: string }

/** A translation's verdict, or why the rule has no such translation. */
export type TranslationVerdict = boolean | "unknown" | { reason: string }

/** What the page shows: the rule's verdict, each translation's, their names, and which differ. */
export type BesideView = {
  sigma: boolean | "unknown"
  spl: Record<string, TranslationVerdict>
  labels: Record<string, string>
  differs: string[]
}

export type BesideReply =
  { beside: number; ok: true; verdict: BesideView | null } | { beside: number; ok: false; error: string }
