/**
 * Where a translated Sigma rule searches in Splunk: for `spl-raw`, the Windows event log source
 * and event codes a logsource names (Sigma's own field names, which are the Sysmon and Security
 * add-ons' names); for `spl-cim`, the CIM data set and how each Sigma field reads there.
 *
 * Owns: the two tables (plain data) and the lookups over them. The CIM rows are written in the
 * shape of security_content's data source `field_mappings` (`Image|endswith:
 * Processes.process_name`): a `field|endswith` row names the CIM field holding the last path
 * component, used when the Sigma value is an ends-with test on a whole file name.
 * Invariants: pure data; a logsource or field absent from a table is untranslatable for that
 * target (the caller says why), never guessed.
 * Never imports: React, Next, Node built-ins.
 */
import { SYSMON_CHANNEL, WINDOWS_CATEGORIES, WINDOWS_SERVICES } from "../formats/sigma/logsource.ts"
import type { SigmaLogsource } from "../formats/sigma/types.ts"

/** The raw-search header of a logsource: constant fields every event of it carries. */
export interface RawSource {
  /** `XmlWinEventLog:<channel>`, as the Windows add-on names the source. */
  source: string
  /** Event codes (EventCode), empty for a whole channel. */
  codes: number[]
  /** Sysmon registry events: the EventType values the category keeps. */
  eventType?: string[]
}

/** The raw Splunk source of a Windows logsource, or why there is none. */
export function rawSource(ls: SigmaLogsource): RawSource | { reason: string } {
  if (ls.product !== "windows")
    return { reason: `no raw Splunk source is known for product \`${ls.product ?? "(none)"}\`` }
  if (ls.category) {
    const sources = WINDOWS_CATEGORIES[ls.category]
    const first = sources?.[0]
    if (!sources || !first) return { reason: `no Windows event is known for category \`${ls.category}\`` }
    // process_creation is Sysmon 1 or Security 4688; Sigma's field names are Sysmon's, so the
    // raw search reads Sysmon (the CIM target covers both through the data model).
    const out: RawSource = { source: `XmlWinEventLog:${first.channel}`, codes: first.ids }
    if (first.eventType) out.eventType = first.eventType
    return out
  }
  if (ls.service) {
    const channel = WINDOWS_SERVICES[ls.service]
    if (!channel) return { reason: `no Windows event log channel is known for service \`${ls.service}\`` }
    return { source: `XmlWinEventLog:${channel}`, codes: [] }
  }
  return { reason: "a Windows logsource without category or service names no event log" }
}

export { SYSMON_CHANNEL }

/** A CIM data set and the Sigma fields it carries. */
export interface CimDataset {
  /** `Endpoint.Processes`. */
  datamodel: string
  /** Field prefix in tstats (`Processes`). */
  prefix: string
  /** Sigma field (or `field|endswith`) → CIM field without the prefix. */
  mapping: Record<string, string>
  /** Fields a detection groups by, besides the ones its where stage reads. */
  by: string[]
}

const PROCESSES: CimDataset = {
  datamodel: "Endpoint.Processes",
  prefix: "Processes",
  mapping: {
    Image: "process_path",
    "Image|endswith": "process_name",
    CommandLine: "process",
    OriginalFileName: "original_file_name",
    ProcessId: "process_id",
    ProcessGuid: "process_guid",
    ParentImage: "parent_process_path",
    "ParentImage|endswith": "parent_process_name",
    ParentCommandLine: "parent_process",
    ParentProcessId: "parent_process_id",
    ParentProcessGuid: "parent_process_guid",
    User: "user",
    Computer: "dest",
    IntegrityLevel: "process_integrity_level",
    Hashes: "process_hash",
    CurrentDirectory: "process_current_directory",
  },
  by: ["dest", "user", "parent_process_name", "parent_process", "process_name", "process", "process_id"],
}

const FILESYSTEM: CimDataset = {
  datamodel: "Endpoint.Filesystem",
  prefix: "Filesystem",
  mapping: {
    TargetFilename: "file_path",
    "TargetFilename|endswith": "file_name",
    Computer: "dest",
    ProcessGuid: "process_guid",
    ProcessId: "process_id",
  },
  by: ["dest", "file_path", "file_name", "process_guid"],
}

const REGISTRY: CimDataset = {
  datamodel: "Endpoint.Registry",
  prefix: "Registry",
  mapping: {
    TargetObject: "registry_path",
    Details: "registry_value_data",
    Computer: "dest",
    ProcessGuid: "process_guid",
    ProcessId: "process_id",
  },
  by: ["dest", "registry_path", "registry_value_data", "process_guid"],
}

const TRAFFIC: CimDataset = {
  datamodel: "Network_Traffic.All_Traffic",
  prefix: "All_Traffic",
  mapping: {
    DestinationIp: "dest_ip",
    DestinationPort: "dest_port",
    DestinationHostname: "dest",
    SourceIp: "src_ip",
    SourcePort: "src_port",
    Protocol: "transport",
    ProcessId: "process_id",
  },
  by: ["src", "src_ip", "dest", "dest_ip", "dest_port"],
}

const DNS: CimDataset = {
  datamodel: "Network_Resolution.DNS",
  prefix: "DNS",
  mapping: { QueryName: "query", QueryResults: "answer", Computer: "src", ProcessId: "process_id" },
  by: ["src", "query", "answer"],
}

/** Sigma Windows category → CIM data set. */
export const CIM_DATASETS: Readonly<Record<string, CimDataset>> = {
  process_creation: PROCESSES,
  file_event: FILESYSTEM,
  registry_event: REGISTRY,
  registry_add: REGISTRY,
  registry_set: REGISTRY,
  registry_delete: REGISTRY,
  network_connection: TRAFFIC,
  dns_query: DNS,
}

/** The CIM data set of a logsource, or why there is none. */
export function cimDataset(ls: SigmaLogsource): CimDataset | { reason: string } {
  const ds = ls.product === "windows" && ls.category ? CIM_DATASETS[ls.category] : undefined
  if (ds) return ds
  const label = [ls.product, ls.category, ls.service].filter(Boolean).join("/")
  return { reason: `no CIM data model is mapped for logsource \`${label || "(none)"}\`` }
}
