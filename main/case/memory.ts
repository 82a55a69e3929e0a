// DuckDB's buffer pool starts small (db.ts) so a long import does not hold gigabytes of
// cached blocks. A few statements on large cases still need more than that at once
// (sorts and hash tables that DuckDB cannot spill), and DuckDB then fails with "Out of
// Memory Error". MemoryBudget retries such a statement after doubling the limit, up to
// half of the machine's memory, and keeps the raised limit for the rest of the session.

import { totalmem } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import { log } from '../log.ts';

const OUT_OF_MEMORY = /Out of Memory Error/;
const MIB = 1024 * 1024;

/** Bytes of a limit in DuckDB syntax such as `512MB` or `2GB`, or null when it is not that simple form. */
export function parseMemoryLimit(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*$/i.exec(text);
  if (!match) return null;
  const unit = match[2]!.toUpperCase();
  const base = unit.includes('I') ? 1024 : 1000;
  const power = { K: 1, M: 2, G: 3, T: 4 }[unit[0] as 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(match[1]) * base ** power);
}

export class MemoryBudget {
  private limit: number;
  private readonly ceiling: number;

  constructor(
    private readonly connection: DuckDBConnection,
    initialLimit: string,
    ceiling = Math.floor(totalmem() / 2),
  ) {
    this.limit = parseMemoryLimit(initialLimit) ?? 512 * MIB;
    this.ceiling = Math.max(ceiling, this.limit);
  }

  /** Runs `work`; when DuckDB runs out of memory, raises the limit and runs it again. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!OUT_OF_MEMORY.test(message) || this.limit >= this.ceiling) throw error;
        const raised = Math.min(this.ceiling, this.limit * 2);
        log.warn('DuckDB ran out of memory; raising its limit and retrying', {
          fromMiB: Math.round(this.limit / MIB),
          toMiB: Math.round(raised / MIB),
        });
        await this.connection.run(`SET memory_limit = '${Math.floor(raised / MIB)}MiB'`);
        this.limit = raised;
      }
    }
  }
}
