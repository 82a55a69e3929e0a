// Round trip through the project's own EVTX writer and parser: every value type, every
// token kind, the substitution rules and each named defect.

import { execFileSync, spawnSync } from 'node:child_process';
// biome-ignore lint/style/noRestrictedImports: the test hands a temporary file to evtxexport; the parser itself stays pure
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BxElement } from './binxml.ts';
import { type ByteSource, EvtxReader, type EvtxRecord, readEvtx } from './reader.ts';
import { badValues, template, v, type WRecord, type WValue, writeEvtx, xml } from './writer.ts';

const { el, sub, opt, text, entity, charRef, cdata, pi } = xml;

const WRITTEN = '2024-03-01T12:34:56.1234567Z';

function systemElement(eventId: number): ReturnType<typeof el> {
  return el(
    'System',
    {},
    el('Provider', { Name: 'Casebook-Test', Guid: '{0E5A3F1B-1234-4ABC-9DEF-0123456789AB}' }),
    el('EventID', { Qualifiers: '16384' }, String(eventId)),
    el('TimeCreated', { SystemTime: sub(0, 0x11) }),
    el('EventRecordID', {}, sub(1, 0x0a)),
    el('Correlation', { ActivityID: opt(2, 0x0f) }),
    el('Execution', { ProcessID: sub(3, 0x08), ThreadID: sub(4, 0x08) }),
    el('Channel', {}, 'Casebook/Test'),
    el('Computer', {}, 'host-01'),
    el('Security', { UserID: opt(5, 0x13) }),
  );
}

/** One value of every scalar and array type, in substitution order after the six System values. */
const typedValues: [string, WValue, string | string[]][] = [
  ['string', v.string('Grüße, <world> & "friends"'), 'Grüße, <world> & "friends"'],
  ['ansi', v.ansi('plain ansi'), 'plain ansi'],
  ['int8', v.int8(-5), '-5'],
  ['uint8', v.uint8(250), '250'],
  ['int16', v.int16(-30000), '-30000'],
  ['uint16', v.uint16(65000), '65000'],
  ['int32', v.int32(-2000000000), '-2000000000'],
  ['uint32', v.uint32(4000000000), '4000000000'],
  ['int64', v.int64(-9007199254740993n), '-9007199254740993'],
  ['uint64', v.uint64(18446744073709551615n), '18446744073709551615'],
  ['real32', v.real32(1.5), '1.5'],
  ['real64', v.real64(-2.25), '-2.25'],
  ['boolTrue', v.bool(true), 'true'],
  ['boolFalse', v.bool(false), 'false'],
  ['binary', v.binary(Uint8Array.of(0xde, 0xad, 0xbe, 0xef)), 'DEADBEEF'],
  ['guid', v.guid('{01234567-89AB-CDEF-0123-456789ABCDEF}'), '{01234567-89AB-CDEF-0123-456789ABCDEF}'],
  ['sizeT32', v.sizeT32(0x1000), '0x1000'],
  ['sizeT64', v.sizeT64(0x7ff612340000n), '0x7ff612340000'],
  ['filetime', v.filetime('2023-12-31T23:59:59.9999999Z'), '2023-12-31T23:59:59.9999999Z'],
  [
    'systemtime',
    v.systemtime({ year: 2022, month: 2, dayOfWeek: 1, day: 14, hour: 8, minute: 5, second: 9, millisecond: 42 }),
    '2022-02-14T08:05:09.042Z',
  ],
  ['sid', v.sid('S-1-5-21-3623811015-3361044348-30300820-1013'), 'S-1-5-21-3623811015-3361044348-30300820-1013'],
  ['hex32', v.hex32(0x3e7), '0x3e7'],
  ['hex64', v.hex64(0x8020000000000000n), '0x8020000000000000'],
  ['int8Array', v.array(0x03, [v.int8(-1), v.int8(2)]), ['-1', '2']],
  ['uint16Array', v.array(0x06, [v.uint16(1), v.uint16(65535)]), ['1', '65535']],
  ['int32Array', v.array(0x07, [v.int32(-7), v.int32(7)]), ['-7', '7']],
  ['uint64Array', v.array(0x0a, [v.uint64(1n), v.uint64(2n)]), ['1', '2']],
  ['real64Array', v.array(0x0c, [v.real64(0.5), v.real64(3)]), ['0.5', '3']],
  ['boolArray', v.array(0x0d, [v.bool(true), v.bool(false)]), ['true', 'false']],
  ['guidArray', v.array(0x0f, [v.guid('{00000000-0000-0000-0000-000000000001}')]), ['{00000000-0000-0000-0000-000000000001}']],
  ['filetimeArray', v.array(0x11, [v.filetime('2020-01-01T00:00:00Z')]), ['2020-01-01T00:00:00.0000000Z']],
  ['hex32Array', v.array(0x14, [v.hex32(0xa), v.hex32(0xff)]), ['0xa', '0xff']],
  ['hex64Array', v.array(0x15, [v.hex64(0x10n)]), ['0x10']],
  ['sidArray', v.sidArray(['S-1-5-18', 'S-1-5-32-544']), ['S-1-5-18', 'S-1-5-32-544']],
  ['ansiArray', v.ansiArray(['a', 'bc']), ['a', 'bc']],
  ['stringArray', v.stringArray(['one', 'two,three']), ['one', 'two,three']],
];

function systemValues(id: bigint, written = WRITTEN): WValue[] {
  return [v.filetime(written), v.uint64(id), v.null(), v.uint32(4), v.uint32(8), v.sid('S-1-5-18')];
}

function dataItems(record: EvtxRecord, elementName = 'Data'): { name: string | null; value: unknown }[] {
  return (record.event.eventData ?? []).filter((d) => elementName !== 'Data' || d.name !== 'Binary');
}

let tempDir: string | null = null;
function tempFile(name: string, bytes: Uint8Array): string {
  tempDir ??= mkdtempSync(path.join(tmpdir(), 'casebook-evtx-'));
  const file = path.join(tempDir, name);
  writeFileSync(file, bytes);
  return file;
}
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('EVTX writer and parser round trip', () => {
  const typedTemplate = template(
    el(
      'Event',
      { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      systemElement(4688),
      el('EventData', {}, ...typedValues.map(([name, value], i) => el('Data', { Name: name }, sub(6 + i, value.type)))),
    ),
  );
  const records: WRecord[] = [1n, 2n, 3n].map((id) => ({
    id,
    written: WRITTEN,
    template: typedTemplate,
    values: [...systemValues(id), ...typedValues.map(([, value]) => value)],
  }));

  it('decodes every value type', async () => {
    const { records: parsed, report } = await readEvtx(writeEvtx(records));
    expect(report.records).toBe(3);
    expect(report.problems).toEqual([]);
    for (const record of parsed) {
      const byName = new Map<string, string[]>();
      for (const item of record.event.eventData ?? []) {
        const list = byName.get(item.name ?? '') ?? [];
        list.push(item.value as string);
        byName.set(item.name ?? '', list);
      }
      for (const [name, , expected] of typedValues) {
        // An array repeats its element once per item.
        expect(byName.get(name), name).toEqual(Array.isArray(expected) ? expected : [expected]);
      }
    }
  });

  it('maps System fields with full precision', async () => {
    const { records: parsed } = await readEvtx(writeEvtx(records));
    const system = parsed[1]!.event.system;
    expect(system.provider).toBe('Casebook-Test');
    expect(system.providerGuid).toBe('{0E5A3F1B-1234-4ABC-9DEF-0123456789AB}');
    expect(system.eventId).toBe(4688);
    expect(system.qualifiers).toBe(16384);
    expect(system.recordId).toBe(2n);
    expect(system.processId).toBe(4);
    expect(system.threadId).toBe(8);
    expect(system.channel).toBe('Casebook/Test');
    expect(system.computer).toBe('host-01');
    expect(system.userSid).toBe('S-1-5-18');
    expect(system.activityId).toBeNull();
    // 2024-03-01T12:34:56.1234567Z: 1709296496 s, 123456 us, 700 ns.
    expect(system.timeCreated).toEqual({ micros: 1709296496123456n, nanos: 700 });
    expect(parsed[1]!.written).toEqual({ micros: 1709296496123456n, nanos: 700 });
    expect(parsed[1]!.recordId).toBe(2n);
  });

  it('references the template after its first use in a chunk', async () => {
    const bytes = writeEvtx(records);
    // The definition is written once: the last 8 bytes of its GUID appear once in the chunk.
    const tail = Buffer.from([0x80, 0, 0, 0, 0, 0, 0xca, 0xfe]);
    const first = Buffer.from(bytes).indexOf(tail);
    expect(first).toBeGreaterThan(4096);
    expect(Buffer.from(bytes).indexOf(tail, first + 1)).toBe(-1);
    const { records: parsed } = await readEvtx(bytes);
    expect(parsed.map((r) => r.event.system.recordId)).toEqual([1n, 2n, 3n]);
  });

  it('writes several chunks', async () => {
    const many: WRecord[] = Array.from({ length: 500 }, (_, i) => ({
      written: WRITTEN,
      template: typedTemplate,
      values: [...systemValues(BigInt(i + 1)), ...typedValues.map(([, value]) => value)],
    }));
    const bytes = writeEvtx(many);
    const { records: parsed, report } = await readEvtx(bytes, { workers: 0 });
    expect(report.foundChunks).toBeGreaterThan(2);
    expect(report.declaredChunks).toBe(report.foundChunks);
    expect(report.records).toBe(500);
    expect(report.problems).toEqual([]);
    expect(parsed[499]!.event.system.recordId).toBe(500n);
  });

  it('renders every token kind', async () => {
    const tokens = template(
      el(
        'Event',
        {},
        systemElement(1),
        pi('xml-stylesheet', 'href="style.xsl"'),
        el(
          'UserData',
          {},
          el(
            'Payload',
            { Header: [text('If-None-Match: '), entity('quot'), text('ea9ee7b1bc43d21:0'), entity('quot')] },
            el('Header', {}, text('If-None-Match: '), entity('quot'), text('ea9ee7b1bc43d21:0'), entity('quot')),
            el('Amp', {}, text('a'), entity('amp'), text('b'), charRef(0x263a)),
            el('Script', {}, cdata('if (a < b && c) { x = "]]>"; }')),
            el('Embedded', {}, sub(6, 0x21)),
            el('EmbeddedInstance', {}, sub(7, 0x21)),
          ),
        ),
      ),
    );
    const inner = el('Inner', { Kind: 'nested' }, el('Leaf', {}, 'leaf text'));
    const bytes = writeEvtx([
      {
        written: WRITTEN,
        template: tokens,
        values: [...systemValues(1n), v.binxml(inner, false), v.binxml(el('Fragment', {}, 'with header'), true)],
      },
    ]);
    const { records: parsed, report } = await readEvtx(bytes);
    expect(report.records).toBe(1);

    const record = parsed[0]!;
    expect(record.event.warnings).toEqual([]);
    const payload = record.event.userData!;
    expect(payload.name).toBe('Payload');
    expect(payload.attributes.Header).toBe('If-None-Match: "ea9ee7b1bc43d21:0"');
    const child = (name: string) => payload.children.find((c) => typeof c !== 'string' && c.name === name);
    expect(child('Header')).toEqual({ name: 'Header', attributes: {}, children: ['If-None-Match: "ea9ee7b1bc43d21:0"'] });
    expect(child('Amp')).toEqual({ name: 'Amp', attributes: {}, children: ['a&b\u263a'] });
    expect(child('Script')).toEqual({ name: 'Script', attributes: {}, children: ['if (a < b && c) { x = "]]>"; }'] });
    expect(child('Embedded')).toEqual({
      name: 'Embedded',
      attributes: {},
      children: [{ name: 'Inner', attributes: { Kind: 'nested' }, children: [{ name: 'Leaf', attributes: {}, children: ['leaf text'] }] }],
    });
    expect(child('EmbeddedInstance')).toEqual({
      name: 'EmbeddedInstance',
      attributes: {},
      children: [{ name: 'Fragment', attributes: {}, children: ['with header'] }],
    });

    const rendered = record.xml();
    expect(rendered).toContain('<Payload Header="If-None-Match: &quot;ea9ee7b1bc43d21:0&quot;">');
    expect(rendered).toContain('<Header>If-None-Match: &quot;ea9ee7b1bc43d21:0&quot;</Header>');
    expect(rendered).toContain('<Amp>a&amp;b&#9786;</Amp>');
    expect(rendered).toContain('<Script><![CDATA[if (a < b && c) { x = "]]]]><![CDATA[>"; }]]></Script>');
    expect(rendered).toContain('<?xml-stylesheet href="style.xsl"?>');
    expect(rendered).toContain('<Inner Kind="nested">');
    expect(rendered).toContain('<Leaf>leaf text</Leaf>');
  });

  it('reads records written without templates', async () => {
    const body = el(
      'Event',
      { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      el('System', {}, el('Provider', { Name: 'Forwarded' }), el('EventID', {}, '4624'), el('Computer', {}, 'wec-01')),
      el('EventData', {}, el('Data', { Name: 'TargetUserName' }, 'alice'), el('Data', { Name: 'LogonType' }, '3')),
    );
    const { records: parsed } = await readEvtx(
      writeEvtx([
        { written: WRITTEN, body },
        { written: WRITTEN, body },
      ]),
    );
    expect(parsed).toHaveLength(2);
    expect(parsed[1]!.event.system.eventId).toBe(4624);
    expect(parsed[1]!.event.system.computer).toBe('wec-01');
    expect(parsed[1]!.event.eventData).toEqual([
      { name: 'TargetUserName', value: 'alice' },
      { name: 'LogonType', value: '3' },
    ]);
  });

  it('escapes characters XML 1.0 forbids', async () => {
    const tpl = template(el('Event', {}, systemElement(1), el('EventData', {}, el('Data', { Name: 'Control' }, sub(6, 0x01)))));
    const { records: parsed } = await readEvtx(
      writeEvtx([{ written: WRITTEN, template: tpl, values: [...systemValues(1n), v.string('bell\u0007 <tag>')] }]),
    );
    expect(parsed[0]!.event.eventData).toEqual([{ name: 'Control', value: 'bell\u0007 <tag>' }]);
    expect(parsed[0]!.xml()).toContain('<Data Name="Control">bell\ufffd &lt;tag&gt;</Data>');
  });
});

describe('EVTX substitution rules', () => {
  const arrayTemplate = template(
    el('Event', {}, systemElement(916), el('EventData', {}, el('Data', {}, sub(6, 0x81)), el('Binary', {}, sub(7, 0x0e)))),
  );
  const correlationTemplate = template(
    el('Event', {}, el('System', {}, el('EventRecordID', {}, sub(1, 0x0a)), el('Correlation', { ActivityID: opt(3, 0x0f) }))),
  );
  const esent = ['svchost', '2672', 'G', '98', '', 'EseDiskFlushConsistency', 'ESENT', '0x800000'];
  const bytes = writeEvtx([
    { written: WRITTEN, template: arrayTemplate, values: [...systemValues(1n), v.stringArray(esent), v.binary(new Uint8Array(0))] },
    {
      written: WRITTEN,
      template: arrayTemplate,
      values: [...systemValues(2n), v.raw(0x81, new Uint8Array(0)), v.binary(new Uint8Array(0))],
    },
    { written: WRITTEN, template: correlationTemplate, values: [v.null(), v.uint64(3n), v.null(), v.null()] },
  ]);

  it('repeats the element once per array item', async () => {
    const { records: parsed } = await readEvtx(bytes);
    const data = dataItems(parsed[0]!);
    expect(data.map((d) => d.value)).toEqual(esent);
    expect(data[4]).toEqual({ name: null, value: '' });
    expect(parsed[0]!.xml().match(/<Data>/g)).toHaveLength(7);
    expect(parsed[0]!.xml()).toContain('<Data/>');
  });

  it('gives one empty element for an empty array', async () => {
    const { records: parsed } = await readEvtx(bytes);
    expect(dataItems(parsed[1]!)).toEqual([{ name: null, value: '' }]);
  });

  it('removes an attribute whose optional value is NullType', async () => {
    const { records: parsed } = await readEvtx(bytes);
    const record = parsed[2]!;
    expect(record.event.system.activityId).toBeNull();
    expect(record.root!.children).toHaveLength(1);
    const correlation = (record.root!.children[0] as BxElement).children[1] as BxElement;
    expect(correlation.name).toBe('Correlation');
    expect(correlation.attributes).toEqual([]);
    expect(record.xml()).toContain('<Correlation/>');
    expect(record.xml()).not.toContain('ActivityID');
  });
});

describe('EVTX lossy values', () => {
  const boolTemplate = template(el('Event', {}, systemElement(1), el('EventData', {}, el('Data', { Name: 'Flag' }, sub(6, 0x0d)))));
  const stringTemplate = template(el('Event', {}, systemElement(2), el('EventData', {}, el('Data', { Name: 'Text' }, sub(6, 0x01)))));

  it('keeps odd boolean numbers', async () => {
    const values = [badValues.oddBoolean(0), badValues.oddBoolean(1), badValues.oddBoolean(0x13140301), badValues.oddBoolean(0xaf14c301)];
    const bytes = writeEvtx(
      values.map((value, i) => ({ written: WRITTEN, template: boolTemplate, values: [...systemValues(BigInt(i + 1)), value] })),
    );
    const { records: parsed } = await readEvtx(bytes);
    expect(parsed.map((r) => r.event.eventData![0]!.value)).toEqual(['false', 'true', '320078593', '2937373441']);
    expect(parsed[0]!.event.warnings).toEqual([]);
    expect(parsed[1]!.event.warnings).toEqual([]);
    expect(parsed[2]!.event.warnings).toEqual(['BoolType value 320078593 (0x13140301) is neither 0 nor 1: kept as a number']);
    expect(parsed[3]!.event.warnings).toEqual(['BoolType value 2937373441 (0xaf14c301) is neither 0 nor 1: kept as a number']);
  });

  it('replaces an unpaired surrogate and keeps reading', async () => {
    const bytes = writeEvtx([
      { written: WRITTEN, template: stringTemplate, values: [...systemValues(1n), v.string('before')] },
      { written: WRITTEN, template: stringTemplate, values: [...systemValues(2n), badValues.unpairedSurrogate('37L4247F27-25', 2)] },
      { written: WRITTEN, template: stringTemplate, values: [...systemValues(3n), v.string('after')] },
    ]);
    const { records: parsed, report } = await readEvtx(bytes);
    expect(parsed.map((r) => r.event.eventData![0]!.value)).toEqual(['before', '37\ufffd4247F27-25', 'after']);
    expect(report.recordsWithWarnings).toBe(1);
    const warning = parsed[1]!.event.warnings[0]!;
    expect(warning).toContain('unpaired UTF-16 surrogate at code unit 2');
    // The raw code units stay available as UTF-16LE hex: 0xD800 is "00d8".
    expect(warning).toContain('33003700' + '00d8' + '3400');
  });
});

describe('EVTX defects', () => {
  const tpl = template(el('Event', {}, systemElement(7), el('EventData', {}, el('Data', { Name: 'N' }, sub(6, 0x08)))));
  const records: WRecord[] = Array.from({ length: 30 }, (_, i) => ({
    written: WRITTEN,
    template: tpl,
    values: [...systemValues(BigInt(i + 1)), v.uint32(i + 1)],
  }));
  const ids = (parsed: EvtxRecord[]) => parsed.filter((r) => !r.recovered).map((r) => Number(r.recordId));

  it('reads every chunk past a dirty undercounting header', async () => {
    const bytes = writeEvtx(records, { recordsPerChunk: 10, defects: [{ kind: 'dirtyHeaderUndercount' }] });
    const { records: parsed, report } = await readEvtx(bytes);
    expect(report.dirty).toBe(true);
    expect(report.declaredChunks).toBe(1);
    expect(report.foundChunks).toBe(3);
    expect(report.header!.nextRecordId).toBe(11n);
    expect(report.records).toBe(30);
    expect(report.recovered).toBe(0);
    expect(ids(parsed)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  for (const staleCrc of [false, true]) {
    it(`resynchronises after a corrupt record size${staleCrc ? ' with stale CRCs' : ''}`, async () => {
      const bytes = writeEvtx(records, {
        recordsPerChunk: 10,
        defects: [{ kind: 'corruptRecordSize', chunk: 1, record: 3, size: 0xb8b8b8b8, staleCrc }],
      });
      const started = performance.now();
      const { records: parsed, report } = await readEvtx(bytes);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(report.corrupt).toBe(1);
      expect(report.records).toBe(29);
      expect(ids(parsed)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1).filter((id) => id !== 14));
      const corrupt = report.problems.filter((p) => p.kind === 'corrupt-record');
      expect(corrupt).toHaveLength(1);
      expect(corrupt[0]!.chunkIndex).toBe(1);
      expect(corrupt[0]!.message).toContain('size 3099113656');
      expect(report.problems.some((p) => p.kind === 'records-crc')).toBe(staleCrc);
    });
  }

  it('bounds a zero record size', async () => {
    const bytes = writeEvtx(records, { recordsPerChunk: 10, defects: [{ kind: 'corruptRecordSize', chunk: 0, record: 0, size: 0 }] });
    const { report } = await readEvtx(bytes);
    expect(report.corrupt).toBe(1);
    expect(report.records).toBe(29);
  });

  it('reports stale CRCs without dropping data', async () => {
    const bytes = writeEvtx(records, {
      recordsPerChunk: 10,
      defects: [{ kind: 'staleFileHeaderCrc' }, { kind: 'staleChunkHeaderCrc', chunk: 0 }, { kind: 'staleRecordsCrc', chunk: 2 }],
    });
    const { report } = await readEvtx(bytes);
    expect(report.records).toBe(30);
    expect(report.problems.map((p) => [p.kind, p.chunkIndex])).toEqual([
      ['file-header-crc', null],
      ['chunk-header-crc', 0],
      ['records-crc', 2],
    ]);
  });

  it('carves records from slack and wiped chunks', async () => {
    const bytes = writeEvtx(records, {
      recordsPerChunk: 10,
      defects: [
        { kind: 'recordInSlack', chunk: 0 },
        { kind: 'wipedChunkSignature', chunk: 2 },
      ],
    });
    const { records: parsed, report } = await readEvtx(bytes);
    expect(report.records).toBe(19);
    expect(report.recovered).toBe(11);
    expect(ids(parsed)).toEqual(
      Array.from({ length: 19 }, (_, i) => i + 1)
        .filter((id) => id !== 10)
        .concat([20])
        .sort((a, b) => a - b)
        .slice(0, 19),
    );
    const recovered = parsed.filter((r) => r.recovered);
    expect(recovered.map((r) => Number(r.recordId)).sort((a, b) => a - b)).toEqual([10, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(recovered.every((r) => r.event.recovered)).toBe(true);
  });
});

const hasEvtxexport = spawnSync('evtxexport', ['-V']).status === 0;

describe.skipIf(!hasEvtxexport)('EVTX writer output read by libevtx evtxexport', () => {
  it('has the same records and values', async () => {
    // libevtx 20181227 rejects arrays of booleans and SIDs ("unsupported value type"),
    // prints negative integers wrongly (Int8 -5 as -123), reals as %e and SizeT in decimal,
    // so those values are left out of the comparison.
    const unsupported = new Set(['boolArray', 'sidArray', 'int8', 'int16', 'int32', 'int64', 'int8Array', 'int32Array']);
    for (const name of ['real32', 'real64', 'real64Array', 'sizeT32', 'sizeT64']) unsupported.add(name);
    const supported = typedValues.filter(([name]) => !unsupported.has(name));
    const tpl = template(
      el(
        'Event',
        { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        systemElement(4624),
        el('EventData', {}, ...supported.map(([name, value], i) => el('Data', { Name: name }, sub(6 + i, value.type)))),
      ),
    );
    const written = Array.from({ length: 300 }, (_, i) => ({
      written: WRITTEN,
      template: tpl,
      values: [...systemValues(BigInt(i + 1)), ...supported.map(([, value]) => value)],
    }));
    const bytes = writeEvtx(written, { recordsPerChunk: 120 });

    const output = execFileSync('evtxexport', ['-f', 'xml', tempFile('writer-check.evtx', bytes)], { encoding: 'utf8' });
    // libevtx 20181227 prints FILETIME with 9 fractional digits and pads HexInt64 to 16
    // digits; Event Viewer prints 7 digits and no padding, as this parser does.
    const theirs = output
      .split(/\n(?=<Event[ >])/)
      .slice(1)
      .map((s) =>
        s
          .trim()
          .replace(/(\.\d{7})00Z/g, '$1Z')
          .replace(/>0x0+([0-9a-f])/g, '>0x$1'),
      );
    const { records: parsed } = await readEvtx(bytes);
    expect(theirs).toHaveLength(300);
    expect(parsed.map((r) => r.xml())).toEqual(theirs);
  });
});

describe('EVTX crafted input', () => {
  const tpl = template(
    el(
      'Event',
      {},
      systemElement(1),
      el('EventData', {}, el('Data', { Name: 'Text' }, sub(6, 0x01)), el('Data', { Name: 'Xml' }, sub(7, 0x21))),
    ),
  );
  const clean = writeEvtx(
    Array.from({ length: 40 }, (_, i) => ({
      written: WRITTEN,
      template: tpl,
      values: [...systemValues(BigInt(i + 1)), v.string(`value ${i}`), v.binxml(el('Inner', {}, el('Leaf', {}, 'x')), i % 2 === 0)],
    })),
    { recordsPerChunk: 20 },
  );

  it('survives random byte corruption', async () => {
    // A fixed linear congruential generator keeps the run reproducible.
    let seed = 0x2545f491;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const started = performance.now();
    for (let round = 0; round < 300; round++) {
      const bytes = clean.slice();
      const flips = 1 + Math.floor(random() * 16);
      for (let f = 0; f < flips; f++) {
        // Corrupt the records area of either chunk, where sizes, offsets and tokens live.
        const chunk = Math.floor(random() * 2);
        const offset = 4096 + chunk * 65536 + 512 + Math.floor(random() * 6000);
        bytes[offset] = Math.floor(random() * 256);
      }
      const { report } = await readEvtx(bytes, { workers: 0 });
      expect(report.records + report.corrupt).toBeGreaterThan(0);
      expect(report.records).toBeLessThanOrEqual(40);
    }
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('reads a truncated file', async () => {
    // Cut the file inside the second chunk, after its header and 5 records.
    const secondChunk = 4096 + 65536;
    const view = new DataView(clean.buffer);
    let cut = secondChunk + 512;
    for (let i = 0; i < 5; i++) cut += view.getUint32(cut + 4, true);
    const { report } = await readEvtx(clean.slice(0, cut + 100), { workers: 0 });
    expect(report.records).toBe(25);
    expect(report.corrupt).toBe(1);
  });

  it('finds nothing in random bytes', async () => {
    let seed = 7;
    const bytes = new Uint8Array(4096 + 3 * 65536).map(() => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    });
    const { report } = await readEvtx(bytes, { workers: 0 });
    expect(report.header).toBeNull();
    expect(report.records).toBe(0);
    expect(report.problems.map((p) => p.kind)).toEqual(['file-header-missing', 'chunk-signature', 'chunk-signature', 'chunk-signature']);
  });

  it('bounds a huge value count', async () => {
    const bytes = clean.slice();
    const view = new DataView(bytes.buffer);
    // The first record's template instance: fragment header (4 bytes), then 0x0C at record offset 28.
    const instance = 4096 + 512 + 24 + 4;
    expect(bytes[instance]).toBe(0x0c);
    const definitionSize = view.getUint32(instance + 10 + 20, true);
    view.setUint32(instance + 10 + 24 + definitionSize, 0xfffffff0, true);
    const { report } = await readEvtx(bytes, { workers: 0 });
    expect(report.corrupt).toBe(1);
    expect(report.records).toBe(39);
    expect(report.problems.find((p) => p.kind === 'bad-binxml')?.message).toContain('declares 4294967280 values');
  });
});

describe('EVTX streaming source', () => {
  it('reads chunk by chunk', async () => {
    const tpl = template(el('Event', {}, systemElement(1), el('EventData', {}, el('Data', { Name: 'N' }, sub(6, 0x08)))));
    const bytes = writeEvtx(
      Array.from({ length: 50 }, (_, i) => ({ written: WRITTEN, template: tpl, values: [...systemValues(BigInt(i + 1)), v.uint32(i)] })),
      { recordsPerChunk: 10 },
    );
    const reads: [number, number][] = [];
    const source: ByteSource = {
      size: bytes.length,
      read: async (offset, length) => {
        reads.push([offset, length]);
        return bytes.slice(offset, offset + length);
      },
    };
    const reader = await EvtxReader.open(source, { workers: 0 });
    const seen: bigint[] = [];
    for await (const record of reader.records()) {
      seen.push(record.recordId);
      // Records of a chunk arrive before the next chunk is read.
      expect(reads.length).toBeLessThanOrEqual(2 + Math.floor((seen.length - 1) / 10));
    }
    expect(seen).toHaveLength(50);
    expect(reads[0]).toEqual([0, 4096]);
    expect(reads.slice(1)).toEqual([0, 1, 2, 3, 4].map((i) => [4096 + i * 65536, 65536]));
    expect(reader.report.records).toBe(50);
  });
});
