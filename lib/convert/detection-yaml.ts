/**
 * A translated Sigma rule as a security_content detection file (the 2025 layout: `date`, `tags`
 * with the ATT&CK mapping, no risk block), which this project's Splunk loader reads back.
 *
 * Owns: the Sigma → security_content field correspondence (title → name, level → type, status →
 * status, logsource → data_source, falsepositives → known_false_positives) and the file name.
 * Invariants: pure; the Sigma id and title are kept as they are; a rule without a UUID id gets a
 * reason instead of a file (security_content requires one).
 * Never imports: React, Next, Node built-ins.
 */
import jsyaml from "js-yaml"

import { logsourceCoverage } from "../formats/sigma/logsource.ts"
import type { SigmaRule } from "../formats/sigma/rule.ts"
import type { SplTarget, SplTranslation } from "./sigma-to-spl.ts"
import { TARGET_LABEL } from "./sigma-to-spl.ts"

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** Sigma status → security_content status. */
const STATUS: Record<string, string> = {
  stable: "production",
  test: "experimental",
  experimental: "experimental",
  deprecated: "deprecated",
  unsupported: "deprecated",
}

/** Sigma level → detection type: what the alert is for. */
function detectionType(level: string | undefined): string {
  if (level === "high" || level === "critical") return "TTP"
  if (level === "medium") return "Anomaly"
  return "Hunting"
}

/** `2023/01/31` (Sigma's older spelling) → `2023-01-31`. */
const isoDate = (d: string | undefined): string | undefined => d?.replace(/\//g, "-")

/**
 * The file name security_content expects for the title (spaces, `-`, `.` and `/` → `_`, lower
 * case), with any character a file name should not hold also made `_`.
 */
export function detectionFileName(rule: SigmaRule): string {
  const stem = rule.title
    .replace(/[ \-./]/g, "_")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_(),'&+!#%=~@$[\]{}]/gu, "_")
    .slice(0, 120)
  return `${stem || "sigma_rule"}.yml`
}

export type DetectionFile = { ok: true; name: string; text: string } | { ok: false; reason: string }

/** The detection YAML of one translated rule. */
export function detectionYaml(rule: SigmaRule, t: SplTranslation & { ok: true }): DetectionFile {
  if (!rule.id || !UUID.test(rule.id)) return { ok: false, reason: "the rule has no UUID id, which a detection needs" }
  const sigma = rule.analysis
  const dataSources = [...new Set(logsourceCoverage(sigma.logsource).map((c) => c.dataSource))]
  const name = detectionFileName(rule)
  // The tuning macro every security_content detection ends with; undefined, it passes everything.
  const search = `${t.search}\n| \`${name.replace(/\.yml$/, "")}_filter\``
  const doc = {
    name: rule.title,
    id: rule.id.toLowerCase(),
    version: 1,
    date: isoDate(rule.modified ?? rule.date) ?? "1970-01-01",
    author: rule.author || "unknown",
    status: STATUS[rule.status ?? ""] ?? "experimental",
    type: detectionType(sigma.level),
    description: rule.description || rule.title,
    data_source: t.target === "spl-raw" ? dataSources.slice(0, 1) : dataSources,
    search,
    how_to_implement: howTo(t.target, t),
    known_false_positives: sigma.falsepositives.length ? sigma.falsepositives.join("\n") : "Unknown",
    references: rule.references,
    tags: {
      analytic_story: [],
      asset_type: "Endpoint",
      mitre_attack_id: rule.techniques,
      product: ["Splunk Enterprise", "Splunk Enterprise Security", "Splunk Cloud"],
      security_domain: "endpoint",
    },
  }
  return { ok: true, name, text: jsyaml.dump(doc, { lineWidth: -1, noRefs: true }) }
}

function howTo(target: SplTarget, t: SplTranslation & { ok: true }): string {
  const what =
    target === "spl-cim"
      ? `Needs the ${t.datamodel ?? "CIM"} data model populated from the Sysmon or Windows Security add-on.`
      : `Needs ${t.source ?? "the Windows event log"} indexed with the Windows add-on's field names.`
  return `Translated from Sigma to ${target} (${TARGET_LABEL[target].toLowerCase()}) by Detection Atlas. ${what}`
}
