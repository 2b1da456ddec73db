/**
 * The typed catalog: the one shape every page, the search index, the tester and the CLI read.
 *
 * Owns: the normalised records (detections of every format, macros, stories, data sources,
 * lookups), the diagnostics the loaders emit and the build report.
 * Invariants: everything here is plain JSON (no Date, no Map, no functions), because the catalog
 * is cached to disk after loading and crosses the server/client boundary as props.
 * Never imports: React, Next, Node built-ins.
 */
import type { RuleAnalysis } from "../predicate/analysis.ts"
import type { Diagnostic } from "../source/diagnostics.ts"

export type { Diagnostic, Severity } from "../source/diagnostics.ts"

/** Which security_content schema generation a detection was written in. */
export type SchemaGeneration = "tags" | "rba" | "finding"

/** Labels for the generations, shown on pages and in the report. */
export const GENERATION_LABEL: Record<SchemaGeneration, string> = {
  tags: "2024 tags",
  rba: "2025 rba",
  finding: "2026 finding",
}

/** A risk or threat object a detection attaches to its findings. */
export interface RiskEntity {
  /** Result field that holds the entity, e.g. `dest`. */
  field: string
  /** `user`, `system`, `other` for risk objects; a threat object type otherwise. */
  type: string
  /** Risk score added per finding; absent for threat objects. */
  score?: number
  role: "risk" | "threat"
  /** Where the entity was declared: `observable`, `rba`, `finding` or `intermediate_findings`. */
  origin: "observable" | "rba" | "finding" | "intermediate_findings"
}

/** The risk a detection adds, normalised over the three generations. */
export interface Risk {
  /** 2024 schema inputs and the derived score `round(impact × confidence / 100)`. */
  legacy?: { impact: number; confidence: number; score: number; product: number }
  /** Detection-level score: the legacy score, else the highest entity score. */
  score?: number
  /** informational / low / medium / high / critical, from `score`. */
  severity?: string
  /** Risk message or finding title with `$field$` tokens. */
  message?: string
  /** 2026 finding title when it differs from the message. */
  title?: string
  entities: RiskEntity[]
}

export interface Drilldown {
  name: string
  search: string
  earliest?: string
  latest?: string
}

export interface DetectionTest {
  name: string
  type?: string
  attackData: Array<{ data: string; source?: string; sourcetype?: string }>
}

/** One resolved ATT&CK mapping of a rule. */
export interface AttackMapping {
  /** The id as written, upper-cased. */
  id: string
  name?: string
  /** Tactic shortnames in matrix order. */
  tactics: string[]
  status: "known" | "revoked" | "deprecated" | "unknown"
  /** The technique that replaces a revoked one. */
  replacedBy?: string
}

/** The ATT&CK facts a rule loader needs to resolve technique ids; implemented over lib/attack. */
export interface AttackResolver {
  /** The mapping for one technique or tactic id as written (case-insensitive). */
  resolve: (id: string) => AttackMapping
  /** Lockheed kill-chain phases of the mapped tactics, in chain order. */
  killChain: (mappings: AttackMapping[]) => string[]
}

/** A row of the event coverage table (provider | event | title). */
export interface EventCoverage {
  provider: string
  event: string
  title: string
  /** The data source name the row came from. */
  dataSource: string
}

/** A detection rule of any format, normalised. */
export interface Detection {
  /** Id of the rule format that read it (`RuleFormat.id`, lib/formats/registry.ts). */
  format: string
  id: string
  name: string
  /** URL segment: file stem, lower-case, `_` → `-`. Unique per format. */
  slug: string
  version?: number
  status: string
  type: string
  generation?: SchemaGeneration
  /** ISO date (YYYY-MM-DD) of creation; the `date` of older generations. */
  created?: string
  /** ISO date of last modification, when the schema records one. */
  modified?: string
  author: string
  description: string
  search: string
  howToImplement: string
  knownFalsePositives: string
  references: string[]
  /** Data source names as written (split on ` AND `). */
  dataSources: string[]
  /**
   * The data_source entries as written, each the names it needs together ("A AND B" → [A, B]),
   * after name resolution. Entries are alternatives: any one fully collected feeds the rule.
   * Absent for formats without AND-joined entries (each name is then its own alternative).
   */
  dataSourceGroups?: string[][]
  stories: string[]
  attack: AttackMapping[]
  securityDomain?: string
  assetType?: string
  products: string[]
  /** The detections sub-folder (endpoint, cloud, ...) or `category` of 2026 rules. */
  category?: string
  risk: Risk
  killChain: string[]
  nist: string[]
  cis: string[]
  drilldowns: Drilldown[]
  tests: DetectionTest[]
  /** Macro names called in the search (outside comments), in order of first use. */
  macros: string[]
  /** Path of the file, prefixed with its content root label. */
  path: string
  /**
   * The file's place for readers: its content root's label, its path inside that root
   * (`detections/endpoint/x.yml`) and, when `CATALOG_SOURCE_URL` names the root's upstream, the
   * file's address there.
   */
  source?: { root: string; rel: string; url?: string }
  /** The file's text, shown as the rule body. */
  raw: string
  /**
   * The format's analysis of the rule (stages, predicate, evaluability, format detail), computed
   * once at load time. Absent only when the analysis threw (an error diagnostic then names the
   * rule).
   */
  analysis?: RuleAnalysis
  /**
   * Event coverage rows the rule declares itself (Sigma's logsource); when absent, the rows come
   * from the rule's data sources.
   */
  eventCoverage?: EventCoverage[]
  /** The platform the rule's log source is on, when the format names one (Sigma logsource `product`). */
  platform?: string
  /** Rules this one names as related (Sigma `related`: derived, obsolete, merged…). */
  related?: Array<{ id: string; type: string }>
}

export interface Macro {
  name: string
  arguments: string[]
  definition: string
  description: string
  path: string
}

export interface Story {
  id: string
  name: string
  slug: string
  version?: number
  date?: string
  author: string
  description: string
  narrative: string
  references: string[]
  categories: string[]
  products: string[]
  usecase?: string
  status?: string
  path: string
}

export interface DataSource {
  id: string
  name: string
  slug: string
  description: string
  source: string
  sourcetype: string
  separator?: string
  separatorValue?: string
  fields: string[]
  supportedTA: Array<{ name: string; url?: string; version?: string }>
  /** Field mappings to data models, as declared. */
  fieldMappings: Array<{ dataModel?: string; dataSet?: string; mapping: Record<string, string> }>
  coverage: EventCoverage
  exampleLog?: string
  path: string
}

export interface Lookup {
  name: string
  description: string
  filename?: string
  collection?: string
  matchType?: string
  /** `case_sensitive_match` (Splunk's default: true). */
  caseSensitive?: boolean
  /** `default_match`: the output value when nothing matches. */
  defaultMatch?: string
  /** `max_matches`: at most this many matching rows per input value. */
  maxMatches?: number
  path: string
}

/**
 * The data of a lookup table (its CSV), as the SPL row runner reads it: header, rows, and the
 * matching options of its definition. Only tables some rule's `lookup` may name are kept.
 */
export interface LookupTableData {
  columns: string[]
  rows: string[][]
  /** Columns whose table values are wildcard patterns (`match_type = WILDCARD(col)`). */
  wildcard?: string[]
  /** Columns whose table values are CIDR subnets (`match_type = CIDR(col)`). */
  cidr?: string[]
  /** Default true, as Splunk's `case_sensitive_match`. */
  caseSensitive?: boolean
  /** Output value when nothing matches (`default_match`). */
  defaultMatch?: string
  /** At most this many matches per input value (`max_matches`, default 100). */
  maxMatches?: number
}

/** What became of one input file. */
export interface FileRecord {
  path: string
  kind: "detection" | "macro" | "story" | "data_source" | "lookup" | "lookup_data" | "other"
  /** The format that claimed the file, or `none`. */
  format: string
  status: "loaded" | "rejected" | "ignored"
  /** Why a file was rejected or ignored. */
  reason?: string
}

/** Counts for one kind and format in the report. */
export interface KindCount {
  kind: FileRecord["kind"]
  format: FileRecord["format"]
  loaded: number
  rejected: number
  ignored: number
}

export interface Catalog {
  /**
   * Labels of the content roots in load order: a root's path when inside the working directory
   * (`content`), else its folder name; never an absolute path.
   */
  roots: string[]
  /** ATT&CK version the mappings were resolved against. */
  attackVersion: string
  detections: Detection[]
  macros: Macro[]
  stories: Story[]
  dataSources: DataSource[]
  lookups: Lookup[]
  /** Lookup table data by lookup name, for the tables rules name (see LookupTableData). */
  lookupTables?: Record<string, LookupTableData>
  /**
   * The add-on fields built raw events carry, read from the data sources: per shape id, the
   * data source and its rows (lib/events/addon.ts AddOnTable, which has this shape).
   */
  addOnFields?: Record<string, { dataSource: string; rows: Array<{ field: string; from: string; basename?: true }> }>
  files: FileRecord[]
  diagnostics: Diagnostic[]
  /** Data source names used by rules that resolve to no data source file. */
  unresolvedDataSources: Array<{ name: string; detections: string[] }>
  /** Milliseconds spent loading and validating. */
  loadMs: number
}
