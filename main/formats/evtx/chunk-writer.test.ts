// EvtxChunkWriter: chunks handed out one at a time make the same file the reader and
// libevtx read, with sequential ids from any first id and slack left at each chunk end.

import { execFileSync, spawnSync } from 'node:child_process';
// biome-ignore lint/style/noRestrictedImports: the test hands a temporary file to evtxexport; the writer itself stays pure
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvtx } from './reader.ts';
import { EvtxChunkWriter, type RecordPlacement, template, v, xml } from './writer.ts';

const { el, sub } = xml;

const tpl = template(
  el(
    'Event',
    { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    el(
      'System',
      {},
      el('EventID', {}, '4688'),
      el('TimeCreated', { SystemTime: sub(0, 0x11) }),
      el('EventRecordID', {}, sub(1, 0x0a)),
      el('Computer', {}, 'host-01'),
    ),
    el('EventData', {}, el('Data', { Name: 'CommandLine' }, sub(2, 0x01))),
  ),
  '{7C1E0A52-3D9B-4F6A-8E21-0B5C9D4E7F10}',
);

function build(count: number, firstRecordId?: bigint): { file: Uint8Array; placements: RecordPlacement[] } {
  const writer = new EvtxChunkWriter(firstRecordId === undefined ? {} : { firstRecordId });
  const parts: Uint8Array[] = [];
  const placements: RecordPlacement[] = [];
  for (let i = 0; i < count; i++) {
    const id = writer.nextRecordId;
    // Varying lengths so chunk ends fall at many different offsets.
    const command = `cmd.exe /c echo ${'x'.repeat((i * 37) % 300)}`;
    placements.push(
      writer.add({
        written: '2024-03-12T08:00:00Z',
        template: tpl,
        values: [v.filetime('2024-03-12T08:00:00Z'), v.uint64(id), v.string(command)],
      }),
    );
    parts.push(...writer.takeChunks());
  }
  const { header, lastChunk } = writer.finish();
  if (lastChunk) parts.push(lastChunk);
  const file = new Uint8Array(header.length + parts.length * 65536);
  file.set(header, 0);
  parts.forEach((chunk, i) => {
    file.set(chunk, header.length + i * 65536);
  });
  return { file, placements };
}

let dir: string | null = null;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('EvtxChunkWriter', () => {
  it('writes records the reader finds where the writer placed them', async () => {
    const { file, placements } = build(2500);
    const { records, report } = await readEvtx(file, { workers: 0 });
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(2500);
    expect(report.declaredChunks).toBeGreaterThan(3);
    expect(records.map((record) => record.event.locator)).toEqual(
      placements.map((p) => `chunk=${p.chunk} record=${p.recordId} offset=0x${p.fileOffset.toString(16)}`),
    );
  });

  it('numbers records on from a first id', async () => {
    const { file } = build(10, 327n);
    const { records } = await readEvtx(file, { workers: 0 });
    expect(records.map((record) => Number(record.recordId))).toEqual(Array.from({ length: 10 }, (_, i) => 327 + i));
    expect(records.map((record) => Number(record.event.system.recordId))).toEqual(Array.from({ length: 10 }, (_, i) => 327 + i));
  });

  it('leaves slack at the end of every chunk', () => {
    const { file } = build(2500);
    const view = new DataView(file.buffer);
    for (let offset = 4096; offset < file.length; offset += 65536)
      expect(view.getUint32(offset + 48, true)).toBeLessThanOrEqual(65536 - 16);
  });

  it('writes a header for an empty log', async () => {
    const { file } = build(0);
    expect(file.length).toBe(4096);
    const { report } = await readEvtx(file, { workers: 0 });
    expect(report.records).toBe(0);
    expect(report.problems).toEqual([]);
  });

  it.skipIf(spawnSync('evtxexport', ['-V']).status !== 0)('is read whole by libevtx evtxexport', () => {
    dir ??= mkdtempSync(path.join(tmpdir(), 'chunk-writer-'));
    const target = path.join(dir, 'stream.evtx');
    writeFileSync(target, build(2500).file);
    const output = execFileSync('evtxexport', ['-f', 'xml', target], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(output.match(/<EventRecordID>/g)).toHaveLength(2500);
  });
});
