/**
 * Sigma `logsource` ↔ Windows events: the event coverage rows of a rule (provider | event |
 * title), and the logsource gate that decides which rules may look at an event (after
 * SigmaHQ's own checker configuration).
 *
 * Owns: the category → Sysmon / Security / PowerShell event table, the service → channel table,
 * and the reverse mapping from an event's Channel and EventID to the logsources it belongs to.
 * Invariants: pure; the gate admits a rule when some logsource of the event agrees with every
 * attribute (product, category, service) the rule sets; unknown services fall back to comparing
 * names, never to admitting everything.
 * Never imports: React, Next, Node built-ins.
 */
import { eventTitle } from "../../model/event-coverage.ts"
import type { EventCoverage } from "../../model/types.ts"
import type { Event, EventValue } from "../../predicate/types.ts"
import type { SigmaLogsource } from "./types.ts"

import { SYSMON_CHANNEL } from "../../events/mappings.ts"

export { SYSMON_CHANNEL }
const PS_CHANNELS = ["Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"]
const DEFENDER_CHANNEL = "Microsoft-Windows-Windows Defender/Operational"
const DEFENDER_AV_IDS = [1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116]

/** Windows categories and the events that carry them: [provider, channel, event ids, extra test]. */
type Source = {
  provider: string
  channel: string
  ids: number[]
  eventType?: string[]
  dataSource?: (id: number) => string
}
const sysmon = (ids: number[], eventType?: string[]): Source => ({
  provider: "Sysmon",
  channel: SYSMON_CHANNEL,
  ids,
  ...(eventType ? { eventType } : {}),
  dataSource: (id) => `Sysmon EventID ${id}`,
})
const powershell = (ids: number[]): Source => ({
  provider: "PowerShell",
  channel: PS_CHANNELS[0] as string,
  ids,
  dataSource: (id) => (id === 4104 ? "Powershell Script Block Logging 4104" : `Powershell ${id}`),
})

export const WINDOWS_CATEGORIES: Record<string, Source[]> = {
  process_creation: [
    sysmon([1]),
    {
      provider: "Security-Auditing",
      channel: "Security",
      ids: [4688],
      dataSource: (id) => `Windows Event Log Security ${id}`,
    },
  ],
  file_change: [sysmon([2])],
  network_connection: [sysmon([3])],
  sysmon_status: [sysmon([4, 16])],
  process_termination: [sysmon([5])],
  driver_load: [sysmon([6])],
  image_load: [sysmon([7])],
  create_remote_thread: [sysmon([8])],
  raw_access_thread: [sysmon([9])],
  process_access: [sysmon([10])],
  file_event: [sysmon([11])],
  registry_event: [sysmon([12, 13, 14])],
  registry_add: [sysmon([12], ["CreateKey"])],
  registry_delete: [sysmon([12], ["DeleteKey", "DeleteValue"])],
  registry_set: [sysmon([13])],
  registry_rename: [sysmon([14])],
  create_stream_hash: [sysmon([15])],
  pipe_created: [sysmon([17, 18])],
  wmi_event: [sysmon([19, 20, 21])],
  dns_query: [sysmon([22])],
  file_delete: [sysmon([23])],
  clipboard_change: [sysmon([24])],
  process_tampering: [sysmon([25])],
  file_delete_detected: [sysmon([26])],
  file_block_executable: [sysmon([27])],
  file_block_shredding: [sysmon([28])],
  file_executable_detected: [sysmon([29])],
  sysmon_error: [sysmon([255])],
  ps_module: [powershell([4103])],
  ps_script: [powershell([4104])],
  ps_classic_start: [{ provider: "PowerShell (classic)", channel: "Windows PowerShell", ids: [400] }],
  ps_classic_provider_start: [{ provider: "PowerShell (classic)", channel: "Windows PowerShell", ids: [600] }],
  ps_classic_script: [{ provider: "PowerShell (classic)", channel: "Windows PowerShell", ids: [800] }],
  antivirus: [{ provider: "Windows Defender", channel: DEFENDER_CHANNEL, ids: DEFENDER_AV_IDS }],
}

/** Windows services and their event log channel (the common ones of SigmaHQ's checker table). */
export const WINDOWS_SERVICES: Record<string, string> = {
  security: "Security",
  system: "System",
  application: "Application",
  sysmon: SYSMON_CHANNEL,
  powershell: "Microsoft-Windows-PowerShell/Operational",
  "powershell-classic": "Windows PowerShell",
  taskscheduler: "Microsoft-Windows-TaskScheduler/Operational",
  wmi: "Microsoft-Windows-WMI-Activity/Operational",
  windefend: DEFENDER_CHANNEL,
  "dns-server": "DNS Server",
  "dns-client": "Microsoft-Windows-DNS Client Events/Operational",
  "driver-framework": "Microsoft-Windows-DriverFrameworks-UserMode/Operational",
  "bits-client": "Microsoft-Windows-Bits-Client/Operational",
  "codeintegrity-operational": "Microsoft-Windows-CodeIntegrity/Operational",
  "firewall-as": "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall",
  "msexchange-management": "MSExchange Management",
  ntlm: "Microsoft-Windows-NTLM/Operational",
  "terminalservices-localsessionmanager": "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
  "printservice-admin": "Microsoft-Windows-PrintService/Admin",
  "printservice-operational": "Microsoft-Windows-PrintService/Operational",
  "smbclient-security": "Microsoft-Windows-SmbClient/Security",
  "smbclient-connectivity": "Microsoft-Windows-SmbClient/Connectivity",
  ldap: "Microsoft-Windows-LDAP-Client/Debug",
  openssh: "OpenSSH/Operational",
  "shell-core": "Microsoft-Windows-Shell-Core/Operational",
  "lsa-server": "Microsoft-Windows-LSA/Operational",
  "appxdeployment-server": "Microsoft-Windows-AppXDeploymentServer/Operational",
  "appxpackaging-om": "Microsoft-Windows-AppxPackaging/Operational",
  "diagnosis-scripted": "Microsoft-Windows-Diagnosis-Scripted/Operational",
  capi2: "Microsoft-Windows-CAPI2/Operational",
  "microsoft-servicebus-client": "Microsoft-ServiceBus-Client",
  applocker: "Microsoft-Windows-AppLocker/EXE and DLL",
  "security-mitigations": "Microsoft-Windows-Security-Mitigations/Kernel Mode",
  "hyper-v-worker": "Microsoft-Windows-Hyper-V-Worker",
  "kernel-shimengine": "Microsoft-Windows-Kernel-ShimEngine/Operational",
  vhdmp: "Microsoft-Windows-VHDMP/Operational",
  "iis-configuration": "Microsoft-IIS-Configuration/Operational",
}

/** What a channel's events are called in the coverage table. */
function channelProvider(channel: string): string {
  if (channel === "Security") return "Security-Auditing"
  return channel.replace(/^Microsoft-Windows-/, "").replace(/\/(Operational|Admin)$/, "")
}

export type CoverageRow = EventCoverage

/**
 * Event coverage rows of a rule: one per event its logsource reads. `eventIds` are the EventID
 * values the detection tests (positive leaves), which name the events of service-level rules.
 */
export function logsourceCoverage(ls: SigmaLogsource, eventIds: string[] = []): CoverageRow[] {
  const label = [ls.product, ls.category, ls.service].filter(Boolean).join(" / ")
  const windows =
    ls.product === "windows" ||
    (!ls.product && ls.category !== undefined && WINDOWS_CATEGORIES[ls.category] !== undefined)
  const sources = ls.category ? WINDOWS_CATEGORIES[ls.category] : undefined
  if (windows && sources) {
    return sources.flatMap((s) => {
      const ids = s.ids.length > 3 && eventIds.length > 0 ? s.ids.filter((id) => eventIds.includes(String(id))) : s.ids
      return ids.map((id) => ({
        provider: s.provider,
        event: `Event ID ${id}${s.eventType ? ` (${s.eventType.join(" or ")})` : ""}`,
        title: eventTitle(s.provider === "PowerShell (classic)" ? "PowerShell" : s.provider, String(id)),
        dataSource: s.dataSource ? s.dataSource(id) : `${s.provider} ${id}`,
      }))
    })
  }
  if (windows && ls.service) {
    const channel = WINDOWS_SERVICES[ls.service] ?? ls.service
    const provider = channelProvider(channel)
    if (eventIds.length === 0)
      return [{ provider, event: "any", title: `events of the ${channel} log`, dataSource: label }]
    const prefix =
      channel === "Security"
        ? "Windows Event Log Security"
        : channel === "System"
          ? "Windows Event Log System"
          : undefined
    return eventIds.map((id) => ({
      provider,
      event: `Event ID ${id}`,
      title: eventTitle(provider, id) || eventTitle(channel === "System" ? "Service Control Manager" : provider, id),
      dataSource: prefix ? `${prefix} ${id}` : label,
    }))
  }
  return [
    {
      provider: ls.product ?? ls.service ?? "any product",
      event: ls.category ?? ls.service ?? "any",
      title: ls.definition?.split("\n")[0]?.trim() ?? "",
      dataSource: label,
    },
  ]
}

const first = (v: EventValue): string | undefined =>
  v === null || v === undefined ? undefined : Array.isArray(v) ? v[0] : String(v)

/** The logsources a (flattened) Windows event belongs to, from its Channel and EventID. */
export function eventLogsources(event: Event): SigmaLogsource[] {
  const channel = first(event.Channel)
  const id = Number(first(event.EventID))
  if (!channel) return []
  const services = Object.entries(WINDOWS_SERVICES)
    .filter(([, c]) => c === channel)
    .map(([s]) => s)
  if (channel.startsWith("PowerShellCore")) services.push("powershell")
  const categories: string[] = []
  for (const [category, sources] of Object.entries(WINDOWS_CATEGORIES)) {
    for (const s of sources) {
      const channelOk = s.channel === channel || (s.provider === "PowerShell" && PS_CHANNELS.includes(channel))
      if (!channelOk || !s.ids.includes(id)) continue
      if (s.eventType && !s.eventType.includes(first(event.EventType) ?? "")) continue
      categories.push(category)
    }
  }
  const out: SigmaLogsource[] = []
  const svc = services.length > 0 ? services : [undefined]
  for (const service of svc) {
    for (const category of categories.length > 0 ? categories : [undefined]) {
      const ls: SigmaLogsource = { product: "windows" }
      if (category) ls.category = category
      if (service) ls.service = service
      out.push(ls)
    }
  }
  return out
}

/** The logsource of a process-creation event built from a command line. */
export const PROCESS_CREATION: SigmaLogsource = { product: "windows", category: "process_creation" }

/**
 * The gate: may a rule with logsource `rule` look at an event of one of `sources`? Every attribute
 * the rule sets must be equal in some source; a source that leaves an attribute unset does not
 * satisfy a rule that sets it. With no sources (event of unknown origin) nothing is admitted.
 */
export function logsourceAdmits(rule: SigmaLogsource, sources: SigmaLogsource[]): boolean {
  return sources.some(
    (s) =>
      (rule.product === undefined || rule.product === s.product) &&
      (rule.category === undefined || rule.category === s.category) &&
      (rule.service === undefined || rule.service === s.service),
  )
}
