/**
 * zod schemas for the security_content file kinds: detections (three generations), macros,
 * stories, data sources, lookups.
 *
 * Owns: what a file must hold to be loaded (errors) versus what is only suspicious (warnings are
 * raised by the normaliser). Unknown keys pass through: contentctl v4 ignored them and users'
 * forks add their own.
 * Never imports: React, Next, Node built-ins.
 */
import { z } from "zod"

/** Detection types contentctl accepts. Baseline is a different content kind. */
export const DETECTION_TYPES = ["TTP", "Anomaly", "Hunting", "Correlation"] as const
/** Statuses across v4 and v5, `removed` included so a removed rule is shown, not dropped. */
export const DETECTION_STATUSES = ["production", "experimental", "deprecated", "validation", "removed"] as const

const text = z.string().min(1)
const looseText = z.string()
const dateLike = z.union([z.string(), z.date()])
const stringList = z.array(z.string())
const uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "not a UUID")
const score = z.number().int().min(0).max(100)

const entity = z.looseObject({ field: text, type: text, score: score.optional() })
const drilldown = z.looseObject({
  name: looseText,
  search: looseText,
  earliest_offset: z.union([z.string(), z.number()]).nullish(),
  latest_offset: z.union([z.string(), z.number()]).nullish(),
})
const attackData = z.looseObject({ data: looseText, source: looseText.optional(), sourcetype: looseText.optional() })
const test = z.looseObject({
  name: looseText,
  test_type: looseText.optional(),
  attack_data: z.array(attackData).default([]),
})

const common = {
  name: text,
  id: uuid,
  version: z.number().int().min(0),
  author: looseText,
  status: z.enum(DETECTION_STATUSES),
  type: z.enum(DETECTION_TYPES),
  description: looseText,
  data_source: stringList.nullish(),
  search: text,
  how_to_implement: looseText.nullish(),
  known_false_positives: looseText.nullish(),
  references: z.array(z.string()).nullish(),
  drilldown_searches: z.array(drilldown).nullish(),
  tests: z.array(test).nullish(),
}

const mappingTags = {
  analytic_story: stringList.nullish(),
  asset_type: z.union([z.string(), stringList]).nullish(),
  mitre_attack_id: stringList.nullish(),
  product: stringList.nullish(),
  security_domain: looseText.nullish(),
}

const observable = z.looseObject({ name: text, type: text, role: z.array(z.string()).min(1) })

/** 2024 generation: `date` plus a `tags` block carrying the risk inputs. */
export const tagsDetectionSchema = z.looseObject({
  ...common,
  date: dateLike,
  tags: z.looseObject({
    ...mappingTags,
    confidence: score,
    impact: score,
    message: looseText.nullish(),
    observable: z.array(observable).nullish(),
    required_fields: stringList.nullish(),
    risk_score: z.number().nullish(),
  }),
})

/** 2025 generation: `date`, `tags` without risk keys, and an `rba` block for TTP and Anomaly. */
export const rbaDetectionSchema = z.looseObject({
  ...common,
  date: dateLike,
  tags: z.looseObject(mappingTags),
  rba: z
    .looseObject({
      message: looseText.nullish(),
      risk_objects: z.array(entity).default([]),
      threat_objects: z.array(z.looseObject({ field: text, type: text })).nullish(),
    })
    .nullish(),
})

const intermediateFindings = z.looseObject({
  entities: z.array(entity).default([]),
  message: looseText.nullish(),
})

/** 2026 generation: creation/modification dates, mappings at the top level, `finding`. */
export const findingDetectionSchema = z.looseObject({
  ...common,
  ...mappingTags,
  creation_date: dateLike.optional(),
  modification_date: dateLike.optional(),
  category: looseText.nullish(),
  finding: z
    .looseObject({
      title: looseText.nullish(),
      entity: entity.nullish(),
      intermediate_findings: intermediateFindings.nullish(),
    })
    .nullish(),
  intermediate_findings: intermediateFindings.nullish(),
})

export type TagsDetectionDoc = z.infer<typeof tagsDetectionSchema>
export type RbaDetectionDoc = z.infer<typeof rbaDetectionSchema>
export type FindingDetectionDoc = z.infer<typeof findingDetectionSchema>

export const macroSchema = z.looseObject({
  name: text.regex(/^[^\s`()]+$/, "macro names have no spaces, backticks or parentheses"),
  definition: z.union([z.string(), z.number(), z.boolean()]).transform(String),
  description: looseText.nullish(),
  arguments: z.array(z.string()).nullish(),
})

export const storySchema = z.looseObject({
  name: text,
  id: uuid,
  version: z.number().int().nullish(),
  date: dateLike.nullish(),
  author: looseText.nullish(),
  description: looseText.nullish(),
  narrative: looseText.nullish(),
  references: z.array(z.string()).nullish(),
  status: looseText.nullish(),
  tags: z
    .looseObject({
      category: stringList.nullish(),
      product: stringList.nullish(),
      usecase: looseText.nullish(),
    })
    .nullish(),
})

const supportedTa = z.looseObject({
  name: looseText.nullish(),
  url: looseText.nullish(),
  version: z.union([z.string(), z.number()]).nullish(),
})

export const dataSourceSchema = z.looseObject({
  name: text,
  id: uuid,
  description: looseText.nullish(),
  source: z.union([z.string(), z.number()]).transform(String),
  sourcetype: z.union([z.string(), z.number()]).transform(String),
  separator: looseText.nullish(),
  separator_value: z.union([z.string(), z.number()]).nullish(),
  fields: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
  supported_TA: z.union([z.array(supportedTa), supportedTa]).nullish(),
  field_mappings: z
    .array(
      z.looseObject({
        data_model: looseText.nullish(),
        data_set: looseText.nullish(),
        mapping: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).nullish(),
      }),
    )
    .nullish(),
  example_log: looseText.nullish(),
})

export const lookupSchema = z.looseObject({
  name: text,
  description: looseText.nullish(),
  filename: looseText.nullish(),
  collection: looseText.nullish(),
  match_type: looseText.nullish(),
  case_sensitive_match: z.union([looseText, z.boolean()]).nullish(),
  default_match: z.union([looseText, z.number(), z.boolean()]).nullish(),
  max_matches: z.union([looseText, z.number()]).nullish(),
})
