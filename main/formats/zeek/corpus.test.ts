// The parser against every Zeek file of the public evidence corpus: record counts,
// field lists and per-stream counts against ground-truth.json, and every record through
// the normalizer.

// biome-ignore lint/style/noRestrictedImports: the test reads corpus files in place; the parser itself stays pure
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusFile, corpusSkipReason, hasCorpus } from '../../../test/paths.ts';
import { normalizeZeek } from '../../normalize/zeek.ts';
import { detectZeek } from './detect.ts';
import { parseText } from './test-helpers.ts';
import { containerElementType } from './types.ts';

interface ZeekTruth {
  gzip: boolean;
  format: 'tsv' | 'json';
  rows: number;
  fields: string[];
  rows_wrong_width?: number;
  set_vector_fields?: string[];
  streams?: Record<string, number>;
  path?: string;
}

if (!hasCorpus) console.warn(`[skip] ${corpusSkipReason}`);

const truth: Record<string, ZeekTruth> = hasCorpus ? JSON.parse(readFileSync(corpusFile('ground-truth.json'), 'utf8')).zeek : {};

/**
 * Files whose right record count differs from ground-truth.json, with the reason. The
 * ground truth counts non-blank lines, but this baseline's script logs the string " "
 * three times (Zeek's testing/btest/scripts/base/frameworks/logging/ascii-escape-binary.zeek
 * makes 11 Log::write calls), so three records are lines holding one space.
 */
const COUNT_EXCEPTIONS: Record<string, number> = {
  'zeek/zeek-btest-baselines/scripts.base.frameworks.logging.ascii-escape-binary/test.log': 11,
};

function readText(relative: string, gzip: boolean): string {
  const bytes = readFileSync(corpusFile(relative));
  return (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
}

describe.skipIf(!hasCorpus)('Zeek corpus', () => {
  for (const [relative, expected] of Object.entries(truth)) {
    it(`parses ${relative}`, () => {
      const text = readText(relative, expected.gzip);
      const name = relative.split('/').pop()!;
      expect(detectZeek(text.slice(0, 65536), name)).toBe(expected.format);

      const parsed = parseText(text, { fileName: name });
      expect(parsed.summary.format).toBe(expected.format);
      expect(parsed.records).toHaveLength(COUNT_EXCEPTIONS[relative] ?? expected.rows);
      expect(parsed.summary.errors).toBe(0);

      const widthWarnings = parsed.issues.filter((issue) => issue.message.includes('fields but #fields'));
      expect(widthWarnings).toHaveLength(expected.rows_wrong_width ?? 0);

      // Test baselines replace times with X characters; every other file has real times.
      const btest = relative.includes('zeek-btest-baselines');
      const problems: string[] = [];
      for (const record of parsed.records) {
        const event = normalizeZeek(record);
        if (event.source !== 'zeek' || event.log !== record.path) problems.push(`line ${record.line}: source or log`);
        if (event.locator !== `line ${record.line}`) problems.push(`line ${record.line}: locator ${event.locator}`);
        if (event.message.length === 0 || /[\n\r]/.test(event.message)) problems.push(`line ${record.line}: message ${event.message}`);
        if (!btest && event.ts_micros === null) problems.push(`line ${record.line}: no time`);
        JSON.parse(event.data);
      }
      expect(problems).toEqual([]);

      if (expected.format === 'tsv') {
        expect(parsed.records[0]!.schema.names).toEqual(expected.fields);
        expect(parsed.records[0]!.path).toBe(expected.path);
        const containers = parsed.records[0]!.schema.names.filter((_, column) =>
          containerElementType(parsed.records[0]!.schema.types[column]!),
        );
        expect(containers).toEqual(expected.set_vector_fields ?? []);
      } else {
        const names = new Set(parsed.records.flatMap((record) => record.schema.names));
        expect([...names].sort()).toEqual([...expected.fields].sort());
        expect(parsed.summary.paths).toEqual(expected.streams);
      }
    });
  }

  it('counts every stream of the combined APT29 log', () => {
    const parsed = parseText(readText('zeek/otrf-apt29/combined_zeek.log', false), { fileName: 'combined_zeek.log' });
    expect(parsed.summary.paths).toEqual({
      conn: 613,
      files: 448,
      ssl: 378,
      x509: 378,
      dce_rpc: 123,
      http: 62,
      dns: 53,
      kerberos: 35,
      dpd: 12,
      smb_files: 12,
      weird: 12,
      smb_mapping: 11,
      notice: 2,
      pe: 1,
    });
    expect(parsed.summary.records).toBe(2140);
    expect(parsed.summary.errors).toBe(0);
    expect(parsed.summary.warnings).toBe(0);
  });

  it('reads the modbus row with too few fields', () => {
    const relative = 'zeek/zeek-btest-baselines/scripts.base.protocols.modbus.modbus_and_non_modbus_on_port_502/modbus.log';
    const parsed = parseText(readText(relative, false), { fileName: 'modbus.log' });
    const width = parsed.issues.filter((issue) => issue.message.includes('fields but #fields'));
    expect(width).toHaveLength(1);
    expect(width[0]!.severity).toBe('warning');
    const short = parsed.records.find((record) => record.line === width[0]!.line)!;
    expect(short.values.filter((value) => value !== null).length).toBeLessThan(11);
  });

  it('decodes the escape baselines', () => {
    const base = 'zeek/zeek-btest-baselines/scripts.base.frameworks.logging';
    const binary = parseText(readText(`${base}.ascii-escape-binary/test.log`, false));
    expect(binary.records.map((record) => record.values[0])).toEqual([
      'AB\u0000CD\u0000',
      'AB\\xffCD\u0000',
      'AB\\xffCD\u0000',
      ' ',
      'abc\\x00def',
      ' ',
      'abc\u0000def',
      ' ',
      'foo ® bar \\xc2\\xae baz',
      'foo\u0000bar\\0baz',
      'foo \u000e bar ^N baz',
    ]);
    const setSeparator = parseText(readText(`${base}.ascii-escape-set-separator/test.log`, false));
    expect(setSeparator.records[0]!.values[0]).toEqual([',', 'CC', ',,', 'AA']);
    const emptyString = parseText(readText(`${base}.ascii-escape-empty-str/test.log`, false));
    expect(emptyString.records[0]!.values[0]).toEqual(['EMPTY']);
    const notSet = parseText(readText(`${base}.ascii-escape-notset-str/test.log`, false));
    expect(notSet.records[0]!.values).toEqual(['-', null, '']);
    const comment = parseText(readText(`${base}.ascii-line-like-comment/test.log`, false));
    expect(comment.records.map((record) => record.values[0])).toEqual(['Test1', '#Kaputt', 'Test2']);
    const control = parseText(readText(`${base}.ascii-utf8-enabled-control-characters/test.log`, false));
    expect(control.records[0]!.values[0]).toBe('foo \n\t\u0000 bar');
    const types = parseText(readText(`${base}.types/ssh.log`, false));
    const ssh = types.records[0]!;
    expect(ssh.values.slice(0, 8)).toEqual([true, -42n, 'SSH::LOG', 21n, 123, '10.0.0.0/24', '1.2.3.4', 3.14]);
    expect(ssh.values[8]).toBeNull();
    expect(ssh.values.slice(9, 16)).toEqual([100_000_000n, 'hurz', [4n, 2n, 3n, 1n], ['CC', 'BB', 'AA'], [], [10n, 20n, 30n], []]);
    expect(types.issues).toHaveLength(1);
    expect(types.issues[0]!.message).toBe('line 10 field t: invalid time value "XXXXXXXXXX.XXXXXX"; stored as null');
  });

  it('decodes the odd URL with an invalid byte', () => {
    const relative = 'zeek/zeek-btest-baselines/scripts.base.frameworks.logging.ascii-escape-odd-url/http.log';
    const parsed = parseText(readText(relative, false));
    const uri = parsed.records[0]!.values[parsed.records[0]!.schema.index.get('uri')!];
    expect(uri).toBe(
      '/~cect/teoreetilised seminarid_2010/arheoloogia_uurimisr\\xfchma_seminar/Joyce et al - The Languages of Archaeology ~ Dialogue, Narrative and Writing.pdf',
    );
  });
});
