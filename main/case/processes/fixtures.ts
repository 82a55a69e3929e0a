// Test support: writes process evidence the way the tools write it, for the process
// index tests and the build benchmark. Windows events are evtx_dump-style JSON lines
// (`{"Event": {"System": ..., "EventData": ...}}`); memory is Volatility 3 text as the
// default renderer prints it after the saved command line.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImportProgress } from '../../../shared/api.ts';
import { createBackend } from '../../backend/backend.ts';
import type { CasebookBackend } from '../../backend/types.ts';

export interface TestCase {
  backend: CasebookBackend;
  /** Temporary folder holding the case file; evidence may be written beside it. */
  dir: string;
  casePath: string;
}

/** Opens a new case in a temporary folder through the backend the app uses. */
export async function newTestCase(): Promise<TestCase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'processes-'));
  const casePath = path.join(dir, 'case.duckdb');
  return { backend: await createBackend({ casePath }), dir, casePath };
}

/** Closes the case and deletes its temporary folder. */
export async function removeTestCase(testCase: TestCase): Promise<void> {
  await testCase.backend.close();
  await rm(testCase.dir, { recursive: true, force: true });
}

/** Imports evidence paths and waits for the import to finish. */
export async function importEvidence(backend: CasebookBackend, paths: string[]): Promise<ImportProgress> {
  const { importId } = await backend.startImport(paths);
  return backend.waitForImport(importId);
}

export interface SysmonProcess {
  host: string;
  /** ISO 8601 UTC with milliseconds, for example `2024-05-02T09:00:10.123Z`. */
  time: string;
  guid: string;
  pid: number;
  image: string;
  commandLine?: string;
  parentGuid?: string;
  parentPid?: number;
  parentImage?: string;
  parentCommandLine?: string;
  user?: string;
  integrity?: string;
}

export interface SecurityProcess {
  host: string;
  time: string;
  pid: number;
  image: string;
  commandLine?: string;
  parentPid: number;
  parentImage?: string;
  user?: string;
  /** `%%1936`, `%%1937` or `%%1938`. */
  elevation?: string;
  /** Mandatory label SID, for example `S-1-16-8192`. */
  label?: string;
}

const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';

/** Sysmon's UtcTime form: `2024-05-02 09:00:10.123`. */
function sysmonUtc(time: string): string {
  return time.replace('T', ' ').replace('Z', '').slice(0, 23);
}

function record(provider: string, channel: string, eventId: number, host: string, time: string, data: Record<string, unknown>): string {
  return JSON.stringify({
    Event: {
      System: {
        Provider: { '#attributes': { Name: provider } },
        EventID: eventId,
        TimeCreated: { '#attributes': { SystemTime: time } },
        Channel: channel,
        Computer: host,
      },
      EventData: data,
    },
  });
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

export function sysmonCreate(process: SysmonProcess): string {
  const data: Record<string, unknown> = {
    UtcTime: sysmonUtc(process.time),
    ProcessGuid: process.guid,
    ProcessId: process.pid,
    Image: process.image,
    CommandLine: process.commandLine ?? process.image,
    User: process.user ?? 'CORP\\bob',
    IntegrityLevel: process.integrity ?? 'Medium',
    Hashes: 'SHA256=0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0',
  };
  if (process.parentGuid) data.ParentProcessGuid = process.parentGuid;
  if (process.parentPid !== undefined) data.ParentProcessId = process.parentPid;
  if (process.parentImage) data.ParentImage = process.parentImage;
  if (process.parentCommandLine) data.ParentCommandLine = process.parentCommandLine;
  return record(SYSMON_PROVIDER, SYSMON_CHANNEL, 1, process.host, process.time, data);
}

export function sysmonExit(process: { host: string; time: string; guid: string; pid: number; image: string }): string {
  return record(SYSMON_PROVIDER, SYSMON_CHANNEL, 5, process.host, process.time, {
    UtcTime: sysmonUtc(process.time),
    ProcessGuid: process.guid,
    ProcessId: process.pid,
    Image: process.image,
  });
}

export function sysmonNetwork(event: {
  host: string;
  time: string;
  guid: string;
  pid: number;
  image: string;
  destination: string;
  port: number;
}): string {
  return record(SYSMON_PROVIDER, SYSMON_CHANNEL, 3, event.host, event.time, {
    UtcTime: sysmonUtc(event.time),
    ProcessGuid: event.guid,
    ProcessId: event.pid,
    Image: event.image,
    Protocol: 'tcp',
    Initiated: 'true',
    SourceIp: '10.0.0.15',
    SourcePort: 50123,
    DestinationIp: event.destination,
    DestinationPort: event.port,
  });
}

export function sysmonFileCreate(event: { host: string; time: string; guid: string; pid: number; image: string; file: string }): string {
  return record(SYSMON_PROVIDER, SYSMON_CHANNEL, 11, event.host, event.time, {
    UtcTime: sysmonUtc(event.time),
    ProcessGuid: event.guid,
    ProcessId: event.pid,
    Image: event.image,
    TargetFilename: event.file,
  });
}

/** Security 4688, version 2: PIDs in hex as Windows writes them. */
export function securityCreate(process: SecurityProcess): string {
  return record(SECURITY_PROVIDER, 'Security', 4688, process.host, process.time, {
    SubjectUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1104',
    SubjectUserName: process.user ?? 'bob',
    SubjectDomainName: 'CORP',
    SubjectLogonId: '0x3e7',
    NewProcessId: hex(process.pid),
    NewProcessName: process.image,
    TokenElevationType: process.elevation ?? '%%1938',
    ProcessId: hex(process.parentPid),
    CommandLine: process.commandLine ?? '',
    TargetUserSid: 'S-1-0-0',
    TargetUserName: '-',
    TargetDomainName: '-',
    TargetLogonId: '0x0',
    ParentProcessName: process.parentImage ?? '',
    MandatoryLabel: process.label ?? 'S-1-16-8192',
  });
}

export function securityExit(process: { host: string; time: string; pid: number; image: string }): string {
  return record(SECURITY_PROVIDER, 'Security', 4689, process.host, process.time, {
    SubjectUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1104',
    SubjectUserName: 'bob',
    SubjectDomainName: 'CORP',
    SubjectLogonId: '0x3e7',
    Status: '0x0',
    ProcessId: hex(process.pid),
    ProcessName: process.image,
  });
}

export interface MemoryProcess {
  pid: number;
  ppid: number;
  /** Full image name; cut to 14 characters as EPROCESS.ImageFileName keeps it. */
  name: string;
  /** `2024-05-02 09:00:10` (UTC, whole seconds, as Volatility prints it). */
  created: string;
  exited?: string;
  offset: number;
}

/** Name as EPROCESS.ImageFileName stores it: at most 14 characters plus the terminator in 15 bytes. */
export function memoryName(name: string): string {
  return name.slice(0, 14);
}

const VOL3_BANNER = 'Volatility 3 Framework 2.5.0';

/** Volatility 3 pslist or psscan text as the default renderer prints it, after the saved command line. */
export function volatilityProcessText(plugin: 'pslist' | 'psscan', processes: MemoryProcess[]): string {
  const command = plugin === 'pslist' ? 'windows.pslist.PsList' : 'windows.psscan.PsScan';
  const header = 'PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output';
  const rows = processes.map((process) =>
    [
      process.pid,
      process.ppid,
      memoryName(process.name),
      hex(process.offset),
      8,
      '-',
      1,
      'False',
      `${process.created}.000000 UTC`,
      process.exited ? `${process.exited}.000000 UTC` : 'N/A',
      'Disabled',
    ].join('\t'),
  );
  return [`vol -f memory.raw ${command}`, VOL3_BANNER, '', header, '', ...rows, ''].join('\n');
}

export interface MemoryConnection {
  pid: number;
  owner: string;
  local: string;
  localPort: number;
  foreign: string;
  foreignPort: number;
  created: string;
}

export function volatilityNetscanText(connections: MemoryConnection[]): string {
  const header = 'Offset\tProto\tLocalAddr\tLocalPort\tForeignAddr\tForeignPort\tState\tPID\tOwner\tCreated';
  const rows = connections.map((connection, index) =>
    [
      hex(0xa0001000 + index * 0x100),
      'TCPv4',
      connection.local,
      connection.localPort,
      connection.foreign,
      connection.foreignPort,
      'ESTABLISHED',
      connection.pid,
      memoryName(connection.owner),
      `${connection.created}.000000 UTC`,
    ].join('\t'),
  );
  return ['vol -f memory.raw windows.netscan.NetScan', VOL3_BANNER, '', header, '', ...rows, ''].join('\n');
}

export interface MalfindHit {
  pid: number;
  process: string;
  start: number;
  protection: string;
}

/** Volatility 3 malfind text: one row per region, followed by its hexdump and disassembly lines. */
export function volatilityMalfindText(hits: MalfindHit[]): string {
  const header = 'PID\tProcess\tStart VPN\tEnd VPN\tTag\tProtection\tCommitCharge\tPrivateMemory\tFile output\tNotes\tHexdump\tDisasm';
  const lines: string[] = ['vol -f memory.raw windows.malfind.Malfind', VOL3_BANNER, '', header, ''];
  for (const hit of hits) {
    lines.push(
      [
        hit.pid,
        memoryName(hit.process),
        hex(hit.start),
        hex(hit.start + 0xfff),
        'VadS',
        hit.protection,
        1,
        1,
        'Disabled',
        'MZ header',
        '',
      ].join('\t'),
    );
    lines.push('4d 5a 90 00 03 00 00 00 04 00 00 00 ff ff 00 00\tMZ..............', '');
    lines.push(`${hex(hit.start)}:\tdec\tebp`, '');
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// The mixed-source scenario: one workstation with Sysmon, Security auditing and a memory
// image taken at 09:30, in which a Word document starts an encoded PowerShell command.

export const SCENARIO_HOST = 'WKS-01.corp.local';

const SYSTEM32 = 'C:\\Windows\\System32';
const WORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
const POWERSHELL = `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const ENCODED = 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA';

/** GUIDs of the scenario's Sysmon processes. */
export const SCENARIO_GUIDS = {
  explorer: '{5770385f-0001-6633-0001-000000000a00}',
  winword: '{5770385f-0010-6633-1000-000000000a00}',
  powershell: '{5770385f-0012-6633-1200-000000000a00}',
  cmd: '{5770385f-0015-6633-1500-000000000a00}',
  dropper: '{5770385f-0100-6633-5000-000000000a00}',
} as const;

export interface ScenarioFiles {
  dir: string;
  files: string[];
}

/**
 * Writes the scenario's evidence files into `dir`:
 * - explorer.exe (3000) is in memory only and started before the logs; Sysmon names it as Word's parent.
 * - winword.exe (4100) starts powershell.exe (4200) with `-enc`; both are in Sysmon, Security and memory.
 * - cmd.exe (4300) exits in both logs at 09:00:20 but pslist still lists it alive.
 * - Sysmon 1 and 4688 of cmd.exe are 1.2 s apart: merged, and reported as a start conflict.
 * - dropper.exe (5000) is in Sysmon and psscan but not in pslist.
 * - updater.exe (5100) is in memory only, created at 09:15 while the logs cover 09:00-09:20.
 * - notepad.exe (5200) is in Security 4688 and memory only.
 * - a second lsass.exe (7000) runs in memory, started by powershell.exe.
 * - netscan shows a connection of PID 6666, which no process has; malfind hits powershell.exe.
 */
export async function writeScenario(dir: string): Promise<ScenarioFiles> {
  await mkdir(dir, { recursive: true });
  const host = SCENARIO_HOST;
  const g = SCENARIO_GUIDS;
  const sysmon = [
    sysmonCreate({
      host,
      time: '2024-05-02T09:00:10.123Z',
      guid: g.winword,
      pid: 4100,
      image: WORD,
      commandLine: `"${WORD}" /n "C:\\Users\\bob\\Downloads\\invoice.docm"`,
      parentGuid: g.explorer,
      parentPid: 3000,
      parentImage: 'C:\\Windows\\explorer.exe',
      parentCommandLine: 'C:\\Windows\\Explorer.EXE',
    }),
    sysmonCreate({
      host,
      time: '2024-05-02T09:00:12.456Z',
      guid: g.powershell,
      pid: 4200,
      image: POWERSHELL,
      commandLine: `powershell.exe -NoP -W Hidden -enc ${ENCODED}`,
      parentGuid: g.winword,
      parentPid: 4100,
      parentImage: WORD,
    }),
    sysmonNetwork({
      host,
      time: '2024-05-02T09:00:13.000Z',
      guid: g.powershell,
      pid: 4200,
      image: POWERSHELL,
      destination: '203.0.113.7',
      port: 443,
    }),
    sysmonFileCreate({
      host,
      time: '2024-05-02T09:00:14.000Z',
      guid: g.powershell,
      pid: 4200,
      image: POWERSHELL,
      file: 'C:\\Users\\bob\\AppData\\Local\\Temp\\dropper.exe',
    }),
    sysmonCreate({
      host,
      time: '2024-05-02T09:00:15.900Z',
      guid: g.cmd,
      pid: 4300,
      image: `${SYSTEM32}\\cmd.exe`,
      commandLine: 'cmd.exe /c whoami',
      parentGuid: g.powershell,
      parentPid: 4200,
      parentImage: POWERSHELL,
    }),
    sysmonExit({ host, time: '2024-05-02T09:00:20.000Z', guid: g.cmd, pid: 4300, image: `${SYSTEM32}\\cmd.exe` }),
    sysmonCreate({
      host,
      time: '2024-05-02T09:10:00.500Z',
      guid: g.dropper,
      pid: 5000,
      image: 'C:\\Users\\bob\\AppData\\Local\\Temp\\dropper.exe',
      parentGuid: g.powershell,
      parentPid: 4200,
      parentImage: POWERSHELL,
    }),
  ];
  const security = [
    securityCreate({
      host,
      time: '2024-05-02T09:00:10.120Z',
      pid: 4100,
      image: WORD,
      commandLine: `"${WORD}" /n "C:\\Users\\bob\\Downloads\\invoice.docm"`,
      parentPid: 3000,
      parentImage: 'C:\\Windows\\explorer.exe',
    }),
    securityCreate({
      host,
      time: '2024-05-02T09:00:12.450Z',
      pid: 4200,
      image: POWERSHELL,
      commandLine: `powershell.exe -NoP -W Hidden -enc ${ENCODED}`,
      parentPid: 4100,
      parentImage: WORD,
      elevation: '%%1937',
      label: 'S-1-16-12288',
    }),
    securityCreate({
      host,
      time: '2024-05-02T09:00:17.100Z',
      pid: 4300,
      image: `${SYSTEM32}\\cmd.exe`,
      commandLine: 'cmd.exe /c whoami',
      parentPid: 4200,
      parentImage: POWERSHELL,
    }),
    securityExit({ host, time: '2024-05-02T09:00:20.010Z', pid: 4300, image: `${SYSTEM32}\\cmd.exe` }),
    securityCreate({
      host,
      time: '2024-05-02T09:20:00.700Z',
      pid: 5200,
      image: `${SYSTEM32}\\notepad.exe`,
      commandLine: 'notepad.exe C:\\Users\\bob\\notes.txt',
      parentPid: 3000,
      parentImage: 'C:\\Windows\\explorer.exe',
    }),
  ];
  const live: MemoryProcess[] = [
    { pid: 4, ppid: 0, name: 'System', created: '2024-05-02 08:00:00', offset: 0xa0000100 },
    { pid: 500, ppid: 420, name: 'wininit.exe', created: '2024-05-02 08:00:02', offset: 0xa0000200 },
    { pid: 640, ppid: 500, name: 'lsass.exe', created: '2024-05-02 08:00:03', offset: 0xa0000300 },
    { pid: 3000, ppid: 2900, name: 'explorer.exe', created: '2024-05-02 08:05:00', offset: 0xa0000400 },
    { pid: 4100, ppid: 3000, name: 'WINWORD.EXE', created: '2024-05-02 09:00:10', offset: 0xa0000500 },
    { pid: 4200, ppid: 4100, name: 'powershell.exe', created: '2024-05-02 09:00:12', offset: 0xa0000600 },
    { pid: 4300, ppid: 4200, name: 'cmd.exe', created: '2024-05-02 09:00:15', offset: 0xa0000700 },
    { pid: 5100, ppid: 3000, name: 'updater.exe', created: '2024-05-02 09:15:00', offset: 0xa0000800 },
    { pid: 5200, ppid: 3000, name: 'notepad.exe', created: '2024-05-02 09:20:00', offset: 0xa0000900 },
    { pid: 7000, ppid: 4200, name: 'lsass.exe', created: '2024-05-02 09:25:00', offset: 0xa0000a00 },
  ];
  const hidden: MemoryProcess = { pid: 5000, ppid: 4200, name: 'dropper.exe', created: '2024-05-02 09:10:00', offset: 0x7e000b00 };
  const files: [string, string][] = [
    ['sysmon.jsonl', `${sysmon.join('\n')}\n`],
    ['security.jsonl', `${security.join('\n')}\n`],
    ['pslist.txt', volatilityProcessText('pslist', live)],
    ['psscan.txt', volatilityProcessText('psscan', [...live, hidden])],
    [
      'netscan.txt',
      volatilityNetscanText([
        {
          pid: 4200,
          owner: 'powershell.exe',
          local: '10.0.0.15',
          localPort: 50123,
          foreign: '203.0.113.7',
          foreignPort: 443,
          created: '2024-05-02 09:00:13',
        },
        {
          pid: 6666,
          owner: 'ghost.exe',
          local: '10.0.0.15',
          localPort: 50200,
          foreign: '198.51.100.9',
          foreignPort: 8443,
          created: '2024-05-02 09:28:00',
        },
      ]),
    ],
    [
      'malfind.txt',
      volatilityMalfindText([{ pid: 4200, process: 'powershell.exe', start: 0x1f0000, protection: 'PAGE_EXECUTE_READWRITE' }]),
    ],
  ];
  for (const [name, text] of files) await writeFile(path.join(dir, name), text);
  return { dir, files: files.map(([name]) => path.join(dir, name)) };
}

// ---------------------------------------------------------------------------------------
// A load for measuring the build: many short-lived processes on one host with Sysmon and
// Security auditing, PIDs reused every 10,000 processes.

export const LOAD_HOST = 'LOAD-01.corp.local';

export interface LoadFiles {
  files: string[];
  /** Process start, exit and network records written. */
  events: number;
}

const LOAD_IMAGES = ['cmd.exe', 'conhost.exe', 'powershell.exe', 'svchost.exe', 'rundll32.exe', 'notepad.exe', 'whoami.exe'];

/**
 * Writes `processes` process starts (Sysmon 1 and 4688 each), their exits (Sysmon 5 and
 * 4689) 20 s later for nine in ten, and a Sysmon 3 for one in ten, 50 ms apart. Each
 * process's parent is one of the 50 before it, so the tree is deep and PIDs recur.
 */
export async function writeProcessLoad(dir: string, processes: number): Promise<LoadFiles> {
  await mkdir(dir, { recursive: true });
  const base = Date.parse('2024-07-01T08:00:00.000Z');
  const at = (millis: number) => new Date(base + millis).toISOString();
  const pidOf = (index: number) => 1000 + ((index * 4) % 40_000);
  const guidOf = (index: number) =>
    `{6a2f0c11-${(index >>> 16).toString(16).padStart(4, '0')}-${(index & 0xffff).toString(16).padStart(4, '0')}-0000-000000000b00}`;
  const sysmon: string[] = [];
  const security: string[] = [];
  let events = 0;

  for (let index = 0; index < processes; index++) {
    const parent = index === 0 ? null : Math.max(0, index - 1 - ((index * 7) % 50));
    const name = LOAD_IMAGES[index % LOAD_IMAGES.length]!;
    const image = `C:\\Windows\\System32\\${name}`;
    const parentImage =
      parent === null ? 'C:\\Windows\\explorer.exe' : `C:\\Windows\\System32\\${LOAD_IMAGES[parent % LOAD_IMAGES.length]}`;
    const start = index * 50;
    const pid = pidOf(index);
    const parentPid = parent === null ? 900 : pidOf(parent);

    sysmon.push(
      sysmonCreate({
        host: LOAD_HOST,
        time: at(start),
        guid: guidOf(index),
        pid,
        image,
        commandLine: `${name} /task ${index}`,
        parentGuid: parent === null ? '{6a2f0c11-ffff-ffff-0000-000000000b00}' : guidOf(parent),
        parentPid,
        parentImage,
      }),
    );
    security.push(
      securityCreate({ host: LOAD_HOST, time: at(start + 3), pid, image, commandLine: `${name} /task ${index}`, parentPid, parentImage }),
    );
    events += 2;

    if (index % 10 === 3) {
      sysmon.push(
        sysmonNetwork({ host: LOAD_HOST, time: at(start + 20), guid: guidOf(index), pid, image, destination: '192.0.2.10', port: 443 }),
      );
      events += 1;
    }
    if (index % 10 !== 0) {
      sysmon.push(sysmonExit({ host: LOAD_HOST, time: at(start + 20_000), guid: guidOf(index), pid, image }));
      security.push(securityExit({ host: LOAD_HOST, time: at(start + 20_002), pid, image }));
      events += 2;
    }
  }

  const files = [path.join(dir, 'load-sysmon.jsonl'), path.join(dir, 'load-security.jsonl')];
  await writeFile(files[0]!, `${sysmon.join('\n')}\n`);
  await writeFile(files[1]!, `${security.join('\n')}\n`);
  return { files, events };
}
