import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseDatabase } from './db.ts';
import { migrate } from './migrate.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';
import { CaseStore } from './store.ts';

async function tempCase(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'migrate-')), 'case.duckdb');
}

describe('schema migrations', () => {
  it('opens a version 1 case after a later migration is added', async () => {
    const casePath = await tempCase();
    const first = await openCaseDatabase(casePath);
    expect(
      await migrate(
        first.connection,
        MIGRATIONS.filter((migration) => migration.version === 1),
      ),
    ).toBe(1);
    await first.connection.run(
      `INSERT INTO events (event_id, evidence_id, locator, source, log, category, message, data) VALUES (0, 1, 'line 9', 'zeek', 'conn', 'network', 'kept', '{}')`,
    );
    first.close();

    const next = LATEST_SCHEMA_VERSION + 1;
    const addTags: Migration = {
      version: next,
      name: 'event tags',
      statements: ['CREATE TABLE event_tags (event_id BIGINT, tag VARCHAR)'],
    };
    const second = await openCaseDatabase(casePath);
    expect(await migrate(second.connection, [...MIGRATIONS, addTags])).toBe(next);
    const identities = await second.connection.runAndReadAll('SELECT count(*) FROM record_identities');
    expect(Number(identities.getRows()[0]![0])).toBe(0);
    const tags = await second.connection.runAndReadAll('SELECT count(*) FROM event_tags');
    expect(Number(tags.getRows()[0]![0])).toBe(0);
    const events = await second.connection.runAndReadAll('SELECT message FROM events');
    expect(events.getRows()).toEqual([['kept']]);
    second.close();
  });

  it('rolls back a failing migration and keeps the previous version', async () => {
    const casePath = await tempCase();
    const database = await openCaseDatabase(casePath);
    await migrate(database.connection);
    const broken: Migration = {
      version: 99,
      name: 'broken',
      statements: ['CREATE TABLE half_done (x INTEGER)', 'SELECT * FROM no_such_table'],
    };
    await expect(migrate(database.connection, [...MIGRATIONS, broken])).rejects.toThrow(/schema migration 99 \(broken\) failed/);
    const tables = await database.connection.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(Number(tables.getRows()[0]![0])).toBe(0);
    database.close();
  });

  it('refuses a case written by a newer schema', async () => {
    const casePath = await tempCase();
    const database = await openCaseDatabase(casePath);
    await migrate(database.connection);
    await database.connection.run(`INSERT INTO schema_migrations VALUES (500, 'from the future', now()::TIMESTAMP)`);
    database.close();
    await expect(CaseStore.open(casePath)).rejects.toThrow(/schema version 500, newer than this Casebook supports/);
  });
});
