/**
 * What Elastic detection rules show on their pages beyond the shared sections and the data blocks
 * of lib/formats/elastic (rule settings, ATT&CK as written, tags, investigation guide, setup):
 * severity and risk score as badges, the query labelled by its language, and its stages.
 */
import { CodeBlock } from "@/components/rules/code-block"
import { StagesSection } from "@/components/rules/stages-section"
import { Section } from "@/components/ui/section"

import { FormatSections } from "../sections"
import type { FormatPage } from "../types"

/** The query language of a rule, from its first stage's command (`eql`, `kql`, `esql`). */
const QUERY_LABEL: Record<string, string> = { eql: "EQL", kql: "KQL", esql: "ES|QL", lucene: "Lucene" }

export const elasticPage: FormatPage = {
  id: "elastic",
  severityBadge: "severity",
  riskBadge: true,
  // The rule settings section says which index patterns and integrations the rule reads.
  noEvents: true,
  body: { language: "text", download: "the rule file" },
  bodyLast: true,
  // Its "Required fields" section lists the fields the query reads, and required_fields with types.
  ownFields: true,
  // The setup and investigation guide sections (data blocks) say how to implement it.
  noImplement: true,
  afterBody: ({ rule, sections }) => (
    <>
      <Section id="search" title="Query">
        <CodeBlock
          code={rule.search}
          lang="text"
          wrap
          label={QUERY_LABEL[rule.analysis?.stages[0]?.command ?? ""] ?? "Query"}
        />
      </Section>
      <FormatSections sections={sections} after="search" />
      <Section id="stages" title="Stages and predicates">
        <StagesSection analysis={rule.analysis} />
      </Section>
    </>
  ),
  tail: ({ sections }) => <FormatSections sections={sections} after="risk" />,
}
