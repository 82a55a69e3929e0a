// The Volatility parsers against the public evidence corpus: every file parses, and row
// counts match ground-truth.json. Volatility 3 text counts rows per run, and the
// continuation lines of multi-line malfind and mbrscan values are not rows. JSON counts
// every node including nested `__children`. Volatility 2 block formats count their blocks.

// biome-ignore lint/style/noRestrictedImports: the test reads corpus files in place; the parser itself stays pure
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile, corpusSkipReason, hasCorpus } from '../../../test/paths.ts';
import { parseVolatility } from './index.ts';
import type { VolParseResult } from './types.ts';

interface TruthSection {
  vol_version: string;
  plugin: string;
  header: string[];
  rows: number;
  separator: string;
}

interface TruthEntry {
  file: string;
  format: 'vol2-text-table' | 'vol2-text-blocks' | 'vol3-json' | 'vol3-text';
  rows?: number;
  nodes_including_children?: number;
  max_depth?: number;
  columns?: string[];
  markers?: Record<string, number>;
  sections?: TruthSection[];
}

if (!hasCorpus) console.warn(`[skip] ${corpusSkipReason}`);

const truth: Record<string, TruthEntry> = hasCorpus ? JSON.parse(readFileSync(corpusFile('ground-truth.json'), 'utf8')).volatility : {};

const parsed = new Map<string, VolParseResult>();
function parse(file: string): VolParseResult {
  let result = parsed.get(file);
  if (!result) {
    result = parseVolatility(readFileSync(corpusFile(file), 'utf8'), { name: file.split('/').pop()! });
    parsed.set(file, result);
  }
  return result;
}

describe.skipIf(!hasCorpus)('Volatility corpus', () => {
  const entries = Object.values(truth);

  it('lists Volatility files in the ground truth', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  describe.each(entries.filter((entry) => entry.format === 'vol3-text'))('$file', (entry) => {
    it('has one run per plugin invocation with the expected rows', () => {
      const { runs } = parse(entry.file);
      expect(runs.map((run) => [run.plugin, run.rows.length])).toEqual(entry.sections!.map((section) => [section.plugin, section.rows]));
    });

    it('reads the release and the tab-separated header of each run', () => {
      const { runs } = parse(entry.file);
      entry.sections!.forEach((section, index) => {
        const run = runs[index]!;
        expect(run.version).toBe(3);
        expect(run.release).toBe(section.vol_version);
        if (section.rows === 0) return;
        const sources = run.columns.flatMap((column) => (column.source === null ? [] : [column.source]));
        expect(sources.sort()).toEqual([...section.header].sort());
      });
    });
  });

  describe.each(entries.filter((entry) => entry.format === 'vol3-json'))('$file', (entry) => {
    it('counts every node including children', () => {
      const [run, ...others] = parse(entry.file).runs;
      expect(others).toHaveLength(0);
      expect(run!.renderer).toBe('json');
      expect(run!.rows).toHaveLength(entry.nodes_including_children!);
      expect(run!.rows.filter((row) => row.depth === 0)).toHaveLength(entry.rows!);
      const deepest = run!.rows.reduce((max, row) => Math.max(max, row.depth + 1), 0);
      expect(deepest).toBe(entry.max_depth);
    });

    it('keeps every JSON key as a column', () => {
      const run = parse(entry.file).runs[0]!;
      const sources = run.columns.flatMap((column) => (column.source === null ? [] : [column.source]));
      expect(sources.sort()).toEqual(entry.columns!.filter((name) => name !== '__children').sort());
    });
  });

  describe.each(entries.filter((entry) => entry.format === 'vol2-text-table'))('$file', (entry) => {
    it('reads the table rows', () => {
      const { runs, issues } = parse(entry.file);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.version).toBe(2);
      expect(runs[0]!.rows).toHaveLength(entry.rows!);
      expect(issues).toEqual([]);
    });
  });

  describe.each(entries.filter((entry) => entry.format === 'vol2-text-blocks'))('$file', (entry) => {
    it('reads one row per block or module', () => {
      const [run, ...others] = parse(entry.file).runs;
      expect(others).toHaveLength(0);
      const markers = entry.markers!;
      if ('dlllist_modules' in markers) {
        expect(run!.plugin).toBe('dlllist');
        expect(run!.blocks).toBe(markers.dlllist_processes);
        expect(run!.rows).toHaveLength(markers.dlllist_modules!);
      } else {
        const [[marker, count]] = Object.entries(markers) as [[string, number]];
        const plugin = { cmdscan_blocks: 'cmdscan', console_blocks: 'consoles', malfind_regions: 'malfind' }[marker];
        expect(run!.plugin).toBe(plugin);
        expect(run!.blocks).toBe(count);
        expect(run!.rows).toHaveLength(count);
      }
    });
  });
});

describe.skipIf(!hasCorpus)('Volatility corpus values', () => {
  const column = (file: string, runIndex: number, rowIndex: number, name: string) => {
    const run = parse(file).runs[runIndex]!;
    const row = run.rows[rowIndex]!;
    return { value: row.values[run.columns.findIndex((candidate) => candidate.name === name)], row, run };
  };

  it('splits malfind text into Hexdump and Disasm', () => {
    const file = 'volatility/vol3-text/ram-image/malfind.txt';
    const hexdump = column(file, 6, 0, 'Hexdump');
    expect(hexdump.row.line).toBe(47367);
    expect(hexdump.value).toBe(
      [
        '56 57 53 55 41 54 41 55\tVWSUATAU',
        '41 56 41 57 48 83 ec 28\tAVAWH..(',
        '4c 8d 3c 24 48 8b e9 48\tL.<$H..H',
        '8d b1 98 38 00 00 ff e2\t...8....',
        '49 8d 67 28 41 5f 41 5e\tI.g(A_A^',
        '41 5d 41 5c 5d 5b 5f 5e\tA]A\\][_^',
        'c3 00 00 40 00 80 00 00\t...@....',
        '00 48 89 e9 48 b8 90 0e\t.H..H...',
      ].join('\n'),
    );
    const disasm = column(file, 6, 0, 'Disasm').value as string;
    expect(disasm.split('\n')[0]).toBe('0x245e5800000:\tpush\trsi');
    expect(column(file, 6, 0, 'Start VPN').value).toBe(0x245e5800000n);
  });

  it('reports the tracebacks and the run without a header', () => {
    const { issues } = parse('volatility/vol3-text/ram-image/malfind.txt');
    expect(issues.map((issue) => issue.line)).toEqual([47130, 47132, 47133, 47280]);
    expect(issues[3]!.message).toContain("UnicodeEncodeError: 'charmap' codec can't encode characters");
  });

  it('records the memory image from the saved command line', () => {
    const run = parse('volatility/vol3-text/ram-image/netscan.txt').runs[0]!;
    expect(run.image).toBe('C:\\Users\\technopc\\Desktop\\volatility3\\20240516.mem');
  });

  it('splits netscan columns that a console expanded to spaces', () => {
    const file = 'volatility/vol3-text/ram-image/netscan.txt';
    expect(column(file, 0, 0, 'Owner').value).toBe('PhoneExperienc');
    expect(column(file, 0, 0, 'State').value).toBeNull();
    expect(column(file, 0, 0, 'PID').value).toBe(13096n);
    const created = column(file, 0, 0, 'Created');
    expect(created.value).toBe(1715855623000000n);
    expect(created.row.timeNotes.Created).toBe('no-zone');
  });

  it('builds the pstree hierarchy from star prefixes', () => {
    const run = parse('volatility/vol3-text/ram-image/pstree.txt').runs[0]!;
    const smss = run.rows[1]!;
    expect(smss.depth).toBe(1);
    expect(smss.parent).toBe(0);
    expect(smss.values[run.columns.findIndex((candidate) => candidate.name === 'PID')]).toBe(600n);
  });

  it('reads Volatility 2 pstree dots as depth', () => {
    const file = 'volatility/vol2-text/memory-forensics-gozi/pstree.txt';
    const lsass = column(file, 0, 4, 'ImageFileName');
    expect(lsass.value).toBe('lsass.exe');
    expect(lsass.row.depth).toBe(3);
    expect(column(file, 0, 4, 'Offset(V)').value).toBe(0x81f52020n);
    expect(column(file, 0, 4, 'CreateTime').value).toBe(1273058701000000n);
    expect(column(file, 0, 0, 'CreateTime').row.timeNotes.CreateTime).toBe('sentinel');
  });

  it('splits Volatility 2 connscan endpoints', () => {
    const file = 'volatility/vol2-text/memory-forensics-gozi/connscanlist.txt';
    expect(column(file, 0, 1, 'LocalAddr').value).toBe('77.57.180.189');
    expect(column(file, 0, 1, 'LocalPort').value).toBe(1261);
    expect(column(file, 0, 1, 'ForeignAddr').value).toBe('95.100.44.20');
    expect(column(file, 0, 1, 'ForeignPort').value).toBe(80);
    expect(column(file, 0, 1, 'PID').value).toBe(2836n);
  });

  it('keeps Volatility 2 dash placeholders as null with the reason', () => {
    const file = 'volatility/vol2-text/memory-forensics-gozi/processlist.txt';
    const system = column(file, 0, 0, 'SessionId');
    expect(system.value).toBeNull();
    expect(system.row.nullReasons.SessionId).toBe('------');
  });
});
