"use client"

import { createContext, useContext, useEffect, useState } from "react"

import type { TranslationVerdict } from "@/lib/convert/beside"
import { TRANSLATED_FORMATS, type BesideReply, type BesideRequest } from "@/lib/convert/beside-messages"
import type { SplTarget } from "@/lib/convert/sigma-to-spl"
import type { TesterForm } from "@/lib/tester/form"
import { RuleLink } from "@/components/ui/rule-link"

/** What a shown rule needs to ask the worker for its translations' verdicts: the answered form and the way to ask. */
export type BesideAsk = { form: TesterForm; ask: (req: Omit<BesideRequest, "id">) => Promise<BesideReply> }

export const BesideContext = createContext<BesideAsk | undefined>(undefined)

const words = (v: TranslationVerdict): string =>
  typeof v === "object" ? "not translated" : v === "unknown" ? "undecided" : v ? "fires" : "does not fire"

/**
 * A rule of a translated format (a Sigma rule) beside its SPL translations on the same input:
 * each translation's verdict next to the rule's, computed in the tester worker when the rule is
 * shown (the converter loads on the first ask), and whether it agrees.
 */
export function SplBeside({
  rule,
  input,
}: {
  rule: { id: string; format: string; slug: string; shape: string }
  input: number
}) {
  const ctx = useContext(BesideContext)
  const [reply, setReply] = useState<BesideReply>()
  const translated = TRANSLATED_FORMATS.has(rule.format)
  useEffect(() => {
    if (!ctx || !translated) return
    let live = true
    setReply(undefined)
    void ctx.ask({ form: ctx.form, input, ruleId: rule.id, shape: rule.shape }).then((r) => {
      if (live) setReply(r)
    })
    return () => {
      live = false
    }
  }, [ctx, translated, input, rule.id, rule.shape])
  if (!ctx || !translated) return null
  const v = reply?.ok ? reply.verdict : undefined
  return (
    <div className="mt-2 rounded bg-slate-50 p-2 text-sm" data-testid="spl-beside" aria-live="polite">
      <p className="font-medium text-slate-800">
        Its Splunk SPL translations on this input{" "}
        <RuleLink href={`/rules/${rule.format}/${rule.slug}/#spl-title`} className="font-normal text-sky-800 underline">
          (the searches)
        </RuleLink>
      </p>
      {!reply ? (
        <p className="text-slate-700">Running the translations…</p>
      ) : !reply.ok ? (
        <p className="text-rose-900">Could not run the translations: {reply.error}.</p>
      ) : !v ? (
        <p className="text-slate-700">This rule has no SPL translation to run.</p>
      ) : (
        <ul className="grid gap-0.5" aria-label="SPL translations beside the rule">
          <li>
            <span className="text-slate-700">Sigma rule:</span> {words(v.sigma)}
          </li>
          {(Object.entries(v.spl) as Array<[SplTarget, TranslationVerdict]>).map(([target, verdict]) => {
            const differs = v.differs.includes(target)
            return (
              <li key={target} data-target={target}>
                <span className="text-slate-700">{v.labels[target]}:</span> {words(verdict)}
                {typeof verdict === "object" ? (
                  <span className="text-slate-700"> ({verdict.reason})</span>
                ) : differs ? (
                  <span className="font-semibold text-rose-900"> · differs from the Sigma rule</span>
                ) : (
                  <span className="text-emerald-800"> · agrees</span>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
