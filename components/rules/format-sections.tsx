import Link from "next/link"
import { Fragment } from "react"

import type { RulePageView } from "@/lib/catalog/rule-page-view"
import type { Detection } from "@/lib/catalog/types"
import { macroSlug } from "@/lib/catalog/views"
import { sigmaAnalysisOf } from "@/lib/formats/sigma/analysis"
import { splAnalysisOf } from "@/lib/formats/splunk/analysis"
import type { SplAnalysis } from "@/lib/formats/splunk/spl"
import type { PageBlock, PageSection, RuleAnalysis } from "@/lib/formats/types"
import { isCodeLanguage } from "@/lib/highlight"
import { parseMarkdown, type Block, type Inline } from "@/lib/markdown"
import { Badge } from "@/components/ui/badge"
import { Section } from "@/components/ui/section"

import { CodeBlock } from "./code-block"
import { PredicateTree } from "./predicate-tree"
import { RiskSection } from "./risk-section"
import { RuleDrilldowns, RuleTests } from "./rule-details"
import { SigmaRelated, SigmaStages, SigmaTags } from "./sigma-sections"
import { SigmaToSpl } from "./sigma-to-spl"
import { StagesSection } from "./stages-section"

/**
 * The page parts a rule format renders itself, where the shared data blocks
 * (RuleFormat.pageSections) do not say enough. A format without an entry here gets only its
 * data blocks: adding a format needs no line in this file.
 */
export interface OwnSections {
  /** The badge the rule's severity gets (`level` for Sigma, `severity` by default), and whether its risk score gets one. */
  severityBadge?: "level" | "severity"
  riskBadge?: boolean
  /** Hide the shared event coverage table (a format whose own sections say what it reads). */
  noEvents?: boolean
  /** How the rule body is highlighted. */
  bodyLanguage?: "yaml" | "text"
  /** Hide the shared "How to implement" section (a format whose own sections cover setup). */
  noImplement?: boolean
  /** Below the ATT&CK table (replaces the kill chain line). */
  attackExtra?: (p: RulePageView) => React.ReactNode
  /** After the rule body: the search and its stages. */
  afterBody?: (p: RulePageView) => React.ReactNode
  /** Title of the "How to implement" section. */
  implementTitle?: string
  /** After references: stories, drilldowns, tests, risk, related rules. */
  tail?: (p: RulePageView) => React.ReactNode
}

const OWN: Record<string, OwnSections> = {
  splunk: {
    afterBody: ({ rule }) => <SplunkSections rule={rule} />,
    tail: ({ rule, stories }) => <SplunkTail rule={rule} stories={stories} />,
  },
  sigma: {
    severityBadge: "level",
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
  },
}

/**
 * A format with no entry above: its page is the shared sections, its severity and risk score as
 * badges, its query and its format-neutral stages, and the data blocks it returns
 * (RuleFormat.pageSections, rendered by FormatSections below).
 */
const DATA_ONLY: OwnSections = {
  severityBadge: "severity",
  riskBadge: true,
  noEvents: true,
  bodyLanguage: "text",
  noImplement: true,
  afterBody: ({ rule, sections }) => (
    <>
      <Section id="search" title="Query">
        <CodeBlock
          code={rule.search}
          lang="text"
          label={QUERY_LABEL[rule.analysis?.stages[0]?.command ?? ""] ?? "Query"}
        />
      </Section>
      <FormatSections sections={sections} after="search" />
      <Section id="stages" title="Stages and predicates">
        <StagesSection analysis={rule.analysis && stageView(rule.analysis, rule.search)} />
      </Section>
    </>
  ),
  tail: ({ sections }) => <FormatSections sections={sections} after="risk" />,
}

/** The query language of a rule, from its first stage (`eql`, `kql`, `esql`). */
const QUERY_LABEL: Record<string, string> = { eql: "EQL", kql: "KQL", esql: "ES|QL", lucene: "Lucene" }

/** A format-neutral analysis in the shape the stage view reads: no macros, the query as the expanded text. */
function stageView(a: RuleAnalysis, query: string): SplAnalysis {
  return {
    expanded: query,
    stages: a.stages,
    predicate: a.predicate,
    macroCalls: [],
    diagnostics: [],
    evaluability: a.evaluability,
    parse: { firstStage: "full", unsupportedConstructs: [] },
  } as SplAnalysis
}

/** The sections a rule's format renders itself. */
export function ownSections(rule: Pick<Detection, "format">): OwnSections {
  return OWN[rule.format] ?? DATA_ONLY
}

/**
 * The sections a rule format adds to its rules' pages (RuleFormat.pageSections), rendered from
 * their data blocks. Every value is rule text and is rendered as React text; author Markdown goes
 * through lib/markdown (no raw HTML, safe link targets only).
 */
export function FormatSections({ sections, after }: { sections: PageSection[]; after: PageSection["after"] }) {
  return (
    <>
      {sections
        .filter((s) => s.after === after)
        .map((s) => (
          <Section key={s.id} id={s.id} title={s.title}>
            <div className="space-y-4">
              {s.blocks.map((b, i) => (
                <BlockView key={i} block={b} />
              ))}
            </div>
          </Section>
        ))}
    </>
  )
}

function BlockView({ block }: { block: PageBlock }) {
  switch (block.kind) {
    case "text":
      return <p className="break-anywhere whitespace-pre-line text-slate-800">{block.text}</p>
    case "markdown":
      return <Markdown text={block.markdown} />
    case "code":
      return <CodeBlock code={block.code} lang={isCodeLanguage(block.lang) ? block.lang : "text"} label={block.label} />
    case "predicate":
      return (
        <div>
          <h3 className="mb-1 text-sm font-semibold">{block.label}</h3>
          <PredicateTree predicate={block.predicate} />
        </div>
      )
    case "facts":
      return (
        <dl aria-label={block.label} className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          {block.rows.map((r) => (
            <div key={r.label} className="contents">
              <dt className="font-semibold text-slate-700">{r.label}</dt>
              <dd className="break-anywhere text-slate-800">{Array.isArray(r.value) ? r.value.join(", ") : r.value}</dd>
            </div>
          ))}
        </dl>
      )
    case "table":
      return (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="mb-1 text-left font-semibold text-slate-700">{block.label}</caption>
            <thead>
              <tr>
                {block.columns.map((c) => (
                  <th key={c} scope="col" className="border-b border-slate-300 py-1 pr-4">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className="break-anywhere border-b border-slate-100 py-1 pr-4 font-mono text-xs">
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )
    case "analysis":
      return null
  }
}

/** Author Markdown as React elements; headings start at h3 inside a page section. */
export function Markdown({ text }: { text: string }) {
  return (
    <div data-slot="markdown" className="space-y-2 text-slate-800">
      {parseMarkdown(text).map((b, i) => (
        <MdBlock key={i} block={b} />
      ))}
    </div>
  )
}

function MdBlock({ block }: { block: Block }) {
  switch (block.t) {
    case "heading": {
      const Tag = (["h3", "h3", "h4", "h5", "h6", "h6"] as const)[block.level - 1] ?? "h6"
      return (
        <Tag className="mt-3 font-semibold">
          <MdInline nodes={block.inline} />
        </Tag>
      )
    }
    case "paragraph":
      return (
        <p className="break-anywhere leading-relaxed">
          <MdInline nodes={block.inline} />
        </p>
      )
    case "code":
      return (
        <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-sm" tabIndex={0}>
          {block.text}
        </pre>
      )
    case "list": {
      const Tag = block.ordered ? "ol" : "ul"
      return (
        <Tag className={`${block.ordered ? "list-decimal" : "list-disc"} space-y-1 pl-6`}>
          {block.items.map((item, i) => (
            <li key={i} className="break-anywhere">
              <MdInline nodes={item.inline} />
              {item.children.map((c, j) => (
                <MdBlock key={j} block={c} />
              ))}
            </li>
          ))}
        </Tag>
      )
    }
  }
}

function MdInline({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((n, i) => {
        switch (n.t) {
          case "text":
            return <Fragment key={i}>{n.text}</Fragment>
          case "code":
            return (
              <code key={i} className="rounded bg-slate-100 px-1 font-mono text-sm">
                {n.text}
              </code>
            )
          case "strong":
            return (
              <strong key={i}>
                <MdInline nodes={n.children} />
              </strong>
            )
          case "em":
            return (
              <em key={i}>
                <MdInline nodes={n.children} />
              </em>
            )
          case "link":
            return (
              <a key={i} href={n.href} rel="noopener noreferrer nofollow" className="text-sky-700 underline">
                <MdInline nodes={n.children} />
              </a>
            )
        }
      })}
    </>
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
