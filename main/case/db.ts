import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * Settings for every case database. Extension auto-install and auto-load are off, so
 * no query can make DuckDB download an extension; external file access is off, so SQL
 * cannot read or write files other than the case itself.
 */
export const CASE_DB_OPTIONS: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  enable_external_access: 'false',
};

export interface CaseDatabase {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

/**
 * Open (or create) one case file. DuckDB must own a file from a single instance in one
 * thread of one process: a second instance on the same path gets no lock error and
 * corrupts the file, so callers keep exactly one CaseDatabase per path.
 */
export async function openCaseDatabase(path: string): Promise<CaseDatabase> {
  const instance = await DuckDBInstance.create(path, CASE_DB_OPTIONS);
  const connection = await instance.connect();
  return { instance, connection };
}
