// Zeek inputs that broke other importers: markers and escapes, times in exponent form,
// schemas taken from the header, and a gzip stream cut short. Each behaviour is tested
// once on an input written here and once on the matching field case read in place.

// biome-ignore lint/style/noRestrictedImports: the test reads field cases in place; the parser itself stays pure
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fieldCase, fieldCasesSkipReason, hasFieldCases } from '../../../test/paths.ts';
import { readLines } from '../../ingest/lines.ts';
import { normalizeZeek } from '../../normalize/zeek.ts';
import { field, type ParsedText, parseStream, parseText, tsvLog } from './test-helpers.ts';
import { formatIsoMicros } from './time.ts';

if (!hasFieldCases) console.warn(`[skip] ${fieldCasesSkipReason}`);

function readCase(name: string): ParsedText {
  return parseText(readFileSync(fieldCase(name), 'utf8'), { fileName: name });
}

function caseExists(name: string): boolean {
  return hasFieldCases && existsSync(fieldCase(name));
}

// ------------------------------------------------------------- markers

const HTTP_FIELDS = ['ts', 'uid', 'host', 'uri', 'user_agent', 'tags', 'resp_mime_types', 'username'];
const HTTP_TYPES = ['time', 'string', 'string', 'string', 'string', 'set[enum]', 'vector[string]', 'string'];

function checkMarkerRows(parsed: ParsedText, customMarkers: boolean): void {
  const [first, second, third] = parsed.records;
  expect(parsed.records).toHaveLength(3);
  expect(parsed.summary.errors).toBe(0);
  expect(parsed.summary.warnings).toBe(0);

  expect(field(first, 'user_agent')).toBe('');
  expect(field(first, 'tags')).toEqual([]);
  expect(field(first, 'resp_mime_types')).toBeNull();
  expect(field(first, 'username')).toBeNull();

  expect(field(second, 'uri')).toBe(customMarkers ? '/(empty)' : '(empty)');
  expect(field(second, 'user_agent')).toBe('-');
  expect(field(second, 'tags')).toBeNull();
  expect(field(second, 'resp_mime_types')).toEqual(['', 'text/html']);
  expect(field(second, 'username')).toBe('');

  expect(field(third, 'host')).toBeNull();
  expect(field(third, 'tags')).toEqual([]);
  expect(field(third, 'resp_mime_types')).toEqual(['text/plain', null]);
}

describe('empty and unset markers', () => {
  it('decodes default markers per element', () => {
    const text = tsvLog({
      path: 'http',
      fields: HTTP_FIELDS,
      types: HTTP_TYPES,
      rows: [
        ['1.1', 'C1', 'h.test', '/1', '(empty)', '(empty)', '-', '-'],
        ['1.2', 'C2', 'h.test', '\\x28empty)', '\\x2d', '-', '(empty),text/html', '(empty)'],
        ['1.3', 'C3', '-', '/3', 'agent', '(empty)', 'text/plain,-', 'u'],
      ],
    });
    checkMarkerRows(parseText(text), false);
  });

  it('decodes custom markers per element', () => {
    const text = tsvLog({
      path: 'http',
      fields: HTTP_FIELDS,
      types: HTTP_TYPES,
      emptyField: 'EMPTY',
      unsetField: 'NULL',
      rows: [
        ['1.1', 'C1', 'h.test', '/1', 'EMPTY', 'EMPTY', 'NULL', 'NULL'],
        ['1.2', 'C2', 'h.test', '/(empty)', '-', 'NULL', 'EMPTY,text/html', 'EMPTY'],
        ['1.3', 'C3', 'NULL', '/3', 'agent', 'EMPTY', 'text/plain,NULL', 'u'],
      ],
    });
    checkMarkerRows(parseText(text), true);
  });

  it.skipIf(!caseExists('B14_zeek_http_empty_unset_markers.log'))('reads the default-marker field case', () => {
    checkMarkerRows(readCase('B14_zeek_http_empty_unset_markers.log'), false);
  });

  it.skipIf(!caseExists('B14_zeek_http_custom_markers.log'))('reads the custom-marker field case', () => {
    checkMarkerRows(readCase('B14_zeek_http_custom_markers.log'), true);
  });
});

// ------------------------------------------------------------- times

function checkCertificateTimes(parsed: ParsedText): void {
  expect(parsed.records).toHaveLength(3);
  expect(parsed.summary.errors).toBe(0);
  const expiry = parsed.records.map((record) => field(record, 'certificate.not_valid_after') as bigint);
  expect(expiry.map(formatIsoMicros)).toEqual([
    '2045-08-06T07:22:37.000000Z',
    '2045-08-06T14:20:00.000000Z',
    '+010000-01-01T04:59:59.000000Z',
  ]);
  expect(parsed.records[0]!.timeNotes).toEqual([]);
  expect(parsed.records[1]!.timeNotes).toEqual([{ field: 'certificate.not_valid_after', note: 'low-precision' }]);
  expect(parsed.records[2]!.timeNotes).toEqual([]);
}

function checkSmbTimes(parsed: ParsedText): void {
  expect(parsed.records).toHaveLength(2);
  expect(parsed.summary.errors).toBe(0);
  const [zero, normal] = parsed.records;
  const timeFields = ['times.modified', 'times.accessed', 'times.created', 'times.changed'];
  for (const name of timeFields) {
    expect(formatIsoMicros(field(zero, name) as bigint)).toBe('1601-01-01T00:00:00.000000Z');
  }
  expect(zero!.timeNotes).toEqual(timeFields.map((name) => ({ field: name, note: 'sentinel' })));
  expect(normal!.timeNotes).toEqual([]);
  expect(field(zero, 'path')).toBe('\\\\FS01\\share');
  expect(field(normal, 'times.modified')).toBe(1709200000123456n);
}

function checkSmallDoubles(parsed: ParsedText): void {
  expect(parsed.summary.errors).toBe(0);
  expect(parsed.records.map((record) => field(record, 'percent_lost'))).toEqual([0.0000005, 0, 12.5]);
  expect(field(parsed.records[0], 'ts_delta')).toBe(900_000_005n);
}

describe('times in exponent form', () => {
  it('reads certificate expiry forms', () => {
    const text = tsvLog({
      path: 'x509',
      fields: ['ts', 'certificate.not_valid_after'],
      types: ['time', 'time'],
      rows: [
        ['1600000000.000000', '2.385616957e+09'],
        ['1600000001.000000', '2.385642e+09'],
        ['1600000002.000000', '2.53402318799e+11'],
      ],
    });
    checkCertificateTimes(parseText(text));
  });

  it('flags FILETIME zero in SMB times', () => {
    const zero = '-1.16444736e+10';
    const text = tsvLog({
      path: 'smb_files',
      fields: ['ts', 'path', 'name', 'times.modified', 'times.accessed', 'times.created', 'times.changed'],
      types: ['time', 'string', 'string', 'time', 'time', 'time', 'time'],
      rows: [
        ['1600000000.000000', '\\\\\\\\FS01\\\\share', 'a', zero, zero, zero, zero],
        [
          '1600000001.000000',
          '\\\\\\\\FS01\\\\share',
          'b',
          '1709200000.123456',
          '1709200000.000000',
          '1709200000.000000',
          '1709200000.000000',
        ],
      ],
    });
    checkSmbTimes(parseText(text));
  });

  it('reads small doubles', () => {
    const text = tsvLog({
      path: 'capture_loss',
      fields: ['ts', 'ts_delta', 'percent_lost'],
      types: ['time', 'interval', 'double'],
      rows: [
        ['1.0', '900.000005', '5e-07'],
        ['2.0', '900.000000', '0.0'],
        ['3.0', '900.000000', '12.5'],
      ],
    });
    checkSmallDoubles(parseText(text));
  });

  it.skipIf(!caseExists('B16_zeek_x509_scientific_notation.log'))('reads the certificate field case', () => {
    checkCertificateTimes(readCase('B16_zeek_x509_scientific_notation.log'));
  });

  it.skipIf(!caseExists('B16_zeek_smb_files_filetime_zero.log'))('reads the SMB field case', () => {
    checkSmbTimes(readCase('B16_zeek_smb_files_filetime_zero.log'));
  });

  it.skipIf(!caseExists('B16_zeek_capture_loss_small_double.log'))('reads the capture-loss field case', () => {
    checkSmallDoubles(readCase('B16_zeek_capture_loss_small_double.log'));
  });
});

// ------------------------------------------------------------- schema from header

const CONN_FIELDS_UNDERSCORE = ['ts', 'uid', 'id_orig_h', 'id_orig_p', 'id_resp_h', 'id_resp_p', 'proto', 'service'];
const CONN_TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string'];

function checkUnderscoreScope(parsed: ParsedText): void {
  expect(parsed.summary.errors).toBe(0);
  const event = normalizeZeek(parsed.records[0]!);
  expect(event.src_ip).toBe('10.0.0.9');
  expect(event.src_port).toBe(51000);
  expect(event.dst_ip).toBe('192.0.2.50');
  expect(event.dst_port).toBe(443);
}

function checkHttpPair(withOrigin: ParsedText, withoutOrigin: ParsedText): void {
  for (const parsed of [withOrigin, withoutOrigin]) {
    expect(parsed.summary.errors).toBe(0);
    expect(parsed.summary.warnings).toBe(0);
    expect(field(parsed.records[0], 'status_code')).toBe(200n);
    expect(field(parsed.records[0], 'user_agent')).toBe('Mozilla/5.0');
  }
}

function checkNonAdjacentNames(parsed: ParsedText): void {
  expect(parsed.summary.errors).toBe(0);
  expect(parsed.summary.warnings).toBe(0);
  const record = parsed.records[0]!;
  expect(field(record, 'id.resp_h_name.src')).toBe('SSL_SNI');
  expect(field(record, 'id.resp_h_name.vals')).toEqual(['www.example.test', 'cdn.example.test:443']);
  expect(field(record, 'id.orig_h_name.vals')).toBeNull();
  const event = normalizeZeek(record);
  expect(event.src_ip).toBe('10.0.0.9');
  expect(event.dst_ip).toBe('192.0.2.50');
}

function checkBlankColumns(parsed: ParsedText): void {
  expect(parsed.records).toHaveLength(1);
  expect(parsed.summary.errors).toBe(0);
  expect(field(parsed.records[0], 'uid')).toBe('CSa1b2c3d4e5f6g7h1');
  expect(parsed.summary.notes.some((note) => note.includes('blank column names at positions 1, 3'))).toBe(true);
}

function checkHeaderChange(parsed: ParsedText): void {
  expect(parsed.records).toHaveLength(2);
  expect(parsed.summary.errors).toBe(0);
  expect(parsed.summary.headerBlocks).toBe(2);
  expect(parsed.records[0]!.schema.index.has('community_id')).toBe(false);
  expect(field(parsed.records[1], 'community_id')).toBe('1:abcdEFGHijklMNOPqrstUVWXyz0=');
}

function checkSocksNames(parsed: ParsedText): void {
  expect(parsed.summary.errors).toBe(0);
  const record = parsed.records[0]!;
  expect(field(record, 'bound_p')).toBe(0);
  expect(field(record, 'request.name')).toBe('example.test');
  expect(field(record, 'request_p')).toBe(443);
  expect(record.schema.names).toContain('bound_p');
  expect(record.schema.names).toContain('bound.host');
  const data = JSON.parse(normalizeZeek(record).data) as Record<string, unknown>;
  expect(data.bound_p).toBe(0);
  expect(data['request.name']).toBe('example.test');
}

describe('schema from the header', () => {
  it('maps underscore scope names', () => {
    const text = tsvLog({
      path: 'conn',
      fields: CONN_FIELDS_UNDERSCORE,
      types: CONN_TYPES,
      rows: [['1.0', 'C1', '10.0.0.9', '51000', '192.0.2.50', '443', 'tcp', 'ssl']],
    });
    checkUnderscoreScope(parseText(text));
  });

  it('reads HTTP logs with and without origin', () => {
    const fields = ['ts', 'uid', 'method', 'user_agent', 'origin', 'request_body_len', 'status_code'];
    const types = ['time', 'string', 'string', 'string', 'string', 'count', 'count'];
    const withOrigin = tsvLog({ path: 'http', fields, types, rows: [['1', 'C', 'GET', 'Mozilla/5.0', '-', '0', '200']] });
    const withoutOrigin = tsvLog({
      path: 'http',
      fields: fields.filter((name) => name !== 'origin'),
      types: types.filter((_, index) => index !== 4),
      rows: [['1', 'C', 'GET', 'Mozilla/5.0', '0', '200']],
    });
    checkHttpPair(parseText(withOrigin), parseText(withoutOrigin));
  });

  it('reads name fields away from the id block', () => {
    const text = tsvLog({
      path: 'conn',
      fields: [
        'ts',
        'id.orig_h',
        'id.orig_p',
        'id.resp_h',
        'id.resp_p',
        'proto',
        'id.orig_h_name.src',
        'id.orig_h_name.vals',
        'id.resp_h_name.src',
        'id.resp_h_name.vals',
      ],
      types: ['time', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'set[string]', 'string', 'set[string]'],
      rows: [['1', '10.0.0.9', '51000', '192.0.2.50', '443', 'tcp', '-', '-', 'SSL_SNI', 'www.example.test,cdn.example.test:443']],
    });
    checkNonAdjacentNames(parseText(text));
  });

  it('names blank columns', () => {
    const text = ['#separator \\x09', '#set_separator\t,', '#fields\t\tuid\t', '#types\t\tstring\t', '\tCSa1b2c3d4e5f6g7h1\t'].join('\n');
    checkBlankColumns(parseText(text));
  });

  it('switches schema in concatenated logs', () => {
    const first = tsvLog({ path: 'conn', fields: ['ts', 'uid'], types: ['time', 'string'], rows: [['1', 'C1']] });
    const second = tsvLog({
      path: 'conn',
      fields: ['ts', 'uid', 'community_id'],
      types: ['time', 'string', 'string'],
      rows: [['2', 'C2', '1:abcdEFGHijklMNOPqrstUVWXyz0=']],
    });
    checkHeaderChange(parseText(first + second));
  });

  it('keeps dotted and underscore names apart', () => {
    const text = tsvLog({
      path: 'socks',
      fields: ['ts', 'request.host', 'request.name', 'request_p', 'bound.host', 'bound.name', 'bound_p'],
      types: ['time', 'addr', 'string', 'port', 'addr', 'string', 'port'],
      rows: [['1', '-', 'example.test', '443', '-', '-', '0']],
    });
    checkSocksNames(parseText(text));
  });

  it.skipIf(!caseExists('B18a_zeek_conn_scope_sep_underscore.log'))('reads the underscore-scope field case', () => {
    checkUnderscoreScope(readCase('B18a_zeek_conn_scope_sep_underscore.log'));
  });

  it.skipIf(!caseExists('B18b_zeek_http_with_origin.log'))('reads the origin field cases', () => {
    checkHttpPair(readCase('B18b_zeek_http_with_origin.log'), readCase('B18b_zeek_http_without_origin.log'));
  });

  it.skipIf(!caseExists('B18c_zeek_conn_nonadjacent_record_fields.log'))('reads the name-fields field case', () => {
    checkNonAdjacentNames(readCase('B18c_zeek_conn_nonadjacent_record_fields.log'));
  });

  it.skipIf(!caseExists('B18d_zeek_cut_blank_columns.log'))('reads the blank-columns field case', () => {
    checkBlankColumns(readCase('B18d_zeek_cut_blank_columns.log'));
  });

  it.skipIf(!caseExists('B18e_zeek_conn_concatenated_header_change.log'))('reads the concatenated field case', () => {
    checkHeaderChange(readCase('B18e_zeek_conn_concatenated_header_change.log'));
  });

  it.skipIf(!caseExists('B18f_zeek_socks_dotted_and_underscore_names.log'))('reads the socks field case', () => {
    checkSocksNames(readCase('B18f_zeek_socks_dotted_and_underscore_names.log'));
  });
});

// ------------------------------------------------------------- truncated gzip

function connLog(rows: number): string {
  const lines: string[][] = [];
  for (let row = 0; row < rows; row += 1) {
    lines.push([
      `${1709283600 + row}.${String(row).padStart(6, '0')}`,
      `C${row}`,
      '10.0.0.10',
      String(52000 + row),
      '192.0.2.60',
      '443',
      'tcp',
    ]);
  }
  return tsvLog({
    path: 'conn',
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum'],
    rows: lines,
    close: true,
  });
}

async function parseGzip(stream: Readable, fileName: string) {
  return parseStream(readLines(stream.pipe(createGunzip())), { fileName });
}

describe('truncated gzip stream', () => {
  it('imports complete rows and reports the cut row', async () => {
    const compressed = gzipSync(Buffer.from(connLog(400)));
    const cut = compressed.subarray(0, Math.floor((compressed.length * 2) / 3));
    const result = await parseGzip(Readable.from([cut]), 'conn.09:00:00-10:00:00.log.gz');
    expect(result.failure).not.toBeNull();
    expect(result.summary.truncatedLines).toBe(1);
    expect(result.summary.errors).toBe(1);
    expect(result.records.length).toBeGreaterThan(100);
    expect(result.records.every((record) => record.path === 'conn')).toBe(true);
    const lastRecord = result.records.at(-1)!;
    expect(field(lastRecord, 'uid')).toBe(`C${lastRecord.line - 9}`);
    expect(result.issues[0]!.line).toBe(lastRecord.line + 1);
    expect(result.issues[0]!.message).toContain('is incomplete');
  });

  it.skipIf(!caseExists('B19_conn.09:00:00-10:00:00.log.gz'))('reads the cut conn field case', async () => {
    const name = 'B19_conn.09:00:00-10:00:00.log.gz';
    const result = await parseGzip(createReadStream(fieldCase(name)) as unknown as Readable, name);
    expect(result.records).toHaveLength(262);
    expect((result.failure as Error).message).toContain('data ends early after line 270');
    expect(result.summary.truncatedLines).toBe(1);
    expect(result.summary.errors).toBe(1);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.line).toBe(271);
    expect(result.issues[0]!.message).toContain('line 271 is incomplete');
    expect(result.records[0]!.path).toBe('conn');
    expect(field(result.records.at(-1), 'uid')).toBe('CZa1b2c3d4e5f00261');
  });

  it.skipIf(!caseExists('B19_dns.09:00:00-10:00:00.log.gz'))('reads the intact dns field case', async () => {
    const name = 'B19_dns.09:00:00-10:00:00.log.gz';
    const result = await parseGzip(createReadStream(fieldCase(name)) as unknown as Readable, name);
    expect(result.failure).toBeNull();
    expect(result.records).toHaveLength(1);
    expect(result.issues).toEqual([]);
    expect(field(result.records[0], 'query')).toBe('www.example.test');
    expect(field(result.records[0], 'TTLs')).toEqual([300_000_000n]);
  });
});
