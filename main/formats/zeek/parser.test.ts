import { describe, expect, it } from 'vitest';
import { detectZeek } from './detect.ts';
import { decodeZeekEscapes } from './escape.ts';
import { ZeekParser, zeekPathFromFileName } from './parser.ts';
import { field, parseStream, parseText, tsvLog } from './test-helpers.ts';
import { formatIsoMicros, formatSecondsDecimal, parseDecimalMicros, parseIsoMicros, parseZeekTime } from './time.ts';
import { inferJsonFieldType, zeekColumnType } from './types.ts';

describe('TSV header directives', () => {
  it('reads the escaped tab separator and all markers', () => {
    const text = tsvLog({
      path: 'conn',
      fields: ['ts', 'uid', 'tags'],
      types: ['time', 'string', 'set[string]'],
      rows: [['1709287200.000001', 'C1', 'a,b']],
    });
    const { records, issues, summary } = parseText(text);
    expect(issues).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]!.path).toBe('conn');
    expect(records[0]!.line).toBe(9);
    expect(records[0]!.schema.names).toEqual(['ts', 'uid', 'tags']);
    expect(records[0]!.schema.types).toEqual(['time', 'string', 'set[string]']);
    expect(field(records[0], 'ts')).toBe(1709287200000001n);
    expect(field(records[0], 'tags')).toEqual(['a', 'b']);
    expect(summary.headerBlocks).toBe(1);
    expect(summary.records).toBe(1);
    expect(summary.errors).toBe(0);
  });

  it('uses a separator other than tab', () => {
    const text = ['#separator \\x7c', '#set_separator|;', '#path|custom', '#fields|a|b', '#types|string|set[count]', 'x|1;2'].join('\n');
    const { records, issues } = parseText(text);
    expect(issues).toEqual([]);
    expect(records[0]!.path).toBe('custom');
    expect(field(records[0], 'a')).toBe('x');
    expect(field(records[0], 'b')).toEqual([1n, 2n]);
  });

  it('takes custom set separator and markers', () => {
    const text = tsvLog({
      fields: ['s', 'v'],
      types: ['string', 'vector[string]'],
      setSeparator: ';',
      emptyField: 'EMPTY',
      unsetField: 'NULL',
      rows: [
        ['EMPTY', 'a;EMPTY;NULL'],
        ['-', '(empty)'],
        ['NULL', 'EMPTY'],
      ],
    });
    const { records, issues } = parseText(text);
    expect(issues).toEqual([]);
    expect(field(records[0], 's')).toBe('');
    expect(field(records[0], 'v')).toEqual(['a', '', null]);
    expect(field(records[1], 's')).toBe('-');
    expect(field(records[1], 'v')).toEqual(['(empty)']);
    expect(field(records[2], 's')).toBeNull();
    expect(field(records[2], 'v')).toEqual([]);
  });

  it('tolerates a missing #close', () => {
    const text = tsvLog({ fields: ['a'], types: ['count'], rows: [['1'], ['2']], close: false });
    const { records, issues } = parseText(text);
    expect(records).toHaveLength(2);
    expect(issues).toEqual([]);
  });

  it('ignores comment lines before the header', () => {
    const text = `### a comment written by a test tool\n${tsvLog({ fields: ['a'], types: ['count'], rows: [['7']] })}`;
    const { records, issues } = parseText(text);
    expect(issues).toEqual([]);
    expect(field(records[0], 'a')).toBe(7n);
  });

  it('accepts a space after #open', () => {
    const text = ['#separator \\x09', '#path\tx', '#open XXXX-XX-XX-XX-XX-XX', '#fields\ta', '#types\tcount', '5'].join('\n');
    const { records, issues } = parseText(text);
    expect(issues).toEqual([]);
    expect(field(records[0], 'a')).toBe(5n);
  });

  it('switches schema at a new #separator line', () => {
    const first = tsvLog({ path: 'conn', fields: ['ts', 'uid'], types: ['time', 'string'], rows: [['1.5', 'C1']] });
    const second = tsvLog({
      path: 'conn',
      fields: ['ts', 'uid', 'community_id'],
      types: ['time', 'string', 'string'],
      rows: [['2.25', 'C2', '1:abc=']],
    });
    const { records, issues, summary } = parseText(first + second);
    expect(issues).toEqual([]);
    expect(records).toHaveLength(2);
    expect(records[0]!.schema.names).toEqual(['ts', 'uid']);
    expect(records[1]!.schema.names).toEqual(['ts', 'uid', 'community_id']);
    expect(field(records[0], 'ts')).toBe(1_500_000n);
    expect(field(records[1], 'community_id')).toBe('1:abc=');
    expect(records[1]!.line).toBe(19);
    expect(summary.headerBlocks).toBe(2);
    expect(summary.notes).toContain('a new header block starts at line 11');
  });

  it('resets markers in a new header block', () => {
    const first = tsvLog({ fields: ['s'], types: ['string'], unsetField: 'NULL', rows: [['-']] });
    const second = tsvLog({ fields: ['s'], types: ['string'], rows: [['-']] });
    const { records } = parseText(first + second);
    expect(field(records[0], 's')).toBe('-');
    expect(field(records[1], 's')).toBeNull();
  });

  it('reads columns by name, not by position', () => {
    const withOrigin = tsvLog({
      path: 'http',
      fields: ['ts', 'user_agent', 'origin', 'status_code'],
      types: ['time', 'string', 'string', 'count'],
      rows: [['1', 'Mozilla/5.0', '-', '200']],
    });
    const withoutOrigin = tsvLog({
      path: 'http',
      fields: ['ts', 'user_agent', 'status_code'],
      types: ['time', 'string', 'count'],
      rows: [['1', 'Mozilla/5.0', '200']],
    });
    for (const text of [withOrigin, withoutOrigin]) {
      const { records } = parseText(text);
      expect(field(records[0], 'status_code')).toBe(200n);
      expect(field(records[0], 'user_agent')).toBe('Mozilla/5.0');
    }
  });

  it('names blank columns and notes them', () => {
    const text = ['#separator \\x09', '#fields\t\tuid\t', '#types\t\tstring\t', '\tC1\t'].join('\n');
    const { records, issues, summary } = parseText(text, { fileName: 'conn.log' });
    expect(records).toHaveLength(1);
    expect(records[0]!.schema.names).toEqual(['column1', 'uid', 'column3']);
    expect(field(records[0], 'uid')).toBe('C1');
    expect(records[0]!.path).toBe('conn');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.severity).toBe('warning');
    expect(issues[0]!.line).toBe(2);
    expect(issues[0]!.message).toContain('blank column names at positions 1, 3');
    expect(summary.notes).toHaveLength(1);
  });

  it('imports short and long rows with a warning', () => {
    const text = tsvLog({ fields: ['a', 'b', 'c'], types: ['count', 'string', 'string'], rows: [['1'], ['2', 'x', 'y', 'extra']] });
    const { records, issues, summary } = parseText(text);
    expect(records).toHaveLength(2);
    expect(records[0]!.values).toEqual([1n, null, null]);
    expect(records[1]!.values).toEqual([2n, 'x', 'y']);
    expect(issues.map((issue) => issue.line)).toEqual([9, 10]);
    expect(issues[0]!.message).toContain('line 9 has 1 fields but #fields at line 7 names 3');
    expect(issues[1]!.message).toContain('1 extra fields were dropped');
    expect(summary.warnings).toBe(2);
    expect(summary.errors).toBe(0);
  });

  it('reports data before any header', () => {
    const text = `orphan\tline\n${tsvLog({ fields: ['a'], types: ['count'], rows: [['1']] })}`;
    const { records, issues, summary } = parseText(text);
    expect(records).toHaveLength(1);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.severity).toBe('error');
    expect(issues[0]!.position).toBe('line 1');
    expect(issues[0]!.message).toContain('before any #fields header');
    expect(summary.errors).toBe(1);
  });

  it('reads every column as string without #types', () => {
    const text = ['#separator \\x09', '#path\tx', '#fields\ta\tb', '1\t2'].join('\n');
    const { records, issues } = parseText(text);
    expect(records[0]!.values).toEqual(['1', '2']);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('no #types header');
  });
});

describe('TSV markers and escapes', () => {
  const markerLog = (rows: string[][], markers: { emptyField?: string; unsetField?: string } = {}) =>
    tsvLog({
      fields: ['s', 'set', 'vec', 'n'],
      types: ['string', 'set[string]', 'vector[string]', 'count'],
      rows,
      ...markers,
    });

  it('tells empty from unset per field', () => {
    const { records } = parseText(markerLog([['(empty)', '(empty)', '-', '-']]));
    expect(records[0]!.values).toEqual(['', [], null, null]);
  });

  it('tells empty from unset per element', () => {
    const { records } = parseText(markerLog([['x', '(empty),a', 'b,-,(empty)', '1']]));
    expect(field(records[0], 'set')).toEqual(['', 'a']);
    expect(field(records[0], 'vec')).toEqual(['b', null, '']);
  });

  it('decodes escaped markers to literal text', () => {
    const { records } = parseText(markerLog([['\\x2d', '\\x28empty),\\x2d', '\\x2c,\\x2c\\x2c', '1']]));
    expect(field(records[0], 's')).toBe('-');
    expect(field(records[0], 'set')).toEqual(['(empty)', '-']);
    expect(field(records[0], 'vec')).toEqual([',', ',,']);
  });

  it('reads a one-element empty-string vector as empty', () => {
    // Zeek writes both [] and [""] as the empty marker, so both read back as [].
    const { records } = parseText(markerLog([['x', '(empty)', '(empty)', '1']]));
    expect(field(records[0], 'vec')).toEqual([]);
  });

  it('uses markers from the header', () => {
    const { records } = parseText(markerLog([['EMPTY', 'EMPTY', 'a,NULL', 'NULL']], { emptyField: 'EMPTY', unsetField: 'NULL' }));
    expect(records[0]!.values).toEqual(['', [], ['a', null], null]);
  });

  it('decodes escapes exactly once', () => {
    expect(decodeZeekEscapes('abc\\\\x00def')).toBe('abc\\x00def');
    expect(decodeZeekEscapes('abc\\x00def')).toBe('abc\u0000def');
    expect(decodeZeekEscapes('\\x5cx41')).toBe('\\x41');
    expect(decodeZeekEscapes('\\\\\\\\FS01\\\\share')).toBe('\\\\FS01\\share');
    expect(decodeZeekEscapes('plain')).toBe('plain');
  });

  it('decodes escaped UTF-8 and keeps invalid bytes visible', () => {
    expect(decodeZeekEscapes('foo \\xc2\\xae bar')).toBe('foo ® bar');
    expect(decodeZeekEscapes('\\xe2\\x82\\xac')).toBe('€');
    expect(decodeZeekEscapes('AB\\xffCD')).toBe('AB\\xffCD');
    expect(decodeZeekEscapes('r\\xfchma')).toBe('r\\xfchma');
    expect(decodeZeekEscapes('\\xc0\\xaf')).toBe('\\xc0\\xaf');
    expect(decodeZeekEscapes('\\xed\\xa0\\x80')).toBe('\\xed\\xa0\\x80');
    expect(decodeZeekEscapes('\\xc2')).toBe('\\xc2');
  });

  it('keeps a line that looks like a comment once decoded', () => {
    const { records } = parseText(tsvLog({ fields: ['data'], types: ['string'], rows: [['\\x23Kaputt']] }));
    expect(field(records[0], 'data')).toBe('#Kaputt');
  });
});

describe('TSV value types', () => {
  const typed = (type: string, raw: string) => {
    const { records, issues } = parseText(tsvLog({ fields: ['f'], types: [type], rows: [[raw]] }));
    return { value: field(records[0], 'f'), issues, record: records[0]! };
  };

  it('reads scalar types', () => {
    expect(typed('count', '18446744073709551615').value).toBe(18446744073709551615n);
    expect(typed('int', '-42').value).toBe(-42n);
    expect(typed('double', '3.14').value).toBe(3.14);
    expect(typed('double', '5e-07').value).toBe(0.0000005);
    expect(typed('port', '443').value).toBe(443);
    expect(typed('bool', 'T').value).toBe(true);
    expect(typed('bool', 'F').value).toBe(false);
    expect(typed('addr', '2001:db8::1').value).toBe('2001:db8::1');
    expect(typed('subnet', '10.0.0.0/24').value).toBe('10.0.0.0/24');
    expect(typed('enum', 'SSH::LOG').value).toBe('SSH::LOG');
    expect(typed('interval', '1.250000').value).toBe(1_250_000n);
    expect(typed('interval', '-0.000001').value).toBe(-1n);
    expect(typed('set[count]', '4,2').value).toEqual([4n, 2n]);
    expect(typed('vector[interval]', '1.0,-').value).toEqual([1_000_000n, null]);
  });

  it('nulls an invalid value with a warning', () => {
    const { value, issues } = typed('time', 'XXXXXXXXXX.XXXXXX');
    expect(value).toBeNull();
    expect(issues).toHaveLength(1);
    expect(issues[0]!.severity).toBe('warning');
    expect(issues[0]!.message).toBe('line 9 field f: invalid time value "XXXXXXXXXX.XXXXXX"; stored as null');
    expect(typed('count', '-1').value).toBeNull();
    expect(typed('port', '70000').value).toBeNull();
    expect(typed('bool', 'yes').value).toBeNull();
  });

  it('flags time notes on the record', () => {
    expect(typed('time', '2.385642e+09').record.timeNotes).toEqual([{ field: 'f', note: 'low-precision' }]);
    expect(typed('time', '-1.16444736e+10').record.timeNotes).toEqual([{ field: 'f', note: 'sentinel' }]);
    expect(typed('time', '2.385616957e+09').record.timeNotes).toEqual([]);
  });
});

describe('Zeek time text', () => {
  it('reads fixed point exactly', () => {
    expect(parseDecimalMicros('1709287200.000001')?.micros).toBe(1709287200000001n);
    expect(parseDecimalMicros('1709287200.123456')?.micros).toBe(1709287200123456n);
    expect(parseDecimalMicros('0.000000')?.micros).toBe(0n);
    expect(parseDecimalMicros('1709287200')?.micros).toBe(1709287200000000n);
  });

  it('reads pre-1970 times', () => {
    expect(parseDecimalMicros('-1.500000')?.micros).toBe(-1_500_000n);
    expect(formatIsoMicros(-1_500_000n)).toBe('1969-12-31T23:59:58.500000Z');
  });

  it('rounds beyond six decimals', () => {
    expect(parseDecimalMicros('1.0000005')?.micros).toBe(1_000_001n);
    expect(parseDecimalMicros('1.0000004')?.micros).toBe(1_000_000n);
  });

  it('reads exponent forms', () => {
    expect(parseZeekTime('2.385616957e+09')).toEqual({ micros: 2385616957000000n, note: null });
    expect(formatIsoMicros(2385616957000000n)).toBe('2045-08-06T07:22:37.000000Z');
    expect(parseZeekTime('2.385642e+09')).toEqual({ micros: 2385642000000000n, note: 'low-precision' });
    expect(formatIsoMicros(2385642000000000n)).toBe('2045-08-06T14:20:00.000000Z');
    expect(parseZeekTime('2.53402318799e+11')).toEqual({ micros: 253402318799000000n, note: null });
    expect(formatIsoMicros(253402318799000000n)).toBe('+010000-01-01T04:59:59.000000Z');
  });

  it('flags FILETIME zero as a sentinel', () => {
    expect(parseZeekTime('-1.16444736e+10')).toEqual({ micros: -11644473600000000n, note: 'sentinel' });
    expect(formatIsoMicros(-11644473600000000n)).toBe('1601-01-01T00:00:00.000000Z');
    expect(parseZeekTime('-1.164447e+10')).toEqual({ micros: -11644470000000000n, note: 'sentinel' });
    expect(parseZeekTime('-11644473600.000000')?.note).toBe('sentinel');
  });

  it('rejects text that is not a number', () => {
    expect(parseZeekTime('XXXXXXXXXX.XXXXXX')).toBeNull();
    expect(parseZeekTime('')).toBeNull();
    expect(parseZeekTime('.')).toBeNull();
    expect(parseZeekTime('1e999')).toBeNull();
  });

  it('reads ISO 8601 text', () => {
    expect(parseIsoMicros('2020-06-05T14:39:59.305988Z')).toEqual({ micros: 1591367999305988n, note: null });
    expect(parseIsoMicros('2020-06-05T16:39:59.305988+02:00')?.micros).toBe(1591367999305988n);
    expect(parseIsoMicros('2020-06-05T14:39:59')).toEqual({ micros: 1591367999000000n, note: 'no-zone' });
    expect(parseIsoMicros('+010000-01-01T04:59:59Z')?.micros).toBe(253402318799000000n);
    expect(parseIsoMicros('2021-02-29T00:00:00Z')).toBeNull();
  });

  it('formats seconds exactly', () => {
    expect(formatSecondsDecimal(1_250_000n)).toBe('1.25');
    expect(formatSecondsDecimal(-500_000n)).toBe('-0.5');
    expect(formatSecondsDecimal(3_000_000n)).toBe('3');
    expect(formatSecondsDecimal(1n)).toBe('0.000001');
  });
});

describe('JSON lines', () => {
  it('reads a flat record with the path from _path', () => {
    const line =
      '{"_path":"conn","ts":1709287200.000001,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":49152,"duration":1.25,"orig_bytes":517,"ok":true,"tags":["a","b"]}';
    const { records, issues } = parseText(line);
    expect(issues).toEqual([]);
    const record = records[0]!;
    expect(record.format).toBe('json');
    expect(record.path).toBe('conn');
    expect(field(record, 'ts')).toBe(1709287200000001n);
    expect(field(record, 'id.orig_p')).toBe(49152);
    expect(field(record, 'duration')).toBe(1_250_000n);
    expect(field(record, 'orig_bytes')).toBe(517n);
    expect(field(record, 'ok')).toBe(true);
    expect(field(record, 'tags')).toEqual(['a', 'b']);
    expect(record.schema.types).toEqual(['string', 'time', 'string', 'string', 'port', 'interval', 'int', 'bool', 'vector[string]']);
  });

  it('takes the path from @stream or the file name', () => {
    expect(parseText('{"@stream":"dns","ts":1,"uid":"C"}').records[0]!.path).toBe('dns');
    expect(parseText('{"ts":1,"uid":"C"}', { fileName: 'conn.09:00:00-10:00:00.log.gz' }).records[0]!.path).toBe('conn');
  });

  it('flattens nested objects with dots', () => {
    const { records } = parseText('{"ts":1,"id":{"orig_h":"10.0.0.1","orig_p":80},"bound":{"host":"h"},"bound_p":0}');
    expect(records[0]!.schema.names).toEqual(['ts', 'id.orig_h', 'id.orig_p', 'bound.host', 'bound_p']);
    expect(field(records[0], 'bound_p')).toBe(0);
  });

  it('keeps underscore scope names as written', () => {
    const { records } = parseText('{"ts":1,"id_orig_h":"10.0.0.1","times_modified":-11644473600}');
    expect(field(records[0], 'id_orig_h')).toBe('10.0.0.1');
    expect(field(records[0], 'times_modified')).toBe(-11644473600000000n);
    expect(records[0]!.timeNotes).toEqual([{ field: 'times_modified', note: 'sentinel' }]);
  });

  it('reads ISO 8601 times', () => {
    const { records } = parseText(
      '{"_path":"x509","ts":"2018-03-24T17:15:20.624556Z","certificate.not_valid_after":"2023-03-11T12:15:02.000000Z"}',
    );
    expect(field(records[0], 'ts')).toBe(1521911720624556n);
    expect(field(records[0], 'certificate.not_valid_after')).toBe(1678536902000000n);
  });

  it('reads epoch milliseconds', () => {
    const { records } = parseText('{"ts":1709287200123,"uid":"C1","_write_ts":1709287200999,"duration":1.5}');
    expect(field(records[0], 'ts')).toBe(1709287200123000n);
    expect(field(records[0], '_write_ts')).toBe(1709287200999000n);
    expect(field(records[0], 'duration')).toBe(1_500_000n);
  });

  it('keeps 64-bit integers exact', () => {
    const { records } = parseText('{"ts":1,"big":18446744073709551615,"signed":9007199254740993}');
    expect(field(records[0], 'big')).toBe(18446744073709551615n);
    expect(records[0]!.schema.types[1]).toBe('count');
    expect(field(records[0], 'signed')).toBe(9007199254740993n);
  });

  it('keeps duplicate and unknown keys', () => {
    const { records, issues } = parseText('{"ts":1,"x":1,"x":2,"custom_thing":"y"}');
    expect(records[0]!.schema.names).toEqual(['ts', 'x', 'x', 'custom_thing']);
    expect(records[0]!.values).toEqual([1_000_000n, 1n, 2n, 'y']);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('key "x" appears more than once');
  });

  it('reports a bad line and goes on', () => {
    const text = ['{"ts":1,"uid":"A"}', '{"ts":2,"uid":', '[1,2]', '', '{"ts":3,"uid":"B"}'].join('\n');
    const { records, issues, summary } = parseText(text);
    expect(records.map((record) => field(record, 'uid'))).toEqual(['A', 'B']);
    expect(issues.map((issue) => [issue.severity, issue.line])).toEqual([
      ['error', 2],
      ['error', 3],
    ]);
    expect(issues[0]!.message).toContain('line 2 is not a JSON object');
    expect(summary.errors).toBe(2);
  });

  it('reads small doubles and escaped strings', () => {
    const { records } = parseText('{"ts":1,"percent_lost":5e-07,"msg":"a\\tb \\u00e9"}');
    expect(field(records[0], 'percent_lost')).toBe(0.0000005);
    expect(field(records[0], 'msg')).toBe('a\tb é');
  });
});

describe('truncated input', () => {
  async function* source(lines: string[], failAtEnd: boolean) {
    for (const [index, text] of lines.entries()) {
      yield { text, number: index + 1, terminated: index < lines.length - 1 };
    }
    if (failAtEnd) throw new Error('unexpected end of file');
  }

  it('reports a cut last line as truncated', async () => {
    const lines = tsvLog({
      fields: ['a', 'b'],
      types: ['count', 'string'],
      rows: [
        ['1', 'x'],
        ['2', 'y'],
      ],
      close: false,
    })
      .trimEnd()
      .split('\n');
    lines.push('3\tpart');
    const result = await parseStream(source(lines, true));
    expect(result.records).toHaveLength(2);
    expect((result.failure as Error).message).toBe('unexpected end of file');
    expect(result.summary.truncatedLines).toBe(1);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.line).toBe(11);
    expect(result.issues[0]!.severity).toBe('error');
    expect(result.issues[0]!.message).toContain('line 11 is incomplete');
  });

  it('parses a last line without newline when the data ends cleanly', async () => {
    const lines = tsvLog({ fields: ['a'], types: ['count'], rows: [['1'], ['2']], close: false })
      .trimEnd()
      .split('\n');
    const result = await parseStream(source(lines, false));
    expect(result.failure).toBeNull();
    expect(result.records).toHaveLength(2);
    expect(result.issues).toEqual([]);
  });

  it('marks a line truncated through pushLine', () => {
    const issues: string[] = [];
    const parser = new ZeekParser({ onIssue: (issue) => issues.push(issue.message) });
    expect(parser.pushLine('{"ts":1,"uid":', 4, { truncated: true })).toBeNull();
    expect(parser.finish().truncatedLines).toBe(1);
    expect(issues).toHaveLength(1);
  });
});

describe('detectZeek', () => {
  it('detects TSV by its header', () => {
    expect(detectZeek('#separator \\x09\n#set_separator\t,\n', 'conn.log')).toBe('tsv');
    expect(detectZeek('### BTest baseline\n#separator \\x09\n', 'x')).toBe('tsv');
    expect(detectZeek('#fields\tts\tuid\n1\tC\n', 'cut.txt')).toBe('tsv');
  });

  it('detects Zeek JSON by its keys', () => {
    expect(detectZeek('{"_path":"conn","ts":1,"uid":"C"}\n', 'a')).toBe('json');
    expect(detectZeek('{"@stream":"conn","ts":1}\n', 'a')).toBe('json');
    expect(detectZeek('{"ts":1,"id_orig_h":"10.0.0.1"}\n', 'a')).toBe('json');
    expect(detectZeek('{"ts":1,"id":{"orig_h":"10.0.0.1"}}\n', 'a')).toBe('json');
    expect(detectZeek('{"ts":"2020-01-01T00:00:00Z","id":"Fa1"}\n', 'a')).toBe('json');
  });

  it('rejects Windows event and Volatility JSON', () => {
    expect(detectZeek('{"ts":1,"uid":"x","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"}\n', 'a.json')).toBeNull();
    expect(detectZeek('{"@timestamp":"x","ts":1,"id":"a","winlog":{"event_id":1}}\n', 'a.json')).toBeNull();
    expect(detectZeek('{"Event":{"System":{"EventID":4624}}}\n', 'a.json')).toBeNull();
    expect(detectZeek('[{"PID":4,"ImageFileName":"System","__children":[]}]\n', 'a.json')).toBeNull();
    expect(detectZeek('{"PID":4,"ts":1,"id":2,"__children":[]}\n', 'a.json')).toBeNull();
  });

  it('rejects other text', () => {
    expect(detectZeek('hello\n', 'conn.log')).toBeNull();
    expect(detectZeek('{"ts":1,"value":2}\n', 'a.json')).toBeNull();
    expect(detectZeek('', 'conn.log')).toBeNull();
  });

  it('uses the name for a first line cut by the head', () => {
    expect(detectZeek('{"_path":"conn","ts":1,"uid":"C1","history":"ShAD', 'conn.log')).toBe('json');
    expect(detectZeek('{"_path":"conn","ts":1,"uid":"C1","history":"ShAD', 'notes.txt')).toBeNull();
  });
});

describe('type mapping', () => {
  it('maps Zeek types to column types', () => {
    expect(zeekColumnType('time')).toBe('TIMESTAMP');
    expect(zeekColumnType('interval')).toBe('INTERVAL');
    expect(zeekColumnType('count')).toBe('UBIGINT');
    expect(zeekColumnType('int')).toBe('BIGINT');
    expect(zeekColumnType('double')).toBe('DOUBLE');
    expect(zeekColumnType('port')).toBe('USMALLINT');
    expect(zeekColumnType('bool')).toBe('BOOLEAN');
    for (const type of ['addr', 'subnet', 'string', 'enum', 'pattern', 'func']) expect(zeekColumnType(type)).toBe('VARCHAR');
    expect(zeekColumnType('set[string]')).toBe('VARCHAR[]');
    expect(zeekColumnType('vector[count]')).toBe('UBIGINT[]');
    expect(zeekColumnType('set[addr]')).toBe('VARCHAR[]');
    expect(zeekColumnType('vector[interval]')).toBe('INTERVAL[]');
    expect(zeekColumnType('set[port]')).toBe('BIGINT[]');
  });

  it('infers JSON field types', () => {
    expect(inferJsonFieldType('ts', 1.5)).toBe('time');
    expect(inferJsonFieldType('certificate_not_valid_after', 'x')).toBe('time');
    expect(inferJsonFieldType('duration', 0.5)).toBe('interval');
    expect(inferJsonFieldType('id.orig_p', 443)).toBe('port');
    expect(inferJsonFieldType('orig_bytes', 517)).toBe('int');
    expect(inferJsonFieldType('percent', 0.5)).toBe('double');
    expect(inferJsonFieldType('ok', true)).toBe('bool');
    expect(inferJsonFieldType('answers', ['a'])).toBe('vector[string]');
    expect(inferJsonFieldType('TTLs', [1.5])).toBe('vector[double]');
    expect(inferJsonFieldType('x', null)).toBe('string');
  });
});

describe('zeekPathFromFileName', () => {
  it('derives the path from rotated names', () => {
    expect(zeekPathFromFileName('conn.09:00:00-10:00:00.log.gz')).toBe('conn');
    expect(zeekPathFromFileName('logs/2024-03-01/dns.log')).toBe('dns');
    expect(zeekPathFromFileName('C:\\logs\\http.2024-03-01-10-00-00.log')).toBe('http');
    expect(zeekPathFromFileName('')).toBeNull();
  });
});
