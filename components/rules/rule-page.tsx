import Link from "next/link"

import type { RulePageView } from "@/lib/catalog/rule-page-view"
import type { Detection } from "@/lib/catalog/types"
import { GENERATION_LABEL } from "@/lib/catalog/types"
import { withBasePath } from "@/lib/site"
import { macroSlug } from "@/lib/catalog/views"
import { Badge } from "@/components/ui/badge"
import { SafeLink } from "@/components/ui/safe-link"
import { Section } from "@/components/ui/section"

import { AttackTable } from "./attack-table"
import { FormatSections } from "./format-sections"
import { CodeBlock } from "./code-block"
import { EventTable } from "./event-table"
import { IndicatorsTable } from "./indicators-table"
import { RiskSection } from "./risk-section"
import { RuleTests, RuleDrilldowns, RuleMetadata } from "./rule-details"
import { SigmaRelated, SigmaStages, SigmaTags } from "./sigma-sections"
import { StagesSection } from "./stages-section"

/** What the page shows beside the rule; one view for the static pages and the dev routes. */
export type RulePageProps = RulePageView

const TYPE_TONE: Record<string, "red" | "amber" | "sky" | "violet"> = { TTP: "red", Anomaly: "amber", Hunting: "sky", Correlation: "violet", "Emerging threat": "red" }
const LEVEL_TONE: Record<string, "red" | "amber" | "sky" | "slate"> = { critical: "red", high: "red", medium: "amber", low: "sky", informational: "slate" }

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
const FORMAT_LABEL: Record<Detection["format"], string> = { splunk: "Splunk", sigma: "Sigma", elastic: "Elastic" }
/** The query language of a format-seam rule, from its first stage (`eql`, `kql`, `esql`). */
const QUERY_LABEL: Record<string, string> = { eql: "EQL", kql: "KQL", esql: "ES|QL", lucene: "Lucene" }

export function RulePage({ rule, attackRows, events, stories, indicators, related, knownTactics, sections, fields, otherFormats, fileName, tester }: RulePageProps) {
  const sigma = rule.sigma
  // Rules of formats behind the RuleFormat seam carry their own sections; Splunk and Sigma keep theirs.
  const seam = rule.format !== "splunk" && rule.format !== "sigma"
  const queryLang = rule.analysis?.stages[0]?.command ?? ""
  return (
    <article>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <ol className="flex flex-wrap gap-1">
          <li>
            <Link href="/rules/" className="underline">Detection rules</Link> ›
          </li>
          <li>
            <Link href={`/rules/?format=${rule.format}`} className="underline">{FORMAT_LABEL[rule.format]}</Link> ›
          </li>
          <li aria-current="page" className="break-anywhere">{rule.name}</li>
        </ol>
      </nav>
      <h1 className="break-anywhere mt-2 text-3xl font-bold tracking-tight">{rule.name}</h1>
      <div className="mt-3 flex flex-wrap gap-2" aria-label="Classification">
        <Badge tone={TYPE_TONE[rule.type] ?? "slate"}>type: {rule.type}</Badge>
        <Badge tone={rule.status === "production" || rule.status === "stable" ? "green" : "amber"}>status: {rule.status}</Badge>
        {sigma && rule.risk.severity && <Badge tone={LEVEL_TONE[rule.risk.severity] ?? "slate"}>level: {rule.risk.severity}</Badge>}
        {seam && rule.risk.severity && <Badge tone={LEVEL_TONE[rule.risk.severity] ?? "slate"}>severity: {rule.risk.severity}</Badge>}
        {seam && rule.risk.score !== undefined && <Badge tone={LEVEL_TONE[rule.risk.severity ?? ""] ?? "slate"}>risk score: {rule.risk.score}</Badge>}
        {rule.securityDomain && <Badge>domain: {rule.securityDomain}</Badge>}
        {rule.products.map((p) => (
          <Badge key={p} tone="sky">{p}</Badge>
        ))}
        {rule.generation && <Badge tone="violet">schema: {GENERATION_LABEL[rule.generation]}</Badge>}
      </div>
      <TesterLinksLine links={tester} />
      <p className="break-anywhere mt-4 whitespace-pre-line leading-relaxed text-slate-800">{rule.description}</p>

      <Section id="attack" title="MITRE ATT&CK coverage">
        <AttackTable rows={attackRows} />
        {sigma && (
          <div className="mt-3">
            <h3 className="mb-1 text-sm font-semibold">Tags</h3>
            <SigmaTags sigma={sigma} knownTactics={knownTactics} />
          </div>
        )}
        {rule.killChain.length > 0 && !sigma && !seam && (
          <p className="mt-2 text-sm text-slate-600">
            Kill chain: {rule.killChain.join(", ")} · NIST: {rule.nist.join(", ")} · CIS: {rule.cis.join(", ")}
          </p>
        )}
      </Section>

      <FormatSections sections={sections} after="attack" />

      {!seam && (
        <Section id="events" title="Event coverage">
          <EventTable rows={events} />
        </Section>
      )}

      <Section id="body" title="Rule body">
        <CodeBlock code={rule.raw} lang={seam ? "text" : "yaml"} label={rule.source?.rel ?? rule.path} />
        <p className="mt-2 text-sm">
          {/* The file as written, saved beside this page by the build. */}
          <a href={fileName} download={fileName} className="text-sky-700 underline underline-offset-2" data-testid="rule-download">
            Download {seam ? "the rule file" : "YAML"} ({fileName})
          </a>
        </p>
      </Section>

      <Section id="fields" title="Required fields">
        <RequiredFields fields={fields} />
      </Section>

      <Section id="other-formats" title={`Other formats covering the same technique (${otherFormats.total})`}>
        <OtherFormats other={otherFormats} />
      </Section>

      {seam ? (
        <>
          <Section id="search" title="Query">
            <CodeBlock code={rule.search} lang="text" label={QUERY_LABEL[queryLang] ?? "Query"} />
          </Section>
          <FormatSections sections={sections} after="search" />
          <Section id="stages" title="Stages and predicates">
            <StagesSection analysis={rule.analysis} />
          </Section>
        </>
      ) : sigma ? (
        <Section id="stages" title="Stages and predicates">
          <SigmaStages sigma={sigma} />
        </Section>
      ) : (
        <SplunkSections rule={rule} />
      )}

      <Section id="indicators" title="Indicators">
        <IndicatorsTable rows={indicators} />
      </Section>

      {!seam && (
        <Section id="implement" title={sigma ? "Log source definition" : "How to implement"}>
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

      {seam ? (
        <FormatSections sections={sections} after="risk" />
      ) : sigma ? (
        <Section id="related" title="Related rules">
          <SigmaRelated related={related} />
        </Section>
      ) : (
        <SplunkTail rule={rule} stories={stories} />
      )}

      <Section id="metadata" title="Metadata">
        <RuleMetadata rule={rule} />
      </Section>
    </article>
  )
}

function RequiredFields({ fields }: { fields: RulePageProps["fields"] }) {
  if (fields.read.length === 0 && fields.declared.length === 0) return <p className="text-sm text-slate-600">The rule tests no event field (free-text terms only, or it could not be analysed).</p>
  const list = (names: string[], id: string) => (
    <ul className="flex flex-wrap gap-1.5 font-mono text-xs" data-testid={id}>
      {names.map((f) => (
        <li key={f} className="break-anywhere rounded bg-slate-100 px-1.5 py-0.5 text-slate-800">{f}</li>
      ))}
    </ul>
  )
  return (
    <div className="space-y-3 text-sm">
      {fields.read.length > 0 && (
        <div>
          <p className="mb-1 text-slate-700">Fields the rule&apos;s conditions read ({fields.read.length}); events without them cannot match:</p>
          {list(fields.read, "fields-read")}
        </div>
      )}
      {fields.declared.length > 0 && (
        <div>
          <p className="mb-1 text-slate-700">Declared in the rule&apos;s <code className="font-mono">required_fields</code> ({fields.declared.length}):</p>
          {list(fields.declared, "fields-declared")}
        </div>
      )}
    </div>
  )
}

function OtherFormats({ other }: { other: RulePageProps["otherFormats"] }) {
  if (other.total === 0) return <p className="text-sm text-slate-600">No rule of another format covers one of its techniques with an indicator value it tests.</p>
  return (
    <div className="text-sm">
      <ul className="space-y-1.5" data-testid="other-formats">
        {other.rules.map((r) => (
          <li key={r.href} className="break-anywhere">
            <a href={withBasePath(r.href)} className="text-sky-700 underline underline-offset-2">{r.name}</a>{" "}
            <span className="text-slate-600">
              · {r.format} · {r.techniques.join(", ")} · shares {r.values.slice(0, 3).map((v) => `“${v}”`).join(", ")}
              {r.values.length > 3 ? ` and ${r.values.length - 3} more` : ""}
            </span>
          </li>
        ))}
      </ul>
      {other.total > other.rules.length && <p className="mt-2 text-slate-600">Showing the {other.rules.length} sharing the most values of {other.total}.</p>}
    </div>
  )
}

/** Search and pipeline stages: Splunk rules only. */
function SplunkSections({ rule }: { rule: Detection }) {
  return (
    <>
      <Section id="search" title="Search">
        <CodeBlock code={rule.search} lang="splunk" label="SPL" />
        {rule.macros.length > 0 && (
          <p className="break-anywhere mt-2 text-sm text-slate-700">
            Macros:{" "}
            {rule.macros.map((m, i) => (
              <span key={m}>
                {i > 0 && ", "}
                {m.endsWith("_filter") ? (
                  <code className="font-mono" title="empty tuning macro by default">{m}</code>
                ) : (
                  <Link href={`/macros/${macroSlug(m)}/`} prefetch={false} className="font-mono text-sky-700 underline">{m}</Link>
                )}
              </span>
            ))}
            . The <code className="font-mono">_filter</code> macro is empty by default: it lets you tune out false positives without editing the search.
          </p>
        )}
      </Section>

      <Section id="stages" title="Stages and predicates">
        <StagesSection analysis={rule.analysis} />
      </Section>
    </>
  )
}

/** Stories, drilldowns, tests and risk: what only the security_content format records. */
function SplunkTail({ rule, stories }: { rule: Detection; stories: RulePageProps["stories"] }) {
  return (
    <>
      <Section id="stories" title="Analytic stories">
        {stories.length > 0 ? (
          <ul className="list-disc space-y-1 pl-6 text-sm">
            {stories.map((s) => (
              <li key={s.name}>
                {s.slug ? <Link href={`/stories/${s.slug}/`} className="text-sky-700 underline">{s.name}</Link> : <>{s.name} <Badge tone="amber">no story file</Badge></>}
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
