import { proveTranslation } from "@/lib/convert/round-trip"
import { sigmaTranslations, TARGET_LABEL, translationLabel } from "@/lib/convert/sigma-to-spl"
import type { SigmaAnalysis } from "@/lib/formats/sigma/types"
import { Section } from "@/components/ui/section"

import { CodeBlock } from "@/components/rules/code-block"

/**
 * "Splunk SPL": the rule translated to a raw Windows event search and to a CIM data model
 * search (tstats, or a search over the data set's events when the rule reads a field the model
 * lacks: the search's comment line says which), each with a copy button and the round trip that checks it (the SPL engine reading the
 * translation against the Sigma engine, on events generated from the rule), or why it is not
 * translated. All of it is computed at build time (lib/convert); the page only shows text.
 */
export function SigmaToSpl({ sigma }: { sigma: SigmaAnalysis }) {
  const translations = sigmaTranslations(sigma)
  return (
    <Section id="spl" title="Splunk SPL">
      <div className="space-y-4">
        {translations.map((t) => {
          if (!t.ok)
            return (
              <p
                key={t.target}
                data-target={t.target}
                className="rounded border border-amber-300 bg-amber-50 p-3 text-sm break-anywhere"
              >
                <span className="font-semibold">{TARGET_LABEL[t.target]}</span> ({t.target}): not translated, {t.reason}
              </p>
            )
          const proof = proveTranslation(sigma, t)
          const all = proof.agree === proof.pairs
          return (
            <div key={t.target} role="group" aria-label={translationLabel(t)} data-target={t.target}>
              <CodeBlock code={t.search} lang="splunk" label={`${translationLabel(t)}, ${t.target}`} wrap />
              <p data-testid="round-trip" className={`mt-1 text-xs ${all ? "text-slate-600" : "text-amber-800"}`}>
                {all
                  ? `Checked: the SPL engine reading this search and the Sigma engine reading the rule agree on all ${proof.pairs} events generated from the rule's conditions.`
                  : `The SPL engine and the Sigma engine disagree on ${proof.pairs - proof.agree} of ${proof.pairs} events generated from the rule's conditions.`}
              </p>
            </div>
          )
        })}
      </div>
    </Section>
  )
}
