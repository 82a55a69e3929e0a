import type { DuckDBConnection } from '@duckdb/node-api';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

async function appliedVersions(connection: DuckDBConnection): Promise<Set<number>> {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`,
  );
  const reader = await connection.runAndReadAll('SELECT version FROM schema_migrations');
  return new Set(reader.getRows().map((row) => Number(row[0])));
}

/**
 * Apply the migrations the case file lacks, oldest first. Each runs in one transaction
 * with its bookkeeping row, so a failure leaves the case at the previous version.
 * Returns the schema version after migrating.
 */
export async function migrate(connection: DuckDBConnection, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const applied = await appliedVersions(connection);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  if (newest > known) {
    throw new Error(`case file has schema version ${newest}, newer than this Casebook supports (${known}): open it with a newer Casebook`);
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run('INSERT INTO schema_migrations VALUES ($1, $2, now()::TIMESTAMP)', [migration.version, migration.name]);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw new Error(`schema migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
    }
  }
  return Math.max(0, ...(await appliedVersions(connection)));
}
