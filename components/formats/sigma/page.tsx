/**
 * What Sigma rules show on their pages beyond the shared sections: the level as a badge, the tags
 * as written, the selections and condition as predicates, the logsource as how to implement it,
 * the rule translated to SPL (raw events and CIM) with its round-trip check, and the related rules.
 */
import { sigmaAnalysisOf } from "@/lib/formats/sigma/analysis"
import { Section } from "@/components/ui/section"

import type { FormatPage } from "../types"
import { SigmaRelated, SigmaStages, SigmaTags } from "./sections"
import { SigmaToSpl } from "./spl"

export const sigmaPage: FormatPage = {
  id: "sigma",
  severityBadge: "level",
  body: { language: "yaml", download: "YAML" },
  attackExtra: ({ rule, knownTactics }) => {
    const sigma = rule.analysis && sigmaAnalysisOf(rule.analysis)
    return sigma ? (
      <div className="mt-3">
        <h3 className="mb-1 text-sm font-semibold">Tags</h3>
        <SigmaTags sigma={sigma} knownTactics={knownTactics} />
      </div>
    ) : null
  },
  afterBody: ({ rule }) => {
    const sigma = rule.analysis && sigmaAnalysisOf(rule.analysis)
    return sigma ? (
      <>
        <SigmaToSpl sigma={sigma} />
        <Section id="stages" title="Stages and predicates">
          <SigmaStages sigma={sigma} />
        </Section>
      </>
    ) : null
  },
  implementTitle: "Log source definition",
  tail: ({ related }) => (
    <Section id="related" title="Related rules">
      <SigmaRelated related={related} />
    </Section>
  ),
}
