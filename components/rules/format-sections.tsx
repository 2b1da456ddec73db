import Link from "next/link"

import type { RulePageView } from "@/lib/catalog/rule-page-view"
import type { Detection } from "@/lib/catalog/types"
import { findFormat } from "@/lib/formats/registry"
import { sigmaAnalysisOf } from "@/lib/formats/sigma/analysis"
import { splAnalysisOf } from "@/lib/formats/splunk/analysis"
import type { PageBlock, PageSection } from "@/lib/formats/types"
import { isCodeLanguage } from "@/lib/highlight"
import { Badge } from "@/components/ui/badge"
import { Section } from "@/components/ui/section"

import { CodeBlock } from "./code-block"
import { Markdown } from "./markdown"
import { PredicateTree } from "./predicate-tree"
import { RiskSection } from "./risk-section"
import { RuleDrilldowns, RuleTests } from "./rule-details"
import { SigmaRelated, SigmaStages, SigmaTags } from "./sigma-sections"
import { StagesSection } from "./stages-section"

/**
 * The page parts a rule format renders itself, where the shared data blocks
 * (RuleFormat.pageSections) do not say enough. A format without an entry here gets only its
 * data blocks: adding a format needs no line in this file.
 */
export interface FormatSections {
  /** Show the rule's severity as a `level` badge. */
  levelBadge?: boolean
  /** Below the ATT&CK table (replaces the kill chain line). */
  attackExtra?: (p: RulePageView) => React.ReactNode
  /** After the rule body: the search and its stages. */
  afterBody?: (p: RulePageView) => React.ReactNode
  /** Title of the "How to implement" section. */
  implementTitle?: string
  /** After references: stories, drilldowns, tests, risk, related rules. */
  tail?: (p: RulePageView) => React.ReactNode
}

const OWN: Record<string, FormatSections> = {
  splunk: {
    afterBody: ({ rule }) => <SplunkSections rule={rule} />,
    tail: ({ rule, stories }) => <SplunkTail rule={rule} stories={stories} />,
  },
  sigma: {
    levelBadge: true,
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
        <Section id="stages" title="Stages and predicates">
          <SigmaStages sigma={sigma} />
        </Section>
      ) : null
    },
    implementTitle: "Log source definition",
    tail: ({ related }) => (
      <Section id="related" title="Related rules">
        <SigmaRelated related={related} />
      </Section>
    ),
  },
}

/** The sections a rule's format renders itself (none for a format that only returns data blocks). */
export function formatSections(rule: Pick<Detection, "format">): FormatSections {
  return OWN[rule.format] ?? {}
}

/** The data-block sections the rule's format places after one of the shared sections. */
export function FormatBlocks({ rule, after }: { rule: Detection; after: ReadonlyArray<PageSection["after"]> }) {
  const sections = (findFormat(rule.format)?.pageSections(rule) ?? []).filter((s) => after.includes(s.after))
  return (
    <>
      {sections.map((s) => (
        <Section key={s.id} id={s.id} title={s.title}>
          <div className="space-y-4">
            {s.blocks.map((b, i) => (
              <Block key={i} block={b} rule={rule} />
            ))}
          </div>
        </Section>
      ))}
    </>
  )
}

/** One data block, always rendered as text (rule fields are untrusted). */
function Block({ block, rule }: { block: PageBlock; rule: Detection }) {
  switch (block.kind) {
    case "text":
      return <p className="break-anywhere whitespace-pre-line text-slate-800">{block.text}</p>
    case "markdown":
      return <Markdown text={block.markdown} />
    case "code":
      return <CodeBlock code={block.code} lang={isCodeLanguage(block.lang) ? block.lang : "text"} label={block.label} />
    case "facts":
      return (
        <dl aria-label={block.label} className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          {block.rows.map((r) => (
            <Fact key={r.label} label={r.label} value={r.value} href={r.href} />
          ))}
        </dl>
      )
    case "predicate":
      return (
        <div>
          <h3 className="mb-1 text-sm font-semibold">{block.label}</h3>
          <PredicateTree predicate={block.predicate} />
        </div>
      )
    case "table":
      return (
        <table aria-label={block.label} className="w-full text-left text-sm">
          <thead>
            <tr>
              {block.columns.map((c) => (
                <th key={c} scope="col" className="py-1 pr-4 font-semibold">{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} className="break-anywhere py-1 pr-4 font-mono">{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )
    case "analysis":
      return <AnalysisBlock rule={rule} />
  }
}

function Fact({ label, value, href }: { label: string; value: string | string[]; href?: string | undefined }) {
  const text = Array.isArray(value) ? value.join(", ") : value
  return (
    <>
      <dt className="font-medium text-slate-700">{label}</dt>
      <dd className="break-anywhere font-mono">{href ? <Link href={href} className="text-sky-700 underline">{text}</Link> : text}</dd>
    </>
  )
}

/** The format-neutral analysis: verdict with reasons, then each stage with its predicate. */
function AnalysisBlock({ rule }: { rule: Detection }) {
  const a = rule.analysis
  if (!a) return <p className="text-sm text-slate-600">This rule could not be analysed; see the build report.</p>
  const tone = a.evaluability.evaluable ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"
  return (
    <div className="space-y-4">
      <div data-testid="evaluability" className={`rounded border p-3 text-sm ${tone}`}>
        <p className="font-semibold">{a.evaluability.evaluable ? "Evaluable on a single event" : a.multiEvent ? "Not evaluated on a single event" : "Not evaluable on a single event"}</p>
        {a.multiEvent && <p className="mt-1">{a.multiEvent}</p>}
        {a.evaluability.reasons.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {a.evaluability.reasons.map((r, i) => (
              <li key={i}>{r.message}</li>
            ))}
          </ul>
        )}
      </div>
      <ol aria-label="Pipeline stages" className="space-y-4">
        {a.stages.map((s) => (
          <li key={s.index} className="stage">
            <p className="text-sm">
              <Badge tone="sky">{s.command}</Badge> {s.reason && <span className="text-slate-600">{s.reason}</span>}
            </p>
            {s.text && <pre className="break-anywhere mt-1 whitespace-pre-wrap font-mono text-sm">{s.text}</pre>}
            {s.predicate && <PredicateTree predicate={s.predicate} />}
          </li>
        ))}
      </ol>
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
          <p className="mt-2 text-sm text-slate-700">
            Macros:{" "}
            {rule.macros.map((m, i) => (
              <span key={m}>
                {i > 0 && ", "}
                {m.endsWith("_filter") ? (
                  <code className="font-mono" title="empty tuning macro by default">{m}</code>
                ) : (
                  <Link href={`/macros/${encodeURIComponent(m)}/`} className="font-mono text-sky-700 underline">{m}</Link>
                )}
              </span>
            ))}
            . The <code className="font-mono">_filter</code> macro is empty by default: it lets you tune out false positives without editing the search.
          </p>
        )}
      </Section>

      <Section id="stages" title="Stages and predicates">
        <StagesSection analysis={rule.analysis && splAnalysisOf(rule.analysis)} />
      </Section>
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
