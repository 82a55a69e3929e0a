import { EVENT_COLUMNS } from '../schema.ts';
import type { Migration } from './index.ts';

const eventColumns = EVENT_COLUMNS.map((column) => `  ${column.name} ${column.type}`).join(',\n');

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema: evidence, import runs, events',
  statements: [
    `CREATE TABLE case_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
    `CREATE TABLE import_runs (
      import_id INTEGER PRIMARY KEY,
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP,
      state VARCHAR NOT NULL,
      inputs VARCHAR[] NOT NULL,
      files INTEGER,
      records BIGINT,
      errors BIGINT,
      app_version VARCHAR
    )`,
    `CREATE TABLE evidence (
      evidence_id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL,
      path VARCHAR NOT NULL,
      source_path VARCHAR NOT NULL,
      container_id INTEGER,
      size UBIGINT NOT NULL,
      sha256 VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      parser VARCHAR,
      status VARCHAR NOT NULL,
      records BIGINT NOT NULL,
      errors BIGINT NOT NULL,
      warnings BIGINT NOT NULL,
      duplicates BIGINT NOT NULL,
      messages VARCHAR[] NOT NULL,
      imported_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE import_issues (
      evidence_id INTEGER NOT NULL,
      severity VARCHAR NOT NULL,
      position VARCHAR NOT NULL,
      message VARCHAR NOT NULL
    )`,
    `CREATE TABLE events (\n${eventColumns}\n)`,
  ],
};
