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
  "event-action": { id: "event-action", label: "event action" },
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
  // What happened, in the source's own words: an API call (`DeleteTrail`), an audit action.
  // CloudTrail's eventName (Sigma's and Splunk's name for it) is the same fact.
  "event.action": "event-action",
  eventName: "event-action",
}

/**
 * Fields that say which log an event came from, or what kind of event it is, rather than what
 * happened: a rule's tests on them are its log source, shown apart from its indicators. Each
 * with why; a field left out is an indicator.
 */
export const LOG_SOURCE_FIELDS: ReadonlySet<string> = new Set([
  // Windows: which channel and provider logged the event, and its record type (4688, Sysmon 1).
  "Channel",
  "EventID",
  "EventCode",
  "Provider_Name",
  "ProviderName",
  // Splunk: where the event was indexed and how it was parsed.
  "source",
  "sourcetype",
  "index",
  "eventtype",
  "host_type",
  // ECS categorisation: a fixed vocabulary saying what kind of event it is (process / start /
  // event / alert), the same for every rule reading that kind of event.
  "event.category",
  "event.type",
  "event.kind",
  // ECS outcome: success, failure or unknown on every kind of event; it narrows which events a
  // rule reads and says nothing about what was done.
  "event.outcome",
  // ECS: which integration shipped the event and under which data stream.
  "event.module",
  "event.dataset",
  "data_stream.dataset",
  "data_stream.namespace",
  "data_stream.type",
  // ECS: the service or Windows provider that logged it (`iam.amazonaws.com`), and the source's
  // own record type (Windows event id `4104`, as EventID).
  "event.provider",
  "event.code",
  // ECS: which operating system the event comes from, and the agent that shipped it.
  "host.os.type",
  "host.os.family",
  "host.os.platform",
  "host.os.name",
  "agent.type",
  "ecs.version",
])

/**
 * `event.action` values that restate the event's kind for one integration (Elastic Defend's
 * `exec` and `start`, auditd's `executed`, CrowdStrike's `ProcessRollup2`, the file and network
 * lifecycle verbs): log source like `event.type`. Every other value names what happened
 * (`DeleteTrail`, `ConsoleLogin`, `added-member-to-group`) and is an indicator. Lower case.
 */
export const LIFECYCLE_ACTIONS: ReadonlySet<string> = new Set([
  "exec",
  "exec_event",
  "executed",
  "start",
  "end",
  "fork",
  "process_started",
  "process_stopped",
  "processrollup2",
  "syntheticprocessrollup2",
  "process create (rule: processcreate)",
  "creation",
  "deletion",
  "modification",
  "overwrite",
  "rename",
  "open",
  "opened-file",
  "load",
  "image loaded*",
  "image loaded (rule: imageload)",
  "file_create_event",
  "file_rename_event",
  "file_delete_event",
  "file_modify_event",
  "connection_attempted",
  "connection_accepted",
  "disconnect_received",
  "network_flow",
  "lookup_requested",
  "lookup_result",
])

/** Whether a rule's test of `field` against `value` is its log source rather than an indicator. */
export function isLogSourceTest(field: string, value: string): boolean {
  if (field === "event.action") return LIFECYCLE_ACTIONS.has(value.toLowerCase())
  return LOG_SOURCE_FIELDS.has(field)
}
