/**
 * What a rule page shows beside the rule itself: ATT&CK rows, event coverage, stories, indicators,
 * related rules. One function, so the static rule pages (scripts/rule-pages/) and the dev server's
 * routes (app/rules/[format]/[slug]/page.dev.tsx) render the same page from the same catalog.
 *
 * Never imports: React, Next, Node built-ins.
 */
import type { AttackIndex } from "../attack/model.ts"
import { findFormat } from "../formats/registry.ts"
import { testerLinks, type TesterLinks } from "../tester/example-event.ts"
import type { PageSection } from "../formats/types.ts"
import { attackRows, type AttackRow } from "./attack-view.ts"
import type { IndicatorRow } from "./indicators.ts"
import type { Detection, EventCoverage } from "./types.ts"
import { crossFormatRules, requiredFields, ruleFileName, type CrossFormatRule } from "./rule-extras.ts"
import { relatedRules, ruleEventCoverage, ruleIndicators, ruleLogSource, type CatalogIndex } from "./views.ts"

export interface RulePageView {
  rule: Detection
  attackRows: AttackRow[]
  events: Array<EventCoverage & { resolved: boolean; slug?: string }>
  stories: Array<{ name: string; slug?: string }>
  indicators: IndicatorRow[]
  /** The rule's log-source tests (Channel, EventID, source…), shown apart from its indicators. */
  logSource: string[]
  related: Array<{ id: string; type: string; name?: string; href?: string }>
  /** Tactic shortnames the bundled ATT&CK release knows (pages flag tactic tags newer than it). */
  knownTactics: string[]
  /** Fields the rule's predicate reads, and those its YAML declares (older Splunk rules). */
  fields: { read: string[]; declared: string[] }
  /** Rules of the other format covering one of its techniques with a shared indicator value. */
  otherFormats: { rules: CrossFormatRule[]; total: number }
  /** File name of the YAML download, written beside the page (scripts/rule-pages/render.tsx). */
  fileName: string
  /** "Open in tester": the rule's own example event, and its data sources' example logs. */
  tester: TesterLinks
  /** Sections the rule's format adds to its page (RuleFormat.pageSections). */
  sections: PageSection[]
}

export function rulePageView(index: CatalogIndex, attack: AttackIndex, rule: Detection): RulePageView {
  return {
    rule,
    attackRows: attackRows(attack, rule.attack),
    events: ruleEventCoverage(index, rule),
    stories: rule.stories.map((name) => ({ name, slug: index.storyByName.get(name)?.slug })),
    indicators: ruleIndicators(index, rule),
    logSource: ruleLogSource(index, rule),
    related: relatedRules(index, rule),
    knownTactics: [...attack.tactics.keys()],
    fields: requiredFields(rule),
    otherFormats: crossFormatRules(index, rule),
    fileName: ruleFileName(rule),
    tester: testerLinks(rule, (name) => index.dataSourceByName.get(name)?.exampleLog),
    sections: findFormat(rule.format)?.pageSections(rule) ?? [],
  }
}
