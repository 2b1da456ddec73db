/**
 * The tester's "run the translation beside the rule": which formats' rules have SPL translations,
 * and the worker messages that ask for one rule's verdicts (answered by besideRule in beside.ts,
 * which the worker loads only when a page asks).
 *
 * Owns: the request and reply shapes. Invariants: light (types and one set, no engine), so the
 * tester page can import it without loading the converter.
 * Never imports: React, Next, Node built-ins, anything with code.
 */
import type { TesterForm } from "../tester/form.ts"
import type { BesideVerdict } from "./beside.ts"

/** Formats whose rules lib/convert translates to SPL. */
export const TRANSLATED_FORMATS: ReadonlySet<string> = new Set(["sigma"])

/** One rule of the answer to `form`, on its input number `input`, read as `shape`. */
export type BesideRequest = { id: number; form: TesterForm; input: number; ruleId: string; shape: string }

export type BesideReply =
  { beside: number; ok: true; verdict: BesideVerdict | null } | { beside: number; ok: false; error: string }
