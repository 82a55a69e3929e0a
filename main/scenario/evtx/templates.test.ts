// The generator's own value builders must encode exactly what the EVTX writer's `v`
// builders encode, so streamed records read the same as records built the slow way.

import { describe, expect, it } from 'vitest';
import { v } from '../../formats/evtx/writer.ts';
import { fast } from './templates.ts';

describe('fast EVTX value builders', () => {
  const cases: [string, ReturnType<typeof v.string>, ReturnType<typeof v.string>][] = [
    ['string', fast.string('C:\\Windows\\System32\\cmd.exe /c "echo ü"'), v.string('C:\\Windows\\System32\\cmd.exe /c "echo ü"')],
    ['empty string', fast.string(''), v.string('')],
    ['uint8', fast.uint8(250), v.uint8(250)],
    ['uint16', fast.uint16(65000), v.uint16(65000)],
    ['uint32', fast.uint32(4_000_000_000), v.uint32(4_000_000_000)],
    ['int32', fast.int32(-7), v.int32(-7)],
    ['uint64', fast.uint64(18446744073709551615n), v.uint64(18446744073709551615n)],
    ['hex32', fast.hex32(0xc000006d), v.hex32(0xc000006d)],
    ['hex64', fast.hex64(0x8020000000000000n), v.hex64(0x8020000000000000n)],
    ['filetime', fast.filetime(133546464000000000n), v.filetime(133546464000000000n)],
    ['bool', fast.bool(true), v.bool(true)],
    ['guid', fast.guid('{0A141515-65F0-4B2C-8E21-0B5C9D4E7F10}'), v.guid('{0A141515-65F0-4B2C-8E21-0B5C9D4E7F10}')],
  ];

  it.each(cases)('encodes %s like the writer', (_, ours, theirs) => {
    expect(ours.type).toBe(theirs.type);
    expect([...ours.bytes]).toEqual([...theirs.bytes]);
  });
});
