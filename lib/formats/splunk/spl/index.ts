/**
 * Public surface of the SPL engine: analyse a Splunk detection search into stages, a single-event
 * predicate and an evaluability verdict; compile and evaluate it against events.
 *
 * Owns: nothing beyond re-exports. Import from here, not from individual files.
 *
 * Field names (decision): predicates read event fields. A tstats rule's `Processes.process_name`
 * becomes field `process_name` with `dm: "Processes"` (the spelling kept in `written`), and the
 * evaluator accepts either `process_name` or `Processes.process_name` on the event. Renames
 * (including drop_dm_object_name) are undone, so every stage's leaves name the same event fields.
 *
 * Typical use: `analyzeSpl(search, macroMap(defs))` at build time (JSON-cacheable), then in the
 * worker `compileRule(analysis)` once and `evaluateRule` / `matchRule` per event.
 *
 * Must never import: React, Next, Node built-ins.
 */
export { analyzeSpl } from "./analyze.ts"
export {
  compileRule,
  evaluateRule,
  matchRule,
  type CompiledRule,
  type RuleEvaluation,
  type StageResult,
} from "./rule.ts"
export {
  expandMacros,
  macroKey,
  macroMap,
  MAX_MACRO_DEPTH,
  type Diagnostic,
  type ExpandResult,
  type MacroDef,
  type MacroExpansion,
  type MacroLookup,
  type MacroStatus,
} from "./macros.ts"
export type { DataModelInfo, Evaluability, MacroCall, Reason, SplAnalysis, SplStage, StageRole } from "./types.ts"
export { CATEGORY_ORDER, type BlockerCategory } from "./commands.ts"
export { parseSearch } from "./search-parser.ts"
export { parseWhere } from "./where.ts"
export { splitPipes, stripComments } from "./text.ts"
