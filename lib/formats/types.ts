/**
 * The seam every rule format plugs into: one `RuleFormat` per folder under lib/formats/, listed
 * once in lib/formats/registry.ts. The catalog loader, the tester, the indicator table, the rule
 * pages, the search index and the CLI iterate the registry; none of them names a format.
 *
 * Owns: the `RuleFormat` interface and the shapes that cross it (source files in, detections,
 * records and positioned diagnostics out; the format-neutral `RuleAnalysis`; the log-source gate
 * the tester applies to pasted events; the sections a rule page adds).
 *
 * Invariants:
 * - A format's reader never throws on file content: everything wrong with a file is a
 *   `Diagnostic` with path, line and column.
 * - Everything a format returns is plain JSON (cached to disk, posted to a worker), except the
 *   functions of the `RuleFormat` object itself.
 * - `RuleAnalysis.detail.format === RuleFormat.id`: only the format's own folder reads `detail`.
 *
 * Never imports: React, Next, Node built-ins; nothing above lib/model, lib/events,
 * lib/predicate and lib/source (a format folder must not import lib/catalog, lib/tester,
 * lib/search, or another format's folder).
 */
import type { EventShapeId } from "../events/types.ts"
import type { FormatDetail, RuleAnalysis } from "../predicate/analysis.ts"
import type { EventView } from "../predicate/event-view.ts"
import type { EvaluateOptions } from "../predicate/leaf-tests.ts"
import type { Event, Predicate } from "../predicate/types.ts"
import type {
  AttackResolver,
  DataSource,
  Detection,
  FileRecord,
  Lookup,
  LookupTableData,
  Macro,
  Story,
} from "../model/types.ts"
import type { Diagnostic } from "../source/diagnostics.ts"

export type {
  AnalysisReason,
  Evaluability,
  FormatDetail,
  RuleAnalysis,
  RuleStage,
  StageRole,
} from "../predicate/analysis.ts"

/** One file of a content root, as the walker read it. */
export interface SourceFile {
  /** Path as shown in diagnostics (content root label + relative path). */
  path: string
  /** Path relative to its content root, `/`-separated (`detections/endpoint/x.yml`). */
  rel: string
  /** Decoded UTF-8 text; absent when the file could not be read. */
  text?: string
  /** Why the file could not be read (too large, binary, not UTF-8…). */
  readError?: string
}

/** What a format's loader needs from outside the file. */
export interface LoadContext {
  /** Resolves ATT&CK ids written in the rule to the bundled release. */
  attack: AttackResolver
}

/** The non-rule records a format may load (security_content's macros, stories, …). */
export interface CatalogRecords {
  macros: Macro[]
  stories: Story[]
  dataSources: DataSource[]
  lookups: Lookup[]
}

/** What a format made of one file. */
export interface LoadResult {
  /** Rules the file holds (several for a multi-document file), without `analysis` yet unless the reader computes it while reading. */
  detections: Detection[]
  /** Non-rule records the file holds; absent when none. */
  records?: Partial<CatalogRecords>
  /** Every finding, positioned in the file. */
  diagnostics: Diagnostic[]
  /** What became of the file for report.json: its kind and status, and why when not loaded. */
  file: Pick<FileRecord, "kind" | "status" | "reason">
}

/** What `analyse` may read of the whole catalog: every rule and record loaded, of every format. */
export interface AnalyseContext extends CatalogRecords {
  detections: readonly Detection[]
  /** Lookup table data by lookup name (SPL `lookup` against the content's CSV tables). */
  lookupTables?: Readonly<Record<string, LookupTableData>>
}

/** The analysis of one rule and the findings it produced (positioned in the rule's file). */
export interface AnalyseResult {
  /** Absent when the analysis failed; a diagnostic then says why. */
  analysis?: RuleAnalysis
  diagnostics: Diagnostic[]
}

/**
 * How the tester decides which pasted events reach a format's rules, from the rule's declared
 * log source (Sigma `logsource`, Elastic `index` / `event.category`). Rules with the same source
 * key are decided once per event.
 *
 * `S` is the format's own log-source record; it must be plain JSON.
 */
export interface FormatGate<S = unknown> {
  /** Named in the tester's report ("Sigma logsource"). */
  label: string
  /** The rule's log source, or undefined when the rule reads every event of this format. */
  ruleSource: (analysis: RuleAnalysis) => S | undefined
  /** Equal keys mean the same source: the gate is decided once per key. */
  key: (source: S) => string
  /** The sources a command line built by the tester counts as (a process-creation event). */
  builtSources: readonly S[]
  /**
   * The sources a pasted event counts as, read from the event in this format's field names
   * (see `readEvent`); undefined when the event names none, and then every rule reads it.
   */
  eventSources: (event: Event) => S[] | undefined
  /** Whether a rule with source `rule` reads an event counting as `sources`. */
  admits: (rule: S, sources: readonly S[]) => boolean
  /** One line for people (`windows/process_creation`). */
  describe: (source: S) => string
  /**
   * How the tester payload groups rules gated on `source` into chunks, each fetched only when an
   * input's sources admit one of its rules: the chunk's name, and the chunk the rules join when
   * theirs would be small (undefined: never merged). Absent: the format's rules travel in the
   * core chunk every input loads.
   */
  chunk?: (source: S) => { name: string; small?: string }
  /**
   * Why an event naming no source reaches every rule, for people, completed by the tester with
   * ", so every <format> rule read it." (`The event names no Windows channel and event id`).
   */
  ungated: string
}

/** One block of a rule-page section: data the shared renderer turns into HTML, always as text. */
export type PageBlock =
  /** Paragraphs of plain text (line breaks kept). */
  | { kind: "text"; text: string }
  /** Markdown written by the rule's author, rendered without raw HTML and with safe links only. */
  | { kind: "markdown"; markdown: string }
  /** A code listing; `lang` picks the highlighter (`yaml`, `toml`, `splunk`, `eql`, `kql`, `esql`). */
  | { kind: "code"; code: string; lang: string; label: string }
  /** Label / value rows (a definition list); `href` makes the value a site link. */
  | { kind: "facts"; label: string; rows: Array<{ label: string; value: string | string[]; href?: string }> }
  /** A predicate as the shared tree view (leaf ids, fields, tests). */
  | { kind: "predicate"; label: string; predicate: Predicate }
  /** A table of text cells. */
  | { kind: "table"; label: string; columns: string[]; rows: string[][] }
  /** The rule's `RuleAnalysis`: evaluability verdict with reasons, then every stage with its predicate. */
  | { kind: "analysis" }

/** What a firing rule adds to one entity's risk, and how the score was reached. */
export type RiskContribution = {
  field: string
  type: string
  /** The entity's value on the event; absent when the event does not carry the field. */
  value?: string
  score: number
  /** How the score was reached, e.g. `impact 70 × confidence 70 / 100 = 49`. */
  basis: string
}

/** A section a format adds to its rules' pages, placed by `after`. */
export interface PageSection {
  /** Anchor id, unique on the page (`investigation-guide`). */
  id: string
  title: string
  /** The shared section it follows: `attack`, `events`, `body`, `search`, `stages`, `indicators`, `risk`. */
  after: "attack" | "events" | "body" | "search" | "stages" | "indicators" | "risk"
  blocks: PageBlock[]
}

/**
 * The light part of a format: what the browser needs (the tester worker, the tester and search
 * UI). It lives in lib/formats/<id>/tester.ts, which must not import the format's reader
 * (parsers, schemas), so the worker bundle stays small; lib/formats/testers.ts lists them.
 */
export type FormatTesting = Pick<RuleFormat, "id" | "label" | "tester">

/** A rule format: everything the rest of the product needs to know about it. */
/**
 * A rule's verdict on one event beyond its predicate: true, false, or 'unknown' with why. It is
 * given the caller's view of the event (`view.event` is the event), so what the view has already
 * read and lower-cased is not read again.
 */
export type RuleDecider = (
  view: EventView,
  options: EvaluateOptions,
) => { verdict: boolean | "unknown"; reason?: string }

export interface RuleFormat {
  /** URL segment (`/rules/<id>/<slug>/`), `Detection.format`, `FileRecord.format`. Lower-case, stable. */
  id: string
  /** Shown to people: "Splunk", "Sigma", "Elastic". */
  label: string
  /**
   * Whether this format reads the file. The registry asks formats in order; the first that
   * claims a file loads it. Must be cheap (it runs on every file) and never throw.
   */
  claims: (file: SourceFile) => boolean
  /**
   * Why a file this format does not claim is not one of its files, when the file sits where
   * this format's files live (`not a YAML file in macros/`); undefined otherwise. The first
   * reason given is the ignored file's reason in report.json.
   */
  unclaimedReason?: (file: SourceFile) => string | undefined
  /** Reads one claimed file. Never throws. */
  load: (file: SourceFile, context: LoadContext) => LoadResult
  /**
   * Analyses this format's rules once every file is loaded: returns the analyser of one rule,
   * set up once for the whole catalog (SPL expands macros defined in other files). A format
   * whose reader already computed `Detection.analysis` returns it unchanged.
   */
  analyser: (context: AnalyseContext) => (detection: Detection) => AnalyseResult
  /**
   * Whole-catalog checks after analysis (references to stories or data sources of other files,
   * table data a lookup definition names); returns their findings. Optional.
   */
  crossCheck?: (context: AnalyseContext & { files: FileRecord[] }) => Diagnostic[]
  /**
   * Where the rules' data source names come from. `declared`: the author wrote them (Splunk's
   * `data_source:`); a name no data source file defines is kept and warned about. `derived`: the
   * format computed them from the rule's log source; names the catalog does not define are
   * dropped silently. `labels`: free-form names (Elastic's `Data Source:` tags name products);
   * a name the catalog defines links to its page, the others stay as written, silently.
   */
  dataSourceNames: "declared" | "derived" | "labels"
  /** The tester's view of the format's rules. */
  tester: {
    /**
     * The shapes of a built process event a rule reads (ids from lib/events/shapes.ts); the
     * tester evaluates each and keeps the best verdict. Called once per rule, at compile time.
     */
    shapes: (detection: Detection, analysis: RuleAnalysis) => EventShapeId[]
    /**
     * The shape id a pasted event takes for this format's rules (after `readEvent`), as reports
     * name it: `event` when read as pasted, else the format's own (`sigma`, `ecs`).
     */
    pastedShape: EventShapeId
    /**
     * A pasted event in the field names this format's rules read (Sigma: evtx and Windows XML
     * names; Elastic: dotted ECS). Identity when the rules read events as pasted.
     */
    readEvent: (event: Event) => Event
    /** The log-source gate; absent when every rule of the format reads every event. */
    gate?: FormatGate
    /**
     * The risk a firing rule of this format adds per entity, with how each score was reached,
     * reading entity values from the event with `read`; absent: the rule's declared risk objects
     * (lib/tester/risk.ts). `noRisk` says why a firing rule adds none (undefined when it adds some).
     */
    risk?: {
      contributions: (d: Pick<Detection, "risk">, read: (field: string) => string | undefined) => RiskContribution[]
      noRisk: (d: Pick<Detection, "risk">) => string | undefined
    }
    /**
     * Fields an example event built for a rule needs so that the format reads it and the gate
     * admits it (Sigma: the Windows channel and event id its logsource names). Default: none.
     */
    exampleOrigin?: (analysis: RuleAnalysis) => Event
    /**
     * The part of `RuleAnalysis.detail` the tester payload ships to the browser: what `shapes`
     * and `gate` read, nothing else (keep `/tester/rules.json` small). Default: `{ format }`.
     */
    leanDetail?: (detail: FormatDetail) => FormatDetail
    /**
     * For a rule whose verdict needs more than its predicate (SPL: eval/rex results, where over
     * computed values, lookups), a decider built once at compile time: given the event of a
     * shape the predicate did not rule out, the rule's verdict. Undefined for every other rule,
     * which then costs nothing extra.
     */
    decider?: (analysis: RuleAnalysis) => RuleDecider | undefined
    /**
     * Names of the data tables (SPL lookup tables) a rule's decider reads. The browser ships
     * them apart and fetches one only when a rule that reads it is left undecided; absent or
     * empty: the decider reads none.
     */
    tables?: (analysis: RuleAnalysis) => string[]
    /**
     * Makes tables (by name, as the build wrote them) readable by this format's deciders from
     * now on in this process (a name given `undefined` is dropped). The build calls it with the
     * catalog's tables, the browser worker with each table it fetched.
     */
    addTables?: (tables: Readonly<Record<string, unknown>>) => void
  }
  /** Sections the format adds to its rules' pages, after the shared ones they name. */
  pageSections: (detection: Detection) => PageSection[]
  /** This format's section of report.json (counts the build prints and CI checks); optional. */
  report?: (detections: readonly Detection[]) => Record<string, unknown>
}
