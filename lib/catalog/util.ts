/**
 * The catalog's small helpers, as the catalog modules import them.
 *
 * Owns: nothing; they live in lib/model/util.ts, shared with the format plug-ins.
 * Never imports: React, Next, Node built-ins.
 */
export * from "../model/util.ts"
