/**
 * What Splunk rules (security_content) show on their pages beyond the shared sections: the SPL
 * search with its macros, the pipeline stages with each macro's expansion, the kill chain / NIST /
 * CIS line, and the analytic stories, drilldowns, tests and risk objects only that format records.
 */
import Link from "next/link"

import type { RulePageView } from "@/lib/catalog/rule-page-view"
import type { Detection } from "@/lib/catalog/types"
import { macroSlug } from "@/lib/catalog/views"
import { splunkDetail, type SplunkDetail } from "@/lib/formats/splunk/analysis"
import type { RuleStage } from "@/lib/predicate/analysis"
import { CodeBlock } from "@/components/rules/code-block"
import { RiskSection } from "@/components/rules/risk-section"
import { RuleDrilldowns, RuleTests } from "@/components/rules/rule-details"
import { StagesSection } from "@/components/rules/stages-section"
import { Badge } from "@/components/ui/badge"
import { Section } from "@/components/ui/section"

import type { FormatPage } from "../types"

export const splunkPage: FormatPage = {
  id: "splunk",
  body: { language: "yaml", download: "YAML" },
  bodyLast: true,
  attackExtra: ({ rule }) =>
    rule.killChain.length > 0 && (
      <p className="mt-2 text-sm text-slate-600">
        Kill chain: {rule.killChain.join(", ")} · NIST: {rule.nist.join(", ")} · CIS: {rule.cis.join(", ")}
      </p>
    ),
  afterBody: ({ rule }) => <SplunkSections rule={rule} />,
  tail: ({ rule, stories }) => <SplunkTail rule={rule} stories={stories} />,
}

/** Search and pipeline stages. */
function SplunkSections({ rule }: { rule: Detection }) {
  const detail = splunkDetail(rule.analysis)
  return (
    <>
      <Section id="search" title="Search">
        <CodeBlock code={rule.search} lang="splunk" label="SPL" wrap />
        {rule.macros.length > 0 && (
          <p className="break-anywhere mt-2 text-sm text-slate-700">
            Macros:{" "}
            {rule.macros.map((m, i) => (
              <span key={m}>
                {i > 0 && ", "}
                {m.endsWith("_filter") ? (
                  <code className="font-mono" title="empty tuning macro by default">
                    {m}
                  </code>
                ) : (
                  <Link href={`/macros/${macroSlug(m)}/`} className="font-mono text-sky-700 underline">
                    {m}
                  </Link>
                )}
              </span>
            ))}
            . The <code className="font-mono">_filter</code> macro is empty by default: it lets you tune out false
            positives without editing the search.
          </p>
        )}
      </Section>

      <Section id="stages" title="Stages and predicates">
        <StagesSection
          analysis={detail && rule.analysis}
          extras={{
            unanalysed: "The SPL engine could not analyse this search; see the build report.",
            origin: detail ? (stage) => <StageMacros stage={stage} detail={detail} /> : undefined,
            requiresLabel: "Splunk drops an event unless it has",
          }}
        />
      </Section>
    </>
  )
}

type MacroCall = SplunkDetail["macroCalls"][number]

/** The macro calls whose expansion overlaps a stage, parents before children. */
function StageMacros({ stage, detail }: { stage: RuleStage; detail: SplunkDetail }) {
  const start = stage.start ?? 0
  const end = stage.end ?? 0
  const calls = detail.macroCalls.filter(
    (c) => (c.start < end && c.end > start) || (c.start === c.end && c.start >= start && c.start <= end),
  )
  if (calls.length === 0) return null
  return (
    <ul aria-label="Macros" className="stage-macros">
      {calls.map((c, i) => (
        <li key={i} style={c.depth > 0 ? { marginLeft: `${c.depth * 1.25}rem` } : undefined}>
          <b>{`\`${c.name}${c.args.length > 0 ? `(${c.args.join(", ")})` : ""}\``}</b>
          {" → "}
          <MacroExpansion call={c} text={detail.expanded.slice(c.start, c.end)} />
        </li>
      ))}
    </ul>
  )
}

function MacroExpansion({ call, text }: { call: MacroCall; text: string }) {
  if (call.status === "unknown") return <small>not defined in macros/ (left unexpanded)</small>
  const note = call.status === "filter" ? " (empty tuning hook)" : call.status === "cim" ? " (Splunk CIM add-on)" : ""
  return (
    <>
      <code>{text.trim() === "" ? "(empty)" : text}</code>
      {note && <small>{note}</small>}
    </>
  )
}

/** Stories, drilldowns, tests and risk: what only the security_content format records. */
function SplunkTail({ rule, stories }: { rule: Detection; stories: RulePageView["stories"] }) {
  return (
    <>
      <Section id="stories" title="Analytic stories">
        {stories.length > 0 ? (
          <ul className="list-disc space-y-1 pl-6 text-sm">
            {stories.map((s) => (
              <li key={s.name}>
                {s.slug ? (
                  <Link href={`/stories/${s.slug}/`} className="text-sky-700 underline">
                    {s.name}
                  </Link>
                ) : (
                  <>
                    {s.name} <Badge tone="amber">no story file</Badge>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">None.</p>
        )}
      </Section>

      <Section id="drilldowns" title="Drilldowns">
        <RuleDrilldowns drilldowns={rule.drilldowns} />
      </Section>

      <Section id="tests" title="Tests and attack data">
        <RuleTests tests={rule.tests} />
      </Section>

      <Section id="risk" title="Risk">
        <RiskSection risk={rule.risk} />
      </Section>
    </>
  )
}
