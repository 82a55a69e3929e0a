// malfind region grades: the Hexdump and Disasm layouts of each Volatility renderer,
// then every row of the corpus malfind outputs against its raw bytes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile, hasCorpus } from '../../../test/paths.ts';
import { parseVolatility } from '../../formats/volatility/index.ts';
import type { VolRun } from '../../formats/volatility/types.ts';
import { gradeMalfindRegion, hexdumpBytes } from './malfind.ts';

const ZERO_LINE = '00 00 00 00 00 00 00 00\t........';

describe('malfind hexdump bytes', () => {
  it('reads Volatility 3 text lines with their ASCII column', () => {
    expect(hexdumpBytes('fc 48 83 e4 f0 e8 c8 00\t.H......\n00 00 41 51 41 50 52 51\t..AQAPRQ')).toEqual([
      0xfc, 0x48, 0x83, 0xe4, 0xf0, 0xe8, 0xc8, 0x00, 0x00, 0x00, 0x41, 0x51, 0x41, 0x50, 0x52, 0x51,
    ]);
  });

  it('reads the quoted JSON layout', () => {
    expect(hexdumpBytes(`"\n${ZERO_LINE}\n4d 5a 90 00 03 00 00 00\tMZ......"`)).toHaveLength(16);
    expect(hexdumpBytes('00 00 c0 43')).toEqual([0, 0, 0xc0, 0x43]);
  });

  it('reads Volatility 2 lines after the address', () => {
    expect(hexdumpBytes('0x7f6f0000  c8 00 00 00 11 01 00 00 ff ee ff ee 08 70 00 00   .............p..')).toEqual([
      0xc8, 0, 0, 0, 0x11, 0x01, 0, 0, 0xff, 0xee, 0xff, 0xee, 0x08, 0x70, 0, 0,
    ]);
  });

  it('ignores an ASCII column that looks like hex', () => {
    expect(hexdumpBytes('0x00960000  61 62 20 63 64   ab cd')).toEqual([0x61, 0x62, 0x20, 0x63, 0x64]);
  });

  it('returns no bytes for empty text', () => {
    expect(hexdumpBytes('')).toEqual([]);
    expect(hexdumpBytes('""')).toEqual([]);
    expect(hexdumpBytes(null)).toEqual([]);
  });
});

describe('malfind region grade', () => {
  it('grades an MZ header as injected code', () => {
    const grade = gradeMalfindRegion('4d 5a 90 00 03 00 00 00\tMZ......', '0x1f0000:\tdec\tebp');
    expect(grade.content).toBe('pe');
    expect(grade.severity).toBe('high');
    expect(grade.reason).toBe('injected code: the region starts with an MZ header (4d 5a 90 00 03 00 00 00)');
  });

  it('grades non-zero bytes as injected code', () => {
    const grade = gradeMalfindRegion(`${ZERO_LINE}\nfc 48 83 e4 f0 e8 c8 00\t.H......`, null);
    expect(grade.content).toBe('code');
    expect(grade.severity).toBe('high');
    expect(grade.reason).toBe('injected code: non-zero bytes from offset 0x8: fc 48 83 e4 f0 e8 c8 00');
  });

  it('grades a region of zeros as low', () => {
    const grade = gradeMalfindRegion(`"\n${ZERO_LINE}\n${ZERO_LINE}"`, '"\n0x37560000:\tadd\tbyte ptr [rax], al"');
    expect(grade.content).toBe('zeros');
    expect(grade.severity).toBe('low');
    expect(grade.reason).toBe('RWX region of zeros, often benign (JIT, Defender)');
  });

  it('reads hex Disasm when the Hexdump is missing', () => {
    expect(gradeMalfindRegion(null, '"00 00 00 00 00 00"').content).toBe('zeros');
    expect(gradeMalfindRegion('', '"e9 fb 03 24 00 00"').content).toBe('code');
  });

  it('reads instructions when no bytes are printed', () => {
    expect(gradeMalfindRegion(null, '0x1000:\tadd\tbyte ptr [rax], al\n0x1002:\tadd\tbyte ptr [rax], al').content).toBe('zeros');
    expect(gradeMalfindRegion(null, '0x7f6f0034 0000             ADD [EAX], AL').content).toBe('zeros');
    const code = gradeMalfindRegion(null, '0x960000 55               PUSH EBP\n0x960001 8bec             MOV EBP, ESP');
    expect(code.content).toBe('code');
    expect(code.reason).toBe('injected code: first instruction PUSH EBP');
  });

  it('grades a region without bytes as low', () => {
    const grade = gradeMalfindRegion(null, null);
    expect(grade.content).toBe('empty');
    expect(grade.severity).toBe('low');
    expect(gradeMalfindRegion('', '').content).toBe('empty');
  });
});

function parseCorpus(file: string): VolRun[] {
  return parseVolatility(readFileSync(corpusFile(file), 'utf8'), { name: file.split('/').pop()! }).runs.filter(
    (run) => run.kind === 'malfind',
  );
}

function cell(run: VolRun, row: number, name: string): string | null {
  const value = run.rows[row]!.values[run.columns.findIndex((column) => column.name === name)];
  return value === undefined || value === null ? null : String(value);
}

describe.skipIf(!hasCorpus)('malfind grades of the corpus outputs', () => {
  it('grades each Volatility 3 JSON row by its raw bytes', () => {
    const file = 'volatility/vol3-json/forensic-platform/malfind.json';
    const raw = JSON.parse(readFileSync(corpusFile(file), 'utf8')) as { Hexdump: string; Process: string }[];
    const [run] = parseCorpus(file);
    expect(run!.rows).toHaveLength(raw.length);
    let zeros = 0;
    raw.forEach((row, index) => {
      const allZero =
        row.Hexdump.trim() !== '' &&
        row.Hexdump.trim()
          .split(/\s+/)
          .every((pair) => pair === '00');
      if (allZero) zeros++;
      const grade = gradeMalfindRegion(cell(run!, index, 'Hexdump'), cell(run!, index, 'Disasm'));
      expect(grade.content, `row ${index} (${row.Process})`).toBe(allZero ? 'zeros' : 'code');
    });
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(raw.length);
  });

  it('grades the Defender regions of Volatility 3 text', () => {
    const runs = parseCorpus('volatility/vol3-text/ram-image/malfind.txt');
    const run = runs.find((candidate) => candidate.rows.length > 0)!;
    expect(cell(run, 0, 'Process')).toBe('MsMpEng.exe');
    // The first MsMpEng.exe region starts with push rsi; push rdi (56 57).
    const grade = gradeMalfindRegion(cell(run, 0, 'Hexdump'), cell(run, 0, 'Disasm'));
    expect(grade.reason).toBe('injected code: non-zero bytes 56 57 53 55 41 54 41 55 …');
  });

  it('grades the Volatility 2 blocks', () => {
    const [run] = parseCorpus('volatility/vol2-text/memory-forensics-gozi/malfind.txt');
    expect(cell(run!, 1, 'Process')).toBe('services.exe');
    const grade = gradeMalfindRegion(cell(run!, 1, 'Hexdump'), cell(run!, 1, 'Disasm'));
    expect(grade.reason).toBe('injected code: non-zero bytes 55 8b ec ba 95 39 7f b8 …');
  });
});
