/**
 * Field mappings as data: how one event's fields read in another schema. The code that applies
 * them (windows.ts, shapes.ts, the indicator table) is generic; a new schema is new rows here.
 *
 * Owns: the raw Windows → CIM Endpoint.Processes table Splunk's add-ons apply (Sysmon EventID 1,
 * Security 4688), the Windows channel names, and the canonical meaning of a field across CIM,
 * Sysmon, Security 4688 and Sigma (what an indicator on it is about: a process name, a command
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
