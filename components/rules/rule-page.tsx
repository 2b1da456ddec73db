import Link from "next/link"

import type { RulePageView } from "@/lib/catalog/rule-page-view"
import { GENERATION_LABEL } from "@/lib/catalog/types"
import { withBasePath } from "@/lib/site"
import { Badge } from "@/components/ui/badge"
import { SafeLink } from "@/components/ui/safe-link"
import { Section } from "@/components/ui/section"

import { AttackTable } from "./attack-table"
import { CodeBlock } from "./code-block"
import { EventTable } from "./event-table"
import { IndicatorsTable } from "./indicators-table"
import { unwrapLines } from "./prose"
import { RuleMetadata } from "./rule-details"
import { formatLabel } from "@/lib/formats/testers"
import { formatPage } from "@/components/formats/registry"
import { FormatSections } from "@/components/formats/sections"

/** What the page shows beside the rule; one view for the static pages and the dev routes. */
export type RulePageProps = RulePageView

const TYPE_TONE: Record<string, "red" | "amber" | "sky" | "violet"> = {
  TTP: "red",
  Anomaly: "amber",
  Hunting: "sky",
  Correlation: "violet",
  "Emerging threat": "red",
}
const LEVEL_TONE: Record<string, "red" | "amber" | "sky" | "slate"> = {
  critical: "red",
  high: "red",
  medium: "amber",
  low: "sky",
  informational: "slate",
}

/** "Open in tester" with the rule's own example event, and with its data sources' example logs. */
function TesterLinksLine({ links }: { links: RulePageProps["tester"] }) {
  if (!links.example && links.exampleLogs.length === 0) return null
  return (
    <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="open-in-tester">
      {links.example && (
        <a href={withBasePath(links.example)} className="font-medium text-sky-800 underline">
          Open in tester with an example event that fires this rule
        </a>
      )}
      {links.exampleLogs.map((l) => (
        <a key={l.dataSource} href={withBasePath(l.href)} className="text-sky-800 underline">
          Test the {l.dataSource} example log
        </a>
      ))}
    </p>
  )
}

/** One rule, sections in the seeds' order. Every rule field is rendered as text. */
export function RulePage(props: RulePageProps) {
  const { rule, attackRows, events, indicators, logSource, sections, fields, otherFormats, fileName, tester } = props
  // What this rule's format adds to the page: its own parts (components/formats/<id>/, found through
  // the registry), and the data blocks its RuleFormat.pageSections returns, rendered by the shared renderer.
  const own = formatPage(rule.format)
  // The file as written. Formats whose pages show the query in its own section put it near the end:
  // a Splunk or Elastic file runs to hundreds of lines that held the query several screens down.
  const ruleBody = (
    <Section id="body" title="Rule body">
      <CodeBlock code={rule.raw} lang={own.body.language} label={rule.source?.rel ?? rule.path} />
      <p className="break-anywhere mt-2 text-sm">
        {/* The file as written, saved beside this page by the build. */}
        <a
          href={fileName}
          download={fileName}
          className="text-sky-700 underline underline-offset-2"
          data-testid="rule-download"
        >
          Download {own.body.download} ({fileName})
        </a>
      </p>
    </Section>
  )
  return (
    <article>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <ol className="flex flex-wrap gap-1">
          <li>
            <Link href="/rules/" className="underline">
              Detection rules
            </Link>{" "}
            ›
          </li>
          <li>
            <Link href={`/rules/?format=${rule.format}`} className="underline">
              {formatLabel(rule.format)}
            </Link>{" "}
            ›
          </li>
          <li aria-current="page" className="break-anywhere">
            {rule.name}
          </li>
        </ol>
      </nav>
      <h1 className="break-anywhere mt-2 text-3xl font-bold tracking-tight">{rule.name}</h1>
      <div className="mt-3 flex flex-wrap gap-2" aria-label="Classification">
        <Badge tone={TYPE_TONE[rule.type] ?? "slate"}>type: {rule.type}</Badge>
        <Badge tone={rule.status === "production" || rule.status === "stable" ? "green" : "amber"}>
          status: {rule.status}
        </Badge>
        {own.severityBadge && rule.risk.severity && (
          <Badge tone={LEVEL_TONE[rule.risk.severity] ?? "slate"}>
            {own.severityBadge}: {rule.risk.severity}
          </Badge>
        )}
        {own.riskBadge && rule.risk.score !== undefined && (
          <Badge tone={LEVEL_TONE[rule.risk.severity ?? ""] ?? "slate"}>risk score: {rule.risk.score}</Badge>
        )}
        {rule.securityDomain && <Badge>domain: {rule.securityDomain}</Badge>}
        {rule.products.map((p) => (
          <Badge key={p} tone="sky">
            {p}
          </Badge>
        ))}
        {rule.generation && <Badge tone="violet">schema: {GENERATION_LABEL[rule.generation]}</Badge>}
      </div>
      {rule.status === "deprecated" && (
        // A badge alone was easy to miss on a rule someone is about to deploy.
        <p
          role="note"
          className="mt-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
          data-testid="deprecated-note"
        >
          Deprecated by its authors: kept for reference, no longer maintained. Its techniques&apos; pages list the rules
          that are.
        </p>
      )}
      <TesterLinksLine links={tester} />
      <p
        className="break-anywhere mt-4 whitespace-pre-line leading-relaxed text-slate-800"
        data-testid="rule-description"
      >
        {unwrapLines(rule.description)}
      </p>

      <Section id="attack" title="MITRE ATT&CK coverage">
        <AttackTable rows={attackRows} />
        {own.attackExtra?.(props)}
      </Section>

      <FormatSections sections={sections} after="attack" />

      {!own.noEvents && (
        <Section id="events" title="Event coverage">
          <EventTable rows={events} />
        </Section>
      )}

      <FormatSections sections={sections} after="events" />

      {!own.bodyLast && ruleBody}

      <FormatSections sections={sections} after="body" />
      {own.afterBody?.(props)}
      <FormatSections sections={sections} after="stages" />

      {!own.ownFields && (
        <Section id="fields" title="Required fields">
          <RequiredFields fields={fields} />
        </Section>
      )}

      <Section id="indicators" title="Indicators">
        <IndicatorsTable rows={indicators} logSource={logSource} />
      </Section>

      <FormatSections sections={sections} after="indicators" />

      <Section id="other-formats" title={`Other formats covering the same technique (${otherFormats.total})`}>
        <OtherFormats other={otherFormats} />
      </Section>

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
              <li key={`${r}-${i}`}>
                <SafeLink href={r} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">None.</p>
        )}
      </Section>

      {own.tail?.(props)}

      {own.bodyLast && ruleBody}

      <Section id="metadata" title="Metadata">
        <RuleMetadata rule={rule} />
      </Section>
    </article>
  )
}

function RequiredFields({ fields }: { fields: RulePageProps["fields"] }) {
  if (fields.read.length === 0 && fields.declared.length === 0)
    return (
      <p className="text-sm text-slate-600">
        The rule tests no event field (free-text terms only, or it could not be analysed).
      </p>
    )
  const list = (names: string[], id: string) => (
    <ul className="flex flex-wrap gap-1.5 font-mono text-xs" data-testid={id}>
      {names.map((f) => (
        <li key={f} className="break-anywhere rounded bg-slate-100 px-1.5 py-0.5 text-slate-800">
          {f}
        </li>
      ))}
    </ul>
  )
  return (
    <div className="space-y-3 text-sm">
      {fields.read.length > 0 && (
        <div>
          <p className="mb-1 text-slate-700">
            Fields the rule&apos;s conditions read ({fields.read.length}); events without them cannot match:
          </p>
          {list(fields.read, "fields-read")}
        </div>
      )}
      {fields.declared.length > 0 && (
        <div>
          <p className="mb-1 text-slate-700">
            Declared in the rule&apos;s <code className="font-mono">required_fields</code> ({fields.declared.length}):
          </p>
          {list(fields.declared, "fields-declared")}
        </div>
      )}
    </div>
  )
}

function OtherFormats({ other }: { other: RulePageProps["otherFormats"] }) {
  if (other.total === 0)
    return (
      <p className="text-sm text-slate-600">
        No rule of another format covers one of its techniques with an indicator value it tests.
      </p>
    )
  return (
    <div className="text-sm">
      <ul className="space-y-1.5" data-testid="other-formats">
        {other.rules.map((r) => (
          <li key={r.href} className="break-anywhere">
            <a href={withBasePath(r.href)} className="text-sky-700 underline underline-offset-2">
              {r.name}
            </a>{" "}
            <span className="text-slate-600">
              · {formatLabel(r.format)} · {r.techniques.join(", ")} · shares{" "}
              {r.values
                .slice(0, 3)
                .map((v) => `“${v}”`)
                .join(", ")}
              {r.values.length > 3 ? ` and ${r.values.length - 3} more` : ""}
            </span>
          </li>
        ))}
      </ul>
      {other.total > other.rules.length && (
        <p className="mt-2 text-slate-600">
          Showing the {other.rules.length} sharing the most values of {other.total}.
        </p>
      )}
    </div>
  )
}
