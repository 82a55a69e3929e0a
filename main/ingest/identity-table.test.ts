import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdentityTable } from './identity-table.ts';

function key(index: number): string {
  return createHash('sha256').update(`record ${index}`).digest('hex').slice(0, 32);
}

describe('identity table', () => {
  it('returns what was stored through growth', () => {
    const table = new IdentityTable(16);
    for (let index = 0; index < 50_000; index++) table.set(key(index), index % 1000);
    expect(table.size).toBe(50_000);
    for (let index = 0; index < 50_000; index += 97) expect(table.get(key(index))).toBe(index % 1000);
    expect(table.get(key(50_001))).toBeUndefined();
    expect(table.has(key(49_999))).toBe(true);
  });

  it('replaces an owner without counting twice', () => {
    const table = new IdentityTable();
    table.set(key(1), 7);
    table.set(key(1), 9);
    expect(table.get(key(1))).toBe(9);
    expect(table.size).toBe(1);
  });

  it('keeps keys that share a first word apart', () => {
    const table = new IdentityTable(16);
    const first = `00000001${'a'.repeat(24)}`;
    const second = `00000001${'b'.repeat(24)}`;
    table.set(first, 1);
    table.set(second, 2);
    expect(table.get(first)).toBe(1);
    expect(table.get(second)).toBe(2);
    expect(table.get(`00000001${'c'.repeat(24)}`)).toBeUndefined();
  });

  it('rejects malformed keys and owners', () => {
    const table = new IdentityTable();
    expect(() => table.set('abc', 1)).toThrow(/32 hex digits/);
    expect(() => table.get(`${'z'.repeat(32)}`)).toThrow(/32 hex digits/);
    expect(() => table.get(`a1b2c3gz${'0'.repeat(24)}`)).toThrow(/32 hex digits/);
    expect(() => table.set(key(1), -1)).toThrow(/invalid owner/);
  });
});
