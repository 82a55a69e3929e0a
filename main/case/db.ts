import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * DuckDB's buffer-pool limit for a case. DuckDB's own default is 80 % of the machine's
 * memory, which a long import fills with cached blocks while the desktop UI and other
 * tools need memory too. Beyond the limit DuckDB writes to its temporary folder beside
 * the case file. 512 MB kept a 440,000-record EVTX import at 1.4 GB peak RSS (against
 * 1.8 GB with the default) and ran no slower. CASEBOOK_DUCKDB_MEMORY_LIMIT overrides it
 * (DuckDB syntax, for example `2GB`).
 */
export const DEFAULT_MEMORY_LIMIT = '512MB';

/** Extension auto-install and auto-load are off, so no query can make DuckDB download anything. */
export const CASE_DB_OPTIONS: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

/** The buffer-pool limit a case opens with, in DuckDB syntax. */
export function configuredMemoryLimit(): string {
  return process.env.CASEBOOK_DUCKDB_MEMORY_LIMIT || DEFAULT_MEMORY_LIMIT;
}

function caseDatabaseOptions(): Record<string, string> {
  return { ...CASE_DB_OPTIONS, memory_limit: configuredMemoryLimit() };
}

export interface CaseDatabase {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Private folder for bulk-load staging files; the only folder SQL may read. */
  stagingDir: string;
  close(): void;
}

/**
 * Open (or create) one case file. DuckDB must own a file from a single instance in one
 * thread of one process: a second instance on the same path gets no lock error and
 * corrupts the file, so callers keep exactly one CaseDatabase per path.
 *
 * File access from SQL is then switched off except for a private staging folder, so
 * no query can read or write other files (DuckDB refuses to re-enable it while the
 * database runs).
 */
export async function openCaseDatabase(file: string): Promise<CaseDatabase> {
  const instance = await DuckDBInstance.create(file, caseDatabaseOptions());
  const stagingDir = mkdtempSync(path.join(tmpdir(), 'casebook-stage-'));
  try {
    const connection = await instance.connect();
    await connection.run(`SET allowed_directories = ['${(stagingDir + path.sep).replaceAll("'", "''")}']`);
    await connection.run('SET enable_external_access = false');
    return {
      instance,
      connection,
      stagingDir,
      close() {
        connection.closeSync();
        instance.closeSync();
        rmSync(stagingDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    instance.closeSync();
    rmSync(stagingDir, { recursive: true, force: true });
    throw error;
  }
}
