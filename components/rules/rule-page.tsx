import Link from "next/link"

import type { RulePageView } from "@/lib/catalog/rule-page-view"
import { GENERATION_LABEL } from "@/lib/catalog/types"
import { Badge } from "@/components/ui/badge"
import { SafeLink } from "@/components/ui/safe-link"
import { Section } from "@/components/ui/section"

import { AttackTable } from "./attack-table"
import { CodeBlock } from "./code-block"
import { EventTable } from "./event-table"
import { IndicatorsTable } from "./indicators-table"
import { RuleMetadata } from "./rule-details"
import { formatLabel } from "@/lib/formats/testers"

import { FormatSections, ownSections } from "./format-sections"

/** What the page shows beside the rule; one view for the static pages and the dev routes. */
export type RulePageProps = RulePageView

const TYPE_TONE: Record<string, "red" | "amber" | "sky" | "violet"> = { TTP: "red", Anomaly: "amber", Hunting: "sky", Correlation: "violet", "Emerging threat": "red" }
const LEVEL_TONE: Record<string, "red" | "amber" | "sky" | "slate"> = { critical: "red", high: "red", medium: "amber", low: "sky", informational: "slate" }

/** One rule, sections in the seeds' order. Every rule field is rendered as text. */
export function RulePage(props: RulePageProps) {
  const { rule, attackRows, events, indicators, logSource, sections } = props
  // What this rule's format adds to the page: its own sections (format-sections.tsx), and the data
  // blocks its RuleFormat.pageSections returns, rendered by the shared renderer.
  const own = ownSections(rule)
  return (
    <article>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <ol className="flex flex-wrap gap-1">
          <li>
            <Link href="/rules/" className="underline">Detection rules</Link> ›
          </li>
          <li>
            <Link href={`/rules/?format=${rule.format}`} className="underline">{formatLabel(rule.format)}</Link> ›
          </li>
          <li aria-current="page" className="break-anywhere">{rule.name}</li>
        </ol>
      </nav>
      <h1 className="break-anywhere mt-2 text-3xl font-bold tracking-tight">{rule.name}</h1>
      <div className="mt-3 flex flex-wrap gap-2" aria-label="Classification">
        <Badge tone={TYPE_TONE[rule.type] ?? "slate"}>type: {rule.type}</Badge>
        <Badge tone={rule.status === "production" || rule.status === "stable" ? "green" : "amber"}>status: {rule.status}</Badge>
        {own.severityBadge && rule.risk.severity && <Badge tone={LEVEL_TONE[rule.risk.severity] ?? "slate"}>{own.severityBadge}: {rule.risk.severity}</Badge>}
        {own.riskBadge && rule.risk.score !== undefined && <Badge tone={LEVEL_TONE[rule.risk.severity ?? ""] ?? "slate"}>risk score: {rule.risk.score}</Badge>}
        {rule.securityDomain && <Badge>domain: {rule.securityDomain}</Badge>}
        {rule.products.map((p) => (
          <Badge key={p} tone="sky">{p}</Badge>
        ))}
        {rule.generation && <Badge tone="violet">schema: {GENERATION_LABEL[rule.generation]}</Badge>}
      </div>
      <p className="break-anywhere mt-4 whitespace-pre-line leading-relaxed text-slate-800">{rule.description}</p>

      <Section id="attack" title="MITRE ATT&CK coverage">
        <AttackTable rows={attackRows} />
        {own.attackExtra?.(props)}
        {rule.killChain.length > 0 && !own.attackExtra && !own.riskBadge && (
          <p className="mt-2 text-sm text-slate-600">
            Kill chain: {rule.killChain.join(", ")} · NIST: {rule.nist.join(", ")} · CIS: {rule.cis.join(", ")}
          </p>
        )}
      </Section>

      <FormatSections sections={sections} after="attack" />

      {!own.noEvents && (
        <Section id="events" title="Event coverage">
          <EventTable rows={events} />
        </Section>
      )}

      <FormatSections sections={sections} after="events" />

      <Section id="body" title="Rule body">
        <CodeBlock code={rule.raw} lang={own.bodyLanguage ?? "yaml"} label={rule.path} />
      </Section>

      <FormatSections sections={sections} after="body" />
      {own.afterBody?.(props)}
      <FormatSections sections={sections} after="stages" />

      <Section id="indicators" title="Indicators">
        <IndicatorsTable rows={indicators} logSource={logSource} />
      </Section>

      <FormatSections sections={sections} after="indicators" />

      {!own.noImplement && (
        <Section id="implement" title={own.implementTitle ?? "How to implement"}>
          <p className="break-anywhere whitespace-pre-line text-slate-800">{rule.howToImplement || "Not stated."}</p>
        </Section>
      )}

      <Section id="false-positives" title="Known false positives">
        <p className="break-anywhere whitespace-pre-line text-slate-800">{rule.knownFalsePositives || "Not stated."}</p>
      </Section>

      <Section id="references" title="References">
        {rule.references.length > 0 ? (
          <ul className="list-disc space-y-1 pl-6 text-sm">
            {rule.references.map((r, i) => (
              <li key={`${r}-${i}`}><SafeLink href={r} /></li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">None.</p>
        )}
      </Section>

      {own.tail?.(props)}

      <Section id="metadata" title="Metadata">
        <RuleMetadata rule={rule} />
      </Section>
    </article>
  )
}
