/**
 * The typed catalog, as pages, the search index, the tester and the CLI import it.
 *
 * Owns: nothing; the shapes live in lib/model/types.ts, below every rule format, so that format
 * plug-ins (lib/formats/) can build catalog records without importing the catalog assembler.
 * Never imports: React, Next, Node built-ins.
 */
export * from "../model/types.ts"
