/**
 * Data source → event coverage row (provider | event | title).
 *
 * Owns: reading the provider from a Windows example log or the `source`, the event from
 * `separator_value` or the name, and the titles of well-known events (facts, kept in one table).
 * Every data source gets a row, EDR and cloud ones included: the seeds drop CrowdStrike, we do not.
 * Never imports: React, Next, Node built-ins.
 */
import type { EventCoverage } from "./types.ts"

/** Titles of well-known events, keyed `provider|event`. Sysmon titles follow Sysinternals. */
const EVENT_TITLES: Record<string, string> = {
  "Sysmon|1": "Process creation",
  "Sysmon|2": "A process changed a file creation time",
  "Sysmon|3": "Network connection",
  "Sysmon|4": "Sysmon service state changed",
  "Sysmon|5": "Process terminated",
  "Sysmon|6": "Driver loaded",
  "Sysmon|7": "Image loaded",
  "Sysmon|8": "CreateRemoteThread",
  "Sysmon|9": "RawAccessRead",
  "Sysmon|10": "ProcessAccess",
  "Sysmon|11": "FileCreate",
  "Sysmon|12": "RegistryEvent (Object create and delete)",
  "Sysmon|13": "RegistryEvent (Value Set)",
  "Sysmon|14": "RegistryEvent (Key and Value Rename)",
  "Sysmon|15": "FileCreateStreamHash",
  "Sysmon|16": "ServiceConfigurationChange",
  "Sysmon|17": "PipeEvent (Pipe Created)",
  "Sysmon|18": "PipeEvent (Pipe Connected)",
  "Sysmon|19": "WmiEvent (WmiEventFilter activity detected)",
  "Sysmon|20": "WmiEvent (WmiEventConsumer activity detected)",
  "Sysmon|21": "WmiEvent (WmiEventConsumerToFilter activity detected)",
  "Sysmon|22": "DNSEvent (DNS query)",
  "Sysmon|23": "FileDelete (File Delete archived)",
  "Sysmon|24": "ClipboardChange (New content in the clipboard)",
  "Sysmon|25": "ProcessTampering (Process image change)",
  "Sysmon|26": "FileDeleteDetected (File Delete logged)",
  "Sysmon|27": "FileBlockExecutable",
  "Sysmon|28": "FileBlockShredding",
  "Sysmon|29": "FileExecutableDetected",
  "Security-Auditing|1102": "The audit log was cleared.",
  "Security-Auditing|4624": "An account was successfully logged on.",
  "Security-Auditing|4625": "An account failed to log on.",
  "Security-Auditing|4648": "A logon was attempted using explicit credentials.",
  "Security-Auditing|4656": "A handle to an object was requested.",
  "Security-Auditing|4662": "An operation was performed on an object.",
  "Security-Auditing|4663": "An attempt was made to access an object.",
  "Security-Auditing|4672": "Special privileges assigned to new logon.",
  "Security-Auditing|4688": "A new process has been created.",
  "Security-Auditing|4697": "A service was installed in the system.",
  "Security-Auditing|4698": "A scheduled task was created.",
  "Security-Auditing|4699": "A scheduled task was deleted.",
  "Security-Auditing|4700": "A scheduled task was enabled.",
  "Security-Auditing|4702": "A scheduled task was updated.",
  "Security-Auditing|4719": "System audit policy was changed.",
  "Security-Auditing|4720": "A user account was created.",
  "Security-Auditing|4724": "An attempt was made to reset an account's password.",
  "Security-Auditing|4726": "A user account was deleted.",
  "Security-Auditing|4728": "A member was added to a security-enabled global group.",
  "Security-Auditing|4732": "A member was added to a security-enabled local group.",
  "Security-Auditing|4738": "A user account was changed.",
  "Security-Auditing|4740": "A user account was locked out.",
  "Security-Auditing|4741": "A computer account was created.",
  "Security-Auditing|4742": "A computer account was changed.",
  "Security-Auditing|4768": "A Kerberos authentication ticket (TGT) was requested.",
  "Security-Auditing|4769": "A Kerberos service ticket was requested.",
  "Security-Auditing|4771": "Kerberos pre-authentication failed.",
  "Security-Auditing|4776": "The computer attempted to validate the credentials for an account.",
  "Security-Auditing|4781": "The name of an account was changed.",
  "Security-Auditing|4794": "An attempt was made to set the Directory Services Restore Mode administrator password.",
  "Security-Auditing|4798": "A user's local group membership was enumerated.",
  "Security-Auditing|4799": "A security-enabled local group membership was enumerated.",
  "Security-Auditing|5136": "A directory service object was modified.",
  "Security-Auditing|5140": "A network share object was accessed.",
  "Security-Auditing|5145": "A network share object was checked to see whether client can be granted desired access.",
  "PowerShell|4103": "Module logging (Executing Pipeline)",
  "PowerShell|4104": "Creating Scriptblock text",
  "Service Control Manager|7045": "A service was installed in the system.",
  "Service Control Manager|7036": "The service entered a state.",
  "Eventlog|104": "The log file was cleared.",
  "CrowdStrike|ProcessRollup2": "Process creation",
}

/** Title of a well-known event (`Sysmon`, `1` → "Process creation"), or "" when unknown. */
export function eventTitle(provider: string, event: string): string {
  return EVENT_TITLES[`${provider}|${event}`] ?? ""
}

/** Channel names whose provider differs from the channel. */
const CHANNEL_PROVIDERS: Record<string, string> = {
  Security: "Security-Auditing",
  System: "Service Control Manager",
  "Windows PowerShell": "PowerShell",
}

export interface CoverageInput {
  name: string
  source: string
  separatorValue?: string
  exampleLog?: string
}

function stripMicrosoft(name: string): string {
  return name.replace(/^Microsoft-Windows-/, "").replace(/\/(Operational|Admin)$/, "")
}

/** The event coverage row of one data source. */
export function eventCoverage(ds: CoverageInput): EventCoverage {
  const windows = /^(Xml)?WinEventLog:/i.test(ds.source)
  const trailing = /(?:EventID|EventCode|\s)\s*(\d{1,5})$/.exec(ds.name)?.[1]
  if (windows) {
    const fromLog = /<Provider\s+Name=['"]([^'"]+)['"]/.exec(ds.exampleLog ?? "")?.[1]
    const channel = ds.source.replace(/^(Xml)?WinEventLog:/i, "")
    const provider = fromLog ? stripMicrosoft(fromLog) : (CHANNEL_PROVIDERS[channel] ?? stripMicrosoft(channel))
    const id = ds.separatorValue ?? /<EventID[^>]*>(\d+)</.exec(ds.exampleLog ?? "")?.[1] ?? trailing
    const title = (id && EVENT_TITLES[`${provider}|${id}`]) || ""
    return { provider, event: id ? `Event ID ${id}` : "any", title, dataSource: ds.name }
  }
  // Outside the Windows event log the name reads "<product> <event>", e.g. "CrowdStrike ProcessRollup2".
  const words = ds.name.trim().split(/\s+/)
  const event = ds.separatorValue ?? (words.length > 1 ? (words[words.length - 1] ?? "") : "")
  const provider = words.length > 1 && !ds.separatorValue ? words.slice(0, -1).join(" ") : ds.name
  const title = EVENT_TITLES[`${words[0] ?? ""}|${event}`] ?? ""
  return { provider, event: event || "any", title, dataSource: ds.name }
}
