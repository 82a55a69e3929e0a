// Numbered schema migrations. A case file records the versions applied in
// `schema_migrations`; opening a case applies the missing ones in order, each in its
// own transaction, so a case made by an older Casebook still opens.

import { initialSchema } from './001_initial.ts';
import { recordIdentities } from './002_record_identities.ts';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [initialSchema, recordIdentities];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
