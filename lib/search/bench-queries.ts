/**
 * The fixed queries scripts/bench-search.ts times: names, indicators, techniques, field syntax and
 * facets-worthy filters, in the proportions people type them. Changing the list changes the
 * figures; keep it stable. Changed once, when Sigma rules joined the catalog: `winrs.exe`,
 * `github`, `indicator:powershell.exe` and `type:hunting` gave way to `format:sigma powershell`,
 * `field:Image`, `indicator:\AppData\` and `format:sigma` (still 50 queries).
 * Never imports: React, Next, Node built-ins.
 */
export const BENCH_QUERIES: string[] = [
  "winrs", "wmic", "powershell", "-enc", "format:sigma powershell", "psexec", "mimikatz", "lsass", "rundll32", "regsvr32",
  "certutil", "schtasks", "net.exe", "vssadmin", "bitsadmin", "mshta", "cmd.exe /c", "credential dumping", "lateral movement", "shadow copy",
  "kerberoasting", "aws", "okta", "azure ad", "field:Image", "T1047", "T1059.001", "technique:T1003", "technique:T1021", "indicator:wmic.exe",
  "indicator:\\AppData\\", "indicator:-enc", "field:process_name", "field:CommandLine", "type:ttp", "format:sigma", "tactic:lateral-movement", "tactic:persistence", "source:sysmon", "source:cloudtrail",
  "source:sysmon type:ttp", "wmi lateral", "registry run key", "encoded command", "ransomware", "remote desktop", "suspicious", "windows", "p", "sc",
]
