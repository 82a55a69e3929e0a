// Volatility parsers on small inputs written here, and on the field failure cases read in
// place when present: the three Volatility 3 CSV dialects, naive and aware JSON times,
// process names cut at 14-15 characters, and 64-bit precision.

// biome-ignore lint/style/noRestrictedImports: the test reads field cases in place; the parser itself stays pure
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldCase, fieldCasesSkipReason, hasFieldCases } from '../../../test/paths.ts';
import { detectVolatility, formatMicros, parseVolatility, parseVolTime } from './index.ts';
import { splitExpandedTabs } from './text3.ts';
import type { VolParseResult, VolRun, VolValue } from './types.ts';

if (!hasFieldCases) console.warn(`[skip] ${fieldCasesSkipReason}`);

function value(run: VolRun, rowIndex: number, name: string): VolValue {
  const index = run.columns.findIndex((column) => column.name === name);
  if (index < 0) throw new Error(`column ${name} not in ${run.columns.map((column) => column.name).join(', ')}`);
  return run.rows[rowIndex]!.values[index]!;
}

function onlyRun(result: VolParseResult): VolRun {
  expect(result.runs).toHaveLength(1);
  return result.runs[0]!;
}

/** Reads a field case in place, or returns null when that file is absent. */
function readFieldCase(name: string): string | null {
  const file = fieldCase(name);
  return hasFieldCases && existsSync(file) ? readFileSync(file, 'utf8') : null;
}

const LOGON_ARGS = '"LogonUI.exe" /flags:0x2 /state0:0xa3bd1855 /state1:0x41c64e6d';
const SVCHOST_ARGS = 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p -s LSM';
const RUNDLL_ARGS = 'rundll32.exe C:\\Users\\bob\\AppData\\Local\\Temp\\x.dll,Start';

// Written the way each Volatility 3 CSV writer produced cmdline output.
const CSV_LEGACY = [
  '"TreeDepth","PID","Process","Args"',
  `0,624,"svchost.exe","${SVCHOST_ARGS}"`,
  `0,512,"LogonUI.exe","${LOGON_ARGS}"`,
  '0,4,"System",',
  `0,3120,"rundll32.exe","${RUNDLL_ARGS}"`,
  '',
].join('\n');
const CSV_ESCAPED = [
  'TreeDepth,PID,Process,Args',
  `0,624,svchost.exe,${SVCHOST_ARGS.replaceAll('\\', '\\\\')}`,
  `0,512,LogonUI.exe,"${LOGON_ARGS.replaceAll('"', '""')}"`,
  '0,4,System,N/A',
  `0,3120,rundll32.exe,"${RUNDLL_ARGS.replaceAll('\\', '\\\\')}"`,
  '',
].join('\r\n');
const CSV_CRCRLF = [
  'TreeDepth,PID,Process,Args',
  `0,624,svchost.exe,${SVCHOST_ARGS}`,
  `0,512,LogonUI.exe,"${LOGON_ARGS.replaceAll('"', '""')}"`,
  '0,4,System,N/A',
  '',
  '',
].join('\r\r\n');

describe('Volatility 3 CSV dialects', () => {
  const cases = [
    { dialect: 'legacy-quoting', text: CSV_LEGACY, file: 'B21a_vol3_2.0_cmdline_legacy_quoting.csv', pid4Reason: 'empty' },
    { dialect: 'backslash-escaped', text: CSV_ESCAPED, file: 'B21b_vol3_2.5_py311_cmdline_escapechar.csv', pid4Reason: 'N/A' },
    { dialect: 'crcrlf', text: CSV_CRCRLF, file: 'B21c_vol3_2.3_windows_crcrlf.csv', pid4Reason: 'N/A' },
  ] as const;

  const check = (text: string, name: string, expected: (typeof cases)[number]) => {
    const result = parseVolatility(text, { name });
    const run = onlyRun(result);
    expect(run.renderer).toBe('csv');
    expect(run.dialect).toBe(expected.dialect);
    expect(run.kind).toBe('cmdline');
    expect(detectVolatility(text, name)?.dialect).toBe(expected.dialect);

    const pids = run.rows.map((_, index) => value(run, index, 'PID'));
    const row = (pid: bigint) => pids.indexOf(pid);
    expect(value(run, row(512n), 'Args')).toBe(LOGON_ARGS);
    expect(value(run, row(624n), 'Args')).toBe(SVCHOST_ARGS);
    expect(value(run, row(4n), 'Args')).toBeNull();
    expect(run.rows[row(4n)]!.nullReasons.Args).toBe(expected.pid4Reason);
    if (pids.includes(3120n)) expect(value(run, row(3120n), 'Args')).toBe(RUNDLL_ARGS);
    for (const [index] of run.rows.entries()) {
      for (const name of ['Process', 'Args']) {
        const cell = value(run, index, name);
        if (typeof cell === 'string') expect(cell).not.toMatch(/\r|\n/);
      }
    }
    expect(pids.every((pid) => typeof pid === 'bigint')).toBe(true);
    return run;
  };

  for (const expected of cases) {
    it(`reads ${expected.dialect} written inline`, () => {
      const run = check(expected.text, 'cmdline.csv', expected);
      expect(run.rows).toHaveLength(expected.dialect === 'crcrlf' ? 3 : 4);
    });

    it.skipIf(readFieldCase(expected.file) === null)(`reads the ${expected.dialect} field case in place`, () => {
      check(readFieldCase(expected.file)!, expected.file, expected);
    });
  }

  it('turns a memory read error in Args into null with the message', () => {
    const text =
      readFieldCase('B21b_vol3_2.5_py311_cmdline_escapechar.csv') ??
      `${CSV_ESCAPED}0,4410,notepad.exe,Required memory at 0x2a1c4f2020 is not valid (process exited?)\r\n`;
    const run = onlyRun(parseVolatility(text, { name: 'cmdline.csv' }));
    const last = run.rows.length - 1;
    expect(value(run, last, 'PID')).toBe(4410n);
    expect(value(run, last, 'Args')).toBeNull();
    expect(run.rows[last]!.nullReasons.Args).toBe('Required memory at 0x2a1c4f2020 is not valid (process exited?)');
  });

  it('keeps multi-line quoted values and tree depth', () => {
    const text = 'TreeDepth,PID,Process,Hexdump\r\n0,4,System,"aa bb\ncc dd"\r\n1,8,child.exe,-\r\n';
    const run = onlyRun(parseVolatility(text, { name: 'x.csv' }));
    expect(value(run, 0, 'Hexdump')).toBe('aa bb\ncc dd');
    expect(run.rows[1]!.depth).toBe(1);
    expect(run.rows[1]!.parent).toBe(0);
    expect(run.rows[1]!.line).toBe(4);
  });
});

const JSON_NAIVE_AND_AWARE = `
[
  {
    "CreateTime": "2023-05-03T07:36:43",
    "ExitTime": null,
    "File output": "Disabled",
    "Handles": 30,
    "ImageFileName": "cmd.exe",
    "Offset(V)": 172683401216,
    "PID": 6700,
    "PPID": 416,
    "SessionId": 1,
    "Threads": 1,
    "Wow64": false,
    "__children": []
  },
  {
    "CreateTime": "2023-05-03T07:36:43+00:00",
    "ExitTime": "2023-05-03T07:36:44+00:00",
    "File output": "Disabled",
    "Handles": 20,
    "ImageFileName": "whoami.exe",
    "Offset(V)": 172683407360,
    "PID": 6704,
    "PPID": 6700,
    "SessionId": 1,
    "Threads": 1,
    "Wow64": false,
    "__children": []
  }
]
`;

describe('Volatility 3 JSON times', () => {
  const check = (text: string) => {
    const run = onlyRun(parseVolatility(text, { name: 'pslist.json' }));
    expect(run.renderer).toBe('json');
    expect(run.kind).toBe('pslist');
    expect(run.rows).toHaveLength(2);
    // 2023-05-03T07:36:43Z: 1683072000 (midnight) + 27403 seconds.
    expect(value(run, 0, 'CreateTime')).toBe(1_683_099_403_000_000n);
    expect(run.rows[0]!.timeNotes.CreateTime).toBe('no-zone');
    expect(value(run, 1, 'CreateTime')).toBe(1_683_099_403_000_000n);
    expect(run.rows[1]!.timeNotes.CreateTime).toBeUndefined();
    expect(value(run, 1, 'ExitTime')).toBe(1_683_099_404_000_000n);
    expect(value(run, 0, 'ExitTime')).toBeNull();
    expect(run.rows[0]!.nullReasons.ExitTime).toBe('null');
    expect(value(run, 0, 'File output')).toBeNull();
    expect(run.rows[0]!.nullReasons['File output']).toBe('Disabled');
    expect(value(run, 0, 'Offset(V)')).toBe(172_683_401_216n);
    expect(value(run, 1, 'PPID')).toBe(6700n);
    expect(run.rows[0]!.line).toBe(3);
  };

  it('reads naive and aware times written inline', () => check(JSON_NAIVE_AND_AWARE));

  it.skipIf(readFieldCase('B12d_vol3_json_naive_and_aware.json') === null)('reads the field case in place', () => {
    check(readFieldCase('B12d_vol3_json_naive_and_aware.json')!);
  });

  it('flattens __children in pre-order with depth and parent', () => {
    const text =
      '[{"PID": 4, "PPID": 0, "ImageFileName": "System", "CreateTime": null, "__children": [{"PID": 600, "PPID": 4, "ImageFileName": "smss.exe", "CreateTime": null, "__children": [{"PID": 700, "PPID": 600, "ImageFileName": "a", "CreateTime": null, "__children": []}]}, {"PID": 148, "PPID": 4, "ImageFileName": "Registry", "CreateTime": null, "__children": []}]}]';
    const run = onlyRun(parseVolatility(text, { name: 'out.json' }));
    expect(run.kind).toBe('pstree');
    expect(run.rows.map((row) => [value(run, row.index, 'PID'), row.depth, row.parent])).toEqual([
      [4n, 0, null],
      [600n, 1, 0],
      [700n, 2, 1],
      [148n, 1, 0],
    ]);
  });

  it('reads JSON lines with one row per line', () => {
    const text =
      '{"PID": 4, "Process": "System", "Args": null, "__children": []}\n{"PID": 8, "Process": "a.exe", "Args": "a.exe -x", "__children": []}\n';
    const run = onlyRun(parseVolatility(text, { name: 'cmdline.jsonl' }));
    expect(run.renderer).toBe('jsonl');
    expect(run.kind).toBe('cmdline');
    expect(run.rows.map((row) => row.line)).toEqual([1, 2]);
    expect(value(run, 1, 'Args')).toBe('a.exe -x');
  });

  it('reports invalid JSON with its line', () => {
    const result = parseVolatility('[\n {"PID": 4, "__children": []},\n {"PID": }\n]', { name: 'x.json' });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.severity).toBe('error');
    expect(result.issues[0]!.line).toBe(3);
  });
});

const PSLIST_CUT_NAMES = [
  'PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output',
  '',
  '2132\t768\tRuntimeBroker.\t0x9d082680\t21\t-\t1\tFalse\t2024-03-01 09:40:18.000000 UTC\tN/A\tDisabled',
  '3792\t768\tSppExtComObj.E\t0xa04db040\t8\t-\t0\tFalse\t2024-03-01 09:40:17.000000 UTC\tN/A\tDisabled',
  '5120\t868\tMicrosoft.Photo\t0x9d1df040\t12\t-\t1\tFalse\t2024-03-01 09:40:19.000000 UTC\tN/A\tDisabled',
  '5200\t2132\tRuntimeBroker.\t0x9d1e0040\t4\t-\t1\tFalse\t2024-03-01 09:41:00.000000 UTC\tN/A\tDisabled',
  '',
].join('\n');

describe('Volatility 3 pslist text', () => {
  const check = (text: string) => {
    const result = parseVolatility(text, { name: 'pslist.txt' });
    const run = onlyRun(result);
    expect(result.issues).toEqual([]);
    expect(run.kind).toBe('pslist');
    expect(run.pluginSource).toBe('header');
    expect(run.rows.map((row) => value(run, row.index, 'ImageFileName'))).toEqual([
      'RuntimeBroker.',
      'SppExtComObj.E',
      'Microsoft.Photo',
      'RuntimeBroker.',
    ]);
    expect(run.rows.map((row) => value(run, row.index, 'PID'))).toEqual([2132n, 3792n, 5120n, 5200n]);
    // 2024-03-01T00:00:00Z is 1709251200.
    expect(run.rows.map((row) => value(run, row.index, 'CreateTime'))).toEqual([
      (1_709_251_200n + 34_818n) * 1_000_000n,
      (1_709_251_200n + 34_817n) * 1_000_000n,
      (1_709_251_200n + 34_819n) * 1_000_000n,
      (1_709_251_200n + 34_860n) * 1_000_000n,
    ]);
    expect(run.rows[0]!.timeNotes).toEqual({});
    expect(run.rows[0]!.nullReasons).toEqual({ Handles: '-', ExitTime: 'N/A', 'File output': 'Disabled' });
    expect(run.rows[0]!.line).toBe(3);
  };

  it('keeps cut names and create times written inline', () => check(PSLIST_CUT_NAMES));

  it.skipIf(readFieldCase('B23_vol3_pslist_truncated_names.txt') === null)('reads the field case in place', () => {
    check(readFieldCase('B23_vol3_pslist_truncated_names.txt')!);
  });
});

describe('64-bit values', () => {
  const offset = 0xffffe0003a5b6080n;

  it('keeps a kernel offset exact in text, CSV and JSON', () => {
    const text = `PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output\n4\t0\tSystem\t0xffffe0003a5b6080\t1\t-\tN/A\tFalse\t-\t-\tDisabled\n`;
    const csv = 'TreeDepth,PID,PPID,ImageFileName,Offset(V),CreateTime,File output\r\n0,4,0,System,0xffffe0003a5b6080,N/A,Disabled\r\n';
    const json = `[{"PID": 4, "PPID": 0, "ImageFileName": "System", "Offset(V)": ${offset.toString()}, "CreateTime": null, "File output": "Disabled", "__children": []}]`;
    for (const [input, name] of [
      [text, 'pslist.txt'],
      [csv, 'pslist.csv'],
      [json, 'pslist.json'],
    ] as const) {
      const run = onlyRun(parseVolatility(input, { name }));
      const parsed = value(run, 0, 'Offset(V)');
      expect(parsed).toBe(offset);
      expect(`0x${(parsed as bigint).toString(16)}`).toBe('0xffffe0003a5b6080');
    }
  });

  it('infers UBIGINT for hex columns of other plugins', () => {
    const text = 'Volatility 3 Framework 2.7.0\nIndex\tAddress\tModule\tSymbol\n0\t0xfffff8020fa92650\tntoskrnl\tNtAccessCheck\n';
    const run = onlyRun(parseVolatility(text, { name: 'ssdt.txt' }));
    expect(run.kind).toBe('generic');
    expect(run.columns.map((column) => column.type)).toEqual(['BIGINT', 'UBIGINT', 'VARCHAR', 'VARCHAR']);
    expect(value(run, 0, 'Address')).toBe(0xfffff8020fa92650n);
  });
});

describe('Volatility times', () => {
  it.each([
    ['2019-03-22 05:46:00.000000 UTC', 1_553_233_560_000_000n, null],
    ['2020-11-04 16:29:43.000000', 1_604_507_383_000_000n, 'no-zone'],
    ['2020-11-04 16:29:43.000000 ', 1_604_507_383_000_000n, 'no-zone'],
    ['2012-11-26 22:03:28 UTC+0000', 1_353_967_408_000_000n, null],
    ['2012-11-26 23:03:28 UTC+0100', 1_353_967_408_000_000n, null],
    ['2023-05-03T07:36:43.123456+00:00', 1_683_099_403_123_456n, null],
    ['1970-01-01 00:00:00 UTC+0000', 0n, 'sentinel'],
    ['1601-01-01 00:00:00.000000 UTC', -11_644_473_600_000_000n, null],
  ] as const)('parses %j', (text, micros, note) => {
    expect(parseVolTime(text)).toEqual({ micros, note });
  });

  it.each(['2023-02-29 00:00:00', '2023-13-01 00:00:00', '2023-05-03 24:00:00', 'N/A', '2023-05-03', '2023-05-03 07:36:43.1234567'])(
    'rejects %j',
    (text) => {
      expect(parseVolTime(text)).toBeNull();
    },
  );

  it('formats microseconds back to ISO 8601', () => {
    expect(formatMicros(1_683_099_403_123_456n)).toBe('2023-05-03T07:36:43.123456Z');
    expect(formatMicros(-11_644_473_600_000_000n)).toBe('1601-01-01T00:00:00.000000Z');
  });

  it('keeps an unreadable time as null with the reason', () => {
    const text = 'PID\tPPID\tImageFileName\tCreateTime\tFile output\n4\t0\tSystem\t2023-02-30 00:00:00\tDisabled\n';
    const run = onlyRun(parseVolatility(text, { name: 'pslist.txt' }));
    expect(value(run, 0, 'CreateTime')).toBeNull();
    expect(run.rows[0]!.nullReasons.CreateTime).toBe('invalid time: "2023-02-30 00:00:00"');
    expect(run.rows[0]!.timeNotes.CreateTime).toBe('invalid');
  });
});

describe('Volatility 3 text', () => {
  const saved = [
    '\ufeff"C:\\vol\\vol.exe" -f "D:\\cases\\host1.raw" windows.pslist.PsList ',
    'Volatility 3 Framework 2.5.0',
    'Progress:  100.00\t\tPDB scanning finished',
    'PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output',
    '4\t0\tSystem\t0xe785a35a9040\t352\t-\tN/A\tFalse\t2024-05-16 10:21:52.000000 \tN/A\tDisabled',
    'Traceback (most recent call last):',
    '  File "vol.py", line 10, in <module>',
    '600\t4\tsmss.exe\t0xe785a4f71200\t2\t-\tN/A\tFalse\t2024-05-16 10:21:52.000000 \tN/A\tDisabled',
    "UnicodeEncodeError: 'charmap' codec can't encode characters in position 19-39",
    '',
    'vol -f "D:\\cases\\host1.raw" windows.pstree',
    'Volatility 3 Framework 2.7.0',
    'PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime',
    '',
    '4\t0\tSystem\t0xe785a35a9040\t352\t-\tN/A\tFalse\t2024-05-16 10:21:52.000000 UTC\tN/A',
    '* 600\t4\tsmss.exe\t0xe785a4f71200\t2\t-\tN/A\tFalse\t2024-05-16 10:21:52.000000 UTC\tN/A',
    '** 700\t600\tcsrss.exe\t0xe785a4f71300\t2\t-\tN/A\tFalse\t2024-05-16 10:21:53.000000 UTC\tN/A',
    '* 148\t4\tRegistry\t0xe785a38eb040\t4\t-\tN/A\tFalse\t2024-05-16 10:21:49.000000 UTC\tN/A',
    '',
  ].join('\r\r\n');

  it('splits a saved session into runs with banner, command line and image', () => {
    const detection = detectVolatility(saved, 'session.txt');
    expect(detection).toMatchObject({
      renderer: 'text',
      version: 3,
      release: '2.5.0',
      plugin: 'windows.pslist.PsList',
      kind: 'pslist',
      image: 'D:\\cases\\host1.raw',
    });
    const { runs, issues } = parseVolatility(saved, { name: 'session.txt' });
    expect(runs.map((run) => [run.plugin, run.kind, run.release, run.image, run.rows.length])).toEqual([
      ['windows.pslist.PsList', 'pslist', '2.5.0', 'D:\\cases\\host1.raw', 2],
      ['windows.pstree', 'pstree', '2.7.0', 'D:\\cases\\host1.raw', 4],
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 6, severity: 'warning' });
    expect(issues[0]!.message).toContain('UnicodeEncodeError');
  });

  it('reads rows around an interleaved traceback with their own line numbers', () => {
    const run = parseVolatility(saved, { name: 'session.txt' }).runs[0]!;
    expect(run.rows.map((row) => row.line)).toEqual([5, 8]);
    expect(value(run, 1, 'PID')).toBe(600n);
    expect(run.rows[1]!.timeNotes.CreateTime).toBe('no-zone');
  });

  it('builds parents from star prefixes', () => {
    const run = parseVolatility(saved, { name: 'session.txt' }).runs[1]!;
    expect(run.rows.map((row) => [value(run, row.index, 'PID'), row.depth, row.parent])).toEqual([
      [4n, 0, null],
      [600n, 1, 0],
      [700n, 2, 1],
      [148n, 1, 0],
    ]);
    expect(run.rows[0]!.timeNotes).toEqual({});
  });

  it('splits a header and rows whose tabs were expanded to spaces', () => {
    const header = 'Offset\tProto\tLocalAddr\tLocalPort\tForeignAddr\tForeignPort\tState\tPID\tOwner\tCreated';
    const row = '0xb3078078fa70\tTCPv4\t10.0.0.5\t49712\t93.184.216.34\t443\tESTABLISHED\t4\tSecure System\t2024-05-16 10:33:43.000000';
    const expand = (line: string) =>
      line.split('\t').reduce((out, cell, index) => (index === 0 ? cell : `${out}${' '.repeat(8 - (out.length % 8))}${cell}`), '');
    const text = `Volatility 3 Framework 2.7.0\n${expand(header)}\n\n${expand(row)}\n`;
    const run = onlyRun(parseVolatility(text, { name: 'netscan.txt' }));
    expect(run.kind).toBe('netscan');
    expect(run.columns.filter((column) => column.source !== null)).toHaveLength(10);
    expect(value(run, 0, 'Owner')).toBe('Secure System');
    expect(value(run, 0, 'ForeignAddr')).toBe('93.184.216.34');
    expect(value(run, 0, 'ForeignPort')).toBe(443);
    expect(value(run, 0, 'State')).toBe('ESTABLISHED');
    expect(value(run, 0, 'Created')).toBe(1_715_855_623_000_000n);
  });

  it('reads empty expanded cells as empty fields', () => {
    expect(
      splitExpandedTabs('0xb3078078fa70  UDPv4   0.0.0.0 0       *       0               13096   PhoneExperienc  2024-05-16').fields,
    ).toEqual(['0xb3078078fa70', 'UDPv4', '0.0.0.0', '0', '*', '0', '', '13096', 'PhoneExperienc', '2024-05-16']);
  });

  it('joins malfind continuation lines into Hexdump and Disasm', () => {
    const text = [
      'Volatility 3 Framework 2.5.0',
      'PID\tProcess\tStart VPN\tEnd VPN\tTag\tProtection\tCommitCharge\tPrivateMemory\tFile output\tHexdump\tDisasm',
      '5220\tMsMpEng.exe\t0x245e5800000\t0x245e590cfff\tVadS\tPAGE_EXECUTE_READWRITE\t269\t1\tDisabled\t',
      '56 57 53 55 41 54 41 55\tVWSUATAU',
      '00 48 89 e9 48 b8 90 0e\t.H..H...\t',
      '0x245e5800000:\tpush\trsi',
      '0x245e5800001:\tpush\trdi',
      '6000\tother.exe\t0x1000\t0x1fff\tVadS\tPAGE_EXECUTE_READWRITE\t1\t1\tDisabled\t',
      '00 00 00 00 00 00 00 00\t........\t',
      '0x1000:\tadd\tbyte ptr [rax], al',
    ].join('\n');
    const run = onlyRun(parseVolatility(text, { name: 'malfind.txt' }));
    expect(run.rows).toHaveLength(2);
    expect(value(run, 0, 'Hexdump')).toBe('56 57 53 55 41 54 41 55\tVWSUATAU\n00 48 89 e9 48 b8 90 0e\t.H..H...');
    expect(value(run, 0, 'Disasm')).toBe('0x245e5800000:\tpush\trsi\n0x245e5800001:\tpush\trdi');
    expect(value(run, 1, 'Disasm')).toBe('0x1000:\tadd\tbyte ptr [rax], al');
    expect(value(run, 1, 'End VPN')).toBe(0x1fffn);
  });
});

describe('Volatility 2 text', () => {
  it('reads pslist columns by name from the dash line', () => {
    const text = [
      'Volatility Foundation Volatility Framework 2.6',
      'Offset(V)  Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit                          ',
      '---------- -------------------- ------ ------ ------ -------- ------ ------ ------------------------------ ------------------------------',
      '0x823ca830 System                    4      0     54      702 ------      0                                                              ',
      '0x81dfcda0 ipconfig.exe           1784    312      0 --------      0      0 2010-05-05 11:42:11 UTC+0000   2010-05-05 11:42:13 UTC+0000  ',
      '0x81dfcda1 AVeryLongProcessName.exe  1785    312      1       10      0      0 2010-05-05 11:42:11 UTC+0000                                 ',
      '',
    ].join('\n');
    const run = onlyRun(parseVolatility(text, { name: 'out.txt' }));
    expect(run).toMatchObject({ plugin: 'pslist', kind: 'pslist', version: 2, release: '2.6' });
    expect(value(run, 1, 'ExitTime')).toBe(1_273_059_733_000_000n);
    expect(value(run, 1, 'Handles')).toBeNull();
    expect(run.rows[1]!.nullReasons.Handles).toBe('--------');
    expect(value(run, 1, 'Wow64')).toBe(false);
    expect(value(run, 2, 'ImageFileName')).toBe('AVeryLongProcessName.exe');
    expect(value(run, 2, 'PID')).toBe(1785n);
    expect(value(run, 2, 'Threads')).toBe(1n);
  });

  it('reads dlllist blocks into one row per module', () => {
    const text = [
      '************************************************************************',
      'System pid:      4',
      'Unable to read PEB for task.',
      '************************************************************************',
      'smss.exe pid:    500',
      'Command line : \\SystemRoot\\System32\\smss.exe',
      '',
      'Base             Size  LoadCount Path',
      '---------- ---------- ---------- ----',
      '0x48580000     0xf000     0xffff \\SystemRoot\\System32\\smss.exe',
      '0x7c900000    0xaf000     0xffff C:\\WINDOWS\\system32\\ntdll.dll',
    ].join('\n');
    const run = onlyRun(parseVolatility(text, { name: 'out.txt' }));
    expect(run).toMatchObject({ plugin: 'dlllist', kind: 'dlllist', blocks: 2 });
    expect(run.rows).toHaveLength(2);
    expect(value(run, 1, 'PID')).toBe(500n);
    expect(value(run, 1, 'Base')).toBe(0x7c900000n);
    expect(value(run, 1, 'Name')).toBe('ntdll.dll');
    expect(value(run, 1, 'CommandLine')).toBe('\\SystemRoot\\System32\\smss.exe');
    expect(run.rows[1]!.line).toBe(11);
  });

  it('reads cmdscan blocks with their commands', () => {
    const text = [
      '**************************************************',
      'CommandProcess: csrss.exe Pid: 564',
      'CommandHistory: 0x4f4d88 Application: cmd.exe Flags: Allocated, Reset',
      'CommandCount: 3 LastAdded: 2 LastDisplayed: 0',
      'FirstCommand: 0 CommandCountMax: 50',
      'ProcessHandle: 0x338',
      'Cmd #0 @ 0x4f2370: nc -l -p 4711 -e cmd.exe',
      'Cmd #1 @ 0x12732d8: cd Desktop',
    ].join('\n');
    const run = onlyRun(parseVolatility(text, { name: 'out.txt' }));
    expect(run.kind).toBe('cmdscan');
    expect(value(run, 0, 'PID')).toBe(564n);
    expect(value(run, 0, 'Flags')).toBe('Allocated, Reset');
    expect(value(run, 0, 'CommandHistory')).toBe(0x4f4d88n);
    expect(value(run, 0, 'Commands')).toEqual(['nc -l -p 4711 -e cmd.exe', 'cd Desktop']);
  });

  it('reads malfind blocks', () => {
    const text = [
      'Process: csrss.exe Pid: 564 Address: 0x7f6f0000',
      'Vad Tag: Vad  Protection: PAGE_EXECUTE_READWRITE',
      'Flags: CommitCharge: 62, PrivateMemory: 1, Protection: 6',
      '',
      '0x7f6f0000  c8 00 00 00 11 01 00 00 ff ee ff ee 08 70 00 00   .............p..',
      '',
      '0x7f6f0000 c8000000         ENTER 0x0, 0x0',
      '',
    ].join('\n');
    const run = onlyRun(parseVolatility(text, { name: 'out.txt' }));
    expect(run.kind).toBe('malfind');
    expect(value(run, 0, 'Start VPN')).toBe(0x7f6f0000n);
    expect(value(run, 0, 'CommitCharge')).toBe(62n);
    expect(value(run, 0, 'Tag')).toBe('Vad');
    expect(value(run, 0, 'Hexdump')).toBe('0x7f6f0000  c8 00 00 00 11 01 00 00 ff ee ff ee 08 70 00 00   .............p..');
    expect(value(run, 0, 'Disasm')).toBe('0x7f6f0000 c8000000         ENTER 0x0, 0x0');
  });

  it('reads getsids lines', () => {
    const text = 'System (4): S-1-5-18 (Local System)\nSystem (4): S-1-5-32-544 (Administrators)\n';
    const run = onlyRun(parseVolatility(text, { name: 'getsids.txt' }));
    expect(run.kind).toBe('getsids');
    expect(value(run, 1, 'SID')).toBe('S-1-5-32-544');
    expect(value(run, 1, 'Name')).toBe('Administrators');
  });

  it('reads svcscan blocks', () => {
    const text =
      'Offset: 0x6e1e90\nOrder: 1\nStart: SERVICE_SYSTEM_START\nProcess ID: -\nService Name: Abiosdsk\nDisplay Name: Abiosdsk\nService Type: SERVICE_KERNEL_DRIVER\nService State: SERVICE_STOPPED\nBinary Path: -\n\nOffset: 0x6e1f20\nOrder: 2\nStart: SERVICE_AUTO_START\nProcess ID: 1024\nService Name: Dhcp\nDisplay Name: DHCP Client\nService Type: SERVICE_WIN32_SHARE_PROCESS\nService State: SERVICE_RUNNING\nBinary Path: C:\\WINDOWS\\system32\\svchost.exe -k netsvcs\n';
    const run = onlyRun(parseVolatility(text, { name: 'svcscan.txt' }));
    expect(run.kind).toBe('svcscan');
    expect(run.rows).toHaveLength(2);
    expect(value(run, 0, 'PID')).toBeNull();
    expect(value(run, 1, 'PID')).toBe(1024n);
    expect(value(run, 1, 'Display')).toBe('DHCP Client');
    expect(value(run, 1, 'Binary')).toBe('C:\\WINDOWS\\system32\\svchost.exe -k netsvcs');
  });
});

describe('detectVolatility', () => {
  it('names the renderer, version, plugin and dialect', () => {
    expect(detectVolatility(CSV_ESCAPED, 'a.csv')).toMatchObject({
      renderer: 'csv',
      version: 3,
      kind: 'cmdline',
      dialect: 'backslash-escaped',
    });
    expect(detectVolatility(JSON_NAIVE_AND_AWARE, 'a.json')).toMatchObject({ renderer: 'json', version: 3, kind: 'pslist' });
    expect(detectVolatility('[]\n', 'netscan.json')).toMatchObject({ renderer: 'json', plugin: 'netscan', kind: 'netscan' });
    expect(detectVolatility(PSLIST_CUT_NAMES, 'x.txt')).toMatchObject({ renderer: 'text', version: 3, kind: 'pslist' });
    expect(
      detectVolatility(
        'vol.py -f img.raw --profile=WinXPSP2x86 connscan\nOffset(P)  Local Address             Remote Address            Pid\n---------- ------------------------- ------------------------- ---\n',
        'x.txt',
      ),
    ).toMatchObject({
      renderer: 'text',
      version: 2,
      plugin: 'connscan',
      kind: 'netscan',
      image: 'img.raw',
    });
  });

  it('rejects other content', () => {
    expect(detectVolatility('[]\n', 'list.json')).toBeNull();
    expect(detectVolatility('[{"a": 1}]', 'x.json')).toBeNull();
    expect(detectVolatility('name,value\n1,2\n', 'x.csv')).toBeNull();
    expect(detectVolatility('Volatility is a memory forensics framework.\nSee vol.py for details.\n', 'README.txt')).toBeNull();
    const result = parseVolatility('hello\n', { name: 'notes.txt' });
    expect(result.runs).toEqual([]);
    expect(result.issues[0]!.message).toContain('notes.txt: not recognised as Volatility output');
  });
});
