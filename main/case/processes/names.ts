// Process names and command-line patterns the process flags look for. Names are
// lowercase image base names. Patterns are RE2 syntax, because DuckDB evaluates them.

export const OFFICE_APPS = ['winword.exe', 'excel.exe', 'powerpnt.exe', 'outlook.exe', 'mspub.exe', 'onenote.exe'] as const;
export const BROWSERS = ['chrome.exe', 'msedge.exe', 'firefox.exe', 'iexplore.exe'] as const;
export const SCRIPT_HOSTS = ['wscript.exe', 'cscript.exe', 'mshta.exe'] as const;

/** Programs that run commands or code handed to them: what a malicious document or page starts. */
export const SHELLS = [
  'cmd.exe',
  'powershell.exe',
  'pwsh.exe',
  'wscript.exe',
  'cscript.exe',
  'mshta.exe',
  'rundll32.exe',
  'regsvr32.exe',
] as const;

export const POWERSHELL_NAMES = ['powershell.exe', 'pwsh.exe'] as const;

/**
 * The folders each Windows system process runs from, as paths without the drive, and
 * the parent it has on a healthy system (`expectedParents` empty: not checked).
 * Sources: Microsoft's process documentation and the SANS "Hunt Evil" poster. The
 * per-session smss.exe copies are started by the master smss.exe, so both parents
 * are accepted for smss.exe. Windows XP and Server 2003 have no wininit.exe and start
 * services.exe and lsass.exe from winlogon.exe.
 */
export interface SystemProcess {
  name: string;
  folders: string[];
  expectedParents: string[];
  /** Parent PID expected when the parent is not a process instance (System is PID 4). */
  expectedParentPid?: number;
}

const SYSTEM32 = '\\Windows\\System32';
const SYSWOW64 = '\\Windows\\SysWOW64';

export const SYSTEM_PROCESSES: SystemProcess[] = [
  { name: 'smss.exe', folders: [SYSTEM32], expectedParents: ['system', 'smss.exe'], expectedParentPid: 4 },
  { name: 'csrss.exe', folders: [SYSTEM32], expectedParents: ['smss.exe'] },
  { name: 'wininit.exe', folders: [SYSTEM32], expectedParents: ['smss.exe'] },
  { name: 'winlogon.exe', folders: [SYSTEM32], expectedParents: ['smss.exe'] },
  { name: 'services.exe', folders: [SYSTEM32], expectedParents: ['wininit.exe', 'winlogon.exe'] },
  { name: 'lsass.exe', folders: [SYSTEM32], expectedParents: ['wininit.exe', 'winlogon.exe'] },
  { name: 'lsaiso.exe', folders: [SYSTEM32], expectedParents: ['wininit.exe'] },
  { name: 'svchost.exe', folders: [SYSTEM32, SYSWOW64], expectedParents: ['services.exe'] },
  { name: 'runtimebroker.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'taskhostw.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'spoolsv.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'sihost.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'dwm.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'fontdrvhost.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'conhost.exe', folders: [SYSTEM32], expectedParents: [] },
  { name: 'dllhost.exe', folders: [SYSTEM32, SYSWOW64], expectedParents: [] },
  { name: 'wmiprvse.exe', folders: [`${SYSTEM32}\\wbem`, `${SYSWOW64}\\wbem`], expectedParents: [] },
  { name: 'explorer.exe', folders: ['\\Windows'], expectedParents: [] },
];

/** Every name the flags compare with, so a memory name cut to 14 or 15 characters can be read back to its full form. */
export const KNOWN_NAMES: string[] = [
  ...new Set([...OFFICE_APPS, ...BROWSERS, ...SCRIPT_HOSTS, ...SHELLS, ...SYSTEM_PROCESSES.map((process) => process.name)]),
];

// PowerShell accepts any unambiguous prefix of a parameter name, `-ec` as an alias of
// -EncodedCommand, and `/`, en dash, em dash or horizontal bar in place of `-`.
const ENCODED_SWITCH = 'e(?:c|n(?:c(?:o(?:d(?:e(?:d(?:c(?:o(?:m(?:m(?:a(?:n(?:d)?)?)?)?)?)?)?)?)?)?)?)?)?';

/** `-enc` and its abbreviations followed by a Base64 argument. */
export const ENCODED_COMMAND_PATTERN = `(?i)(?:^|\\s)[-/\\x{2013}\\x{2014}\\x{2015}](${ENCODED_SWITCH})\\s+["']?[A-Za-z0-9+/]{8,}={0,2}`;

/** Download cradles: .NET and PowerShell download calls, or Invoke-Expression together with a URL. */
export const DOWNLOAD_CRADLE_PATTERN =
  '(?i)(downloadstring|downloadfile|downloaddata|invoke-webrequest|\\biwr\\b|invoke-restmethod|\\birm\\b|net\\.webclient|start-bitstransfer|(?:\\biex\\b|invoke-expression).*https?://|https?://.*(?:\\biex\\b|invoke-expression))';

/**
 * Command lines that dump LSASS memory for credentials: comsvcs.dll's MiniDump export
 * (by name or ordinal #24), ProcDump or similar tools aimed at lsass, Mimikatz's
 * sekurlsa module and PowerSploit's Out-Minidump.
 */
export const CREDENTIAL_DUMP_PATTERN =
  '(?i)(comsvcs(?:\\.dll)?[\\s,"]+#?(?:minidump|24)\\b|\\bprocdump(?:64)?(?:\\.exe)?\\b.*\\blsass|sekurlsa::|out-minidump|\\blsass(?:\\.exe)?\\b.*\\.dmp\\b)';

/** Command lines that clear or shrink Windows event logs or the NTFS change journal. */
export const LOG_CLEARING_PATTERN =
  '(?i)(\\bwevtutil(?:\\.exe)?\\s+(?:cl|clear-log)\\b|clear-eventlog|remove-eventlog|\\[system\\.diagnostics\\.eventing\\.reader\\.eventlogsession\\]::globalsession\\.clearlog|\\bfsutil(?:\\.exe)?\\s+usn\\s+deletejournal)';
