import type { Migration } from './index.ts';

/**
 * Identities of records that other evidence files may hold again (Windows events in a
 * VSS or backup copy of their log, or in an export). The import loads the identities
 * of one scope (computer and channel) when a file first brings a record of it, and
 * skips records whose identity is already there.
 * NOTE: records imported before this migration have no identity, so a later copy of
 * them is stored again.
 */
export const recordIdentities: Migration = {
  version: 2,
  name: 'record identities for duplicate detection across evidence files',
  statements: [
    `CREATE TABLE record_identities (
      identity VARCHAR NOT NULL,
      scope VARCHAR NOT NULL,
      event_id BIGINT NOT NULL,
      evidence_id INTEGER NOT NULL
    )`,
  ],
};
