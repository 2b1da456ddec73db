/**
 * Which formats' rules lib/convert translates to SPL: what the tester page offers to run beside a
 * rule. Light (no imports), so the page can ask without loading the converter.
 */
export const TRANSLATED_FORMATS: ReadonlySet<string> = new Set(["sigma"])
