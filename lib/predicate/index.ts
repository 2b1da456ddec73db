/**
 * Public surface of the shared predicate core.
 *
 * Owns: nothing beyond re-exports; import from here rather than from individual files.
 *
 * Must never import: React, Next, Node built-ins.
 */
export type { CmpLeaf, CmpOp, Event, EventValue, Lang, Leaf, LeafOp, Predicate, Truth, ValueFn } from "./types.ts"
export { isLeaf } from "./types.ts"
export { and, leaves, mapLeaves, not, numberLeaves, or, walkLeaves } from "./build.ts"
export { compile, evaluate, type CompiledPredicate, type Evaluation, type LeafTrace } from "./compile.ts"
export type { EvaluateOptions } from "./leaf-tests.ts"
export { EventView } from "./event-view.ts"
export { indicatorKey, indicators, type Indicator, type IndicatorKind } from "./indicators.ts"
export { formatLeaf, formatPredicate } from "./format.ts"
export { globShape, globTest, likeTest } from "./glob.ts"
export { compileRegex } from "./regex.ts"
export { cidrTest } from "./cidr.ts"
