/**
 * The non-detection security_content kinds → catalog records: macros, stories, data sources,
 * lookups.
 *
 * Owns: validation and normalisation of those files. Invariants: pure; a bad file yields error
 * diagnostics and no record, never an exception.
 * Never imports: React, Next, Node built-ins.
 */
import type { z } from "zod"

import { eventCoverage } from "../../model/event-coverage.ts"
import { issuesToDiagnostics } from "../../source/issues.ts"
import { dataSourceSchema, lookupSchema, macroSchema, storySchema } from "./schema.ts"
import type { DataSource, Diagnostic, Lookup, Macro, Story } from "../../model/types.ts"
import { nameSlug, toIsoDate } from "../../model/util.ts"
import type { ParsedYaml } from "../../source/yaml.ts"

export interface RecordResult<T> {
  record?: T
  diagnostics: Diagnostic[]
}

function validate<S extends z.ZodType>(schema: S, path: string, parsed: ParsedYaml, label: string) {
  const result = schema.safeParse(parsed.value, { reportInput: true })
  if (result.success) return { data: result.data as z.infer<S>, diagnostics: [] as Diagnostic[] }
  return { data: undefined, diagnostics: issuesToDiagnostics(path, result.error.issues, parsed.position, label) }
}

export function normalizeMacro(path: string, parsed: ParsedYaml): RecordResult<Macro> {
  const { data, diagnostics } = validate(macroSchema, path, parsed, "macro schema")
  if (!data) return { diagnostics }
  return {
    diagnostics,
    record: {
      name: data.name,
      arguments: (data.arguments ?? []).map((a) => a.trim()),
      definition: data.definition,
      description: data.description ?? "",
      path,
    },
  }
}

export function normalizeStory(path: string, parsed: ParsedYaml): RecordResult<Story> {
  const { data, diagnostics } = validate(storySchema, path, parsed, "story schema")
  if (!data) return { diagnostics }
  return {
    diagnostics,
    record: {
      id: data.id.toLowerCase(),
      name: data.name,
      slug: nameSlug(data.name),
      version: data.version ?? undefined,
      date: toIsoDate(data.date),
      author: data.author ?? "",
      description: data.description ?? "",
      narrative: data.narrative ?? "",
      references: data.references ?? [],
      categories: data.tags?.category ?? [],
      products: data.tags?.product ?? [],
      usecase: data.tags?.usecase ?? undefined,
      status: data.status ?? undefined,
      path,
    },
  }
}

export function normalizeDataSource(path: string, parsed: ParsedYaml): RecordResult<DataSource> {
  const { data, diagnostics } = validate(dataSourceSchema, path, parsed, "data source schema")
  if (!data) return { diagnostics }
  const tas =
    data.supported_TA == null ? [] : Array.isArray(data.supported_TA) ? data.supported_TA : [data.supported_TA]
  const separatorValue = data.separator_value == null ? undefined : String(data.separator_value)
  return {
    diagnostics,
    record: {
      id: data.id.toLowerCase(),
      name: data.name,
      slug: nameSlug(data.name),
      description: data.description ?? "",
      source: data.source,
      sourcetype: data.sourcetype,
      separator: data.separator ?? undefined,
      separatorValue,
      fields: data.fields ?? [],
      supportedTA: tas.map((t) => ({
        name: t.name ?? "",
        url: t.url ?? undefined,
        version: t.version == null ? undefined : String(t.version),
      })),
      fieldMappings: (data.field_mappings ?? []).map((m) => ({
        dataModel: m.data_model ?? undefined,
        dataSet: m.data_set ?? undefined,
        mapping: m.mapping ?? {},
      })),
      coverage: eventCoverage({
        name: data.name,
        source: data.source,
        separatorValue,
        exampleLog: data.example_log ?? undefined,
      }),
      exampleLog: data.example_log ?? undefined,
      path,
    },
  }
}

export function normalizeLookup(path: string, parsed: ParsedYaml): RecordResult<Lookup> {
  const { data, diagnostics } = validate(lookupSchema, path, parsed, "lookup schema")
  if (!data) return { diagnostics }
  return {
    diagnostics,
    record: {
      name: data.name,
      description: data.description ?? "",
      filename: data.filename ?? undefined,
      collection: data.collection ?? undefined,
      matchType: data.match_type ?? undefined,
      ...(data.case_sensitive_match !== undefined && data.case_sensitive_match !== null
        ? { caseSensitive: String(data.case_sensitive_match).toLowerCase() !== "false" }
        : {}),
      ...(data.default_match !== undefined && data.default_match !== null
        ? { defaultMatch: String(data.default_match) }
        : {}),
      ...(Number(data.max_matches) > 0 ? { maxMatches: Number(data.max_matches) } : {}),
      path,
    },
  }
}
