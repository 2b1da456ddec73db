/**
 * Field mappings as data: how one event's fields read in another schema. The code that applies
 * them (windows.ts, shapes.ts, the indicator table) is generic; a new schema is new rows here.
 *
 * Owns: the raw Windows → CIM Endpoint.Processes table Splunk's add-ons apply (Sysmon EventID 1,
 * Security 4688), the Windows channel names, and the canonical meaning of a field across CIM,
 * Sysmon, Security 4688, Sigma and ECS (what an indicator on it is about: a process name, a command
 * line…).
 * Invariants: plain data; table order is application order (the first row to set a field wins).
 * Never imports: React, Next, Node built-ins; no lib/ folder but lib/predicate and lib/source.
 */

/** The channel Sysmon writes to. */
export const SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational"

/** One CIM field derived from a raw event. */
export type CimRow =
  /** The first present source field (as text; `basename` keeps the last path component). */
  | { cim: string; from: string[]; basename?: true; raw?: undefined }
  /** The source field's value as it is (numbers stay numbers, lists stay lists). */
  | { cim: string; from: [string]; raw: true; basename?: undefined }
  /** A constant the add-on sets. */
  | { cim: string; constant: string }
  /** `DOMAIN\user` from a user and a domain field, else the fallback field as it is. */
  | { cim: string; user: string; domain: string; fallback: string }

const common = (cmd: string[], image: string, parentImage: string): CimRow[] => [
  { cim: "process", from: cmd },
  { cim: "process_path", from: [image] },
  { cim: "process_name", from: [image], basename: true },
  { cim: "process_exec", from: [image], basename: true },
  { cim: "parent_process_path", from: [parentImage] },
  { cim: "parent_process_name", from: [parentImage], basename: true },
  { cim: "parent_process_exec", from: [parentImage], basename: true },
  { cim: "dest", from: ["Computer"], raw: true },
  { cim: "action", constant: "allowed" },
]

/** Raw Windows process-creation event → CIM Endpoint.Processes fields, per event kind. */
export const CIM_FROM_WINDOWS: Record<"sysmon" | "security4688", CimRow[]> = {
  sysmon: [
    ...common(["CommandLine"], "Image", "ParentImage"),
    { cim: "original_file_name", from: ["OriginalFileName"], raw: true },
    { cim: "parent_process", from: ["ParentCommandLine"], raw: true },
    { cim: "process_id", from: ["ProcessId"], raw: true },
    { cim: "process_guid", from: ["ProcessGuid"], raw: true },
    { cim: "parent_process_id", from: ["ParentProcessId"], raw: true },
    { cim: "parent_process_guid", from: ["ParentProcessGuid"], raw: true },
    { cim: "user", from: ["User"], raw: true },
    { cim: "process_integrity_level", from: ["IntegrityLevel"], raw: true },
    { cim: "process_hash", from: ["Hashes"], raw: true },
    { cim: "process_current_directory", from: ["CurrentDirectory"], raw: true },
    { cim: "vendor_product", constant: "Microsoft Sysmon" },
  ],
  security4688: [
    // 4688 logs the command line as Process_Command_Line; some add-on versions name it CommandLine.
    { cim: "Process_Command_Line", from: ["Process_Command_Line", "CommandLine"] },
    { cim: "CommandLine", from: ["Process_Command_Line", "CommandLine"] },
    ...common(["Process_Command_Line", "CommandLine"], "NewProcessName", "ParentProcessName"),
    { cim: "process_id", from: ["NewProcessId"], raw: true },
    { cim: "parent_process_id", from: ["ProcessId"], raw: true },
    { cim: "user", user: "SubjectUserName", domain: "SubjectDomainName", fallback: "SubjectUserSid" },
    { cim: "vendor_product", constant: "Microsoft Windows" },
  ],
}

/** What an indicator on a field is about, whatever schema names the field. */
export interface FieldMeaning {
  /** Stable id, used in URLs (`process-name`). */
  id: string
  /** Shown to people. */
  label: string
  /**
   * The field holds a path whose last component is `name` (Image, process_path): a test
   * `endswith \name` on it is a test of `name`.
   */
  nameOf?: string
}

/** The meanings indicators are grouped by. */
export const MEANINGS: Readonly<Record<string, FieldMeaning>> = {
  "process-name": { id: "process-name", label: "process name" },
  "process-path": { id: "process-path", label: "process path", nameOf: "process-name" },
  "command-line": { id: "command-line", label: "command line" },
  "original-file-name": { id: "original-file-name", label: "original file name" },
  "parent-name": { id: "parent-name", label: "parent process name" },
  "parent-path": { id: "parent-path", label: "parent process path", nameOf: "parent-name" },
  "parent-command-line": { id: "parent-command-line", label: "parent command line" },
  user: { id: "user", label: "user" },
  host: { id: "host", label: "host" },
  "registry-key": { id: "registry-key", label: "registry key" },
  "registry-value": { id: "registry-value", label: "registry value data" },
  "file-path": { id: "file-path", label: "file path", nameOf: "file-name" },
  "file-name": { id: "file-name", label: "file name" },
  hash: { id: "hash", label: "hash" },
  "service-name": { id: "service-name", label: "service name" },
  "loaded-image": { id: "loaded-image", label: "loaded image path" },
  "script-text": { id: "script-text", label: "script text" },
  "destination-ip": { id: "destination-ip", label: "destination IP" },
  "destination-port": { id: "destination-port", label: "destination port" },
  "destination-host": { id: "destination-host", label: "destination host name" },
  "dns-query": { id: "dns-query", label: "DNS query" },
}

/**
 * Field → meaning, per schema: CIM (Splunk data models), Sysmon and Security 4688 as Splunk
 * indexes them, Sigma's names. Field names are case-sensitive, as events store them. A field
 * missing here is its own meaning (its name).
 */
export const FIELD_MEANING: Readonly<Record<string, string>> = {
  // CIM Endpoint.Processes / Filesystem / Registry / Network_Traffic / Network_Resolution.
  process_name: "process-name",
  process_exec: "process-name",
  process_path: "process-path",
  process: "command-line",
  original_file_name: "original-file-name",
  parent_process_name: "parent-name",
  parent_process_exec: "parent-name",
  parent_process_path: "parent-path",
  parent_process: "parent-command-line",
  user: "user",
  registry_path: "registry-key",
  registry_key_name: "registry-key",
  registry_value_data: "registry-value",
  file_path: "file-path",
  file_name: "file-name",
  process_hash: "hash",
  service_name: "service-name",
  dest_ip: "destination-ip",
  dest_port: "destination-port",
  query: "dns-query",
  // Sysmon (and Sigma, which uses Sysmon's names).
  Image: "process-path",
  CommandLine: "command-line",
  OriginalFileName: "original-file-name",
  ParentImage: "parent-path",
  ParentCommandLine: "parent-command-line",
  User: "user",
  Computer: "host",
  TargetObject: "registry-key",
  Details: "registry-value",
  TargetFilename: "file-path",
  Hashes: "hash",
  ImageLoaded: "loaded-image",
  ScriptBlockText: "script-text",
  DestinationIp: "destination-ip",
  DestinationPort: "destination-port",
  DestinationHostname: "destination-host",
  QueryName: "dns-query",
  ServiceName: "service-name",
  // Security 4688.
  NewProcessName: "process-path",
  Process_Command_Line: "command-line",
  ParentProcessName: "parent-path",
  SubjectUserName: "user",
  // ECS (Elastic Common Schema).
  "process.name": "process-name",
  "process.executable": "process-path",
  "process.command_line": "command-line",
  "process.pe.original_file_name": "original-file-name",
  "process.parent.name": "parent-name",
  "process.parent.executable": "parent-path",
  "process.parent.command_line": "parent-command-line",
  "user.name": "user",
  "host.name": "host",
  "registry.path": "registry-key",
  "registry.data.strings": "registry-value",
  "file.path": "file-path",
  "file.name": "file-name",
  "dll.path": "loaded-image",
  "powershell.file.script_block_text": "script-text",
  "destination.ip": "destination-ip",
  "destination.port": "destination-port",
  "dns.question.name": "dns-query",
}

/**
 * Fields that say which log an event came from rather than what happened: a rule's tests on
 * them are its log source, not indicators (Windows channel and event id, Splunk's index, source
 * and sourcetype, Sigma's provider).
 */
export const LOG_SOURCE_FIELDS: ReadonlySet<string> = new Set([
  "Channel",
  "EventID",
  "EventCode",
  "Provider_Name",
  "ProviderName",
  "source",
  "sourcetype",
  "index",
  "eventtype",
  "host_type",
  // ECS: what kind of event and from which OS, not what happened.
  "event.category",
  "event.type",
  "event.action",
  "event.kind",
  "event.dataset",
  "event.module",
  "data_stream.dataset",
  "host.os.type",
])
