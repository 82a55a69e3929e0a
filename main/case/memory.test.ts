import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBudget, parseMemoryLimit } from './memory.ts';

const MIB = 1024 * 1024;
/** Builds one 33 MB string, which DuckDB must hold in memory at once. */
const BIG_VALUE = `SELECT length(string_agg(md5(range::VARCHAR), ',')) FROM range(1000000)`;

afterEach(() => {
  vi.restoreAllMocks();
});

async function smallDatabase() {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '16MB' });
  return { instance, connection: await instance.connect() };
}

describe('memory limits', () => {
  it('parses DuckDB limit text', () => {
    expect(parseMemoryLimit('512MB')).toBe(512_000_000);
    expect(parseMemoryLimit('2GiB')).toBe(2 * 1024 * MIB);
    expect(parseMemoryLimit('80%')).toBeNull();
  });

  it('retries with a raised limit', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { instance, connection } = await smallDatabase();
    try {
      await expect(connection.run(BIG_VALUE)).rejects.toThrow(/Out of Memory Error/);
      const budget = new MemoryBudget(connection, '16MB', 1024 * MIB);
      const result = await budget.run(() => connection.runAndReadAll(BIG_VALUE));
      expect(Number(result.getRows()[0]![0])).toBe(1_000_000 * 33 - 1);
      // The raised limit stays, so the same statement now runs directly.
      const again = await connection.runAndReadAll(BIG_VALUE);
      expect(Number(again.getRows()[0]![0])).toBe(1_000_000 * 33 - 1);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('gives up at the ceiling and passes other errors through', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { instance, connection } = await smallDatabase();
    try {
      const capped = new MemoryBudget(connection, '16MB', 16 * MIB);
      await expect(capped.run(() => connection.run(BIG_VALUE))).rejects.toThrow(/Out of Memory Error/);
      const budget = new MemoryBudget(connection, '16MB', 1024 * MIB);
      await expect(budget.run(() => connection.run('SELECT * FROM missing_table'))).rejects.toThrow(/missing_table/);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
