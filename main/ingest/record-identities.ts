// The record identities one import run checks new records against: those stored by
// earlier runs (table `record_identities`) and those this run has stored so far. The
// first time a file brings a record of a scope (one computer's channel), the scope's
// identities are loaded from the case in one query. After that the check is one map
// look-up per record, however large the import is.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { RecordIdentity } from './handler.ts';
import { IdentityTable } from './identity-table.ts';

export class RecordIdentityIndex {
  /**
   * Identity key to the evidence id of the file whose copy of the record is stored.
   * NOTE: one entry per Windows record of the run and of the scopes loaded, about 40
   * bytes each, so memory still grows with the run (about 400 MB at 10 million records).
   */
  private readonly owners = new IdentityTable();
  private readonly loadedScopes = new Set<string>();
  private earlierRuns = true;

  constructor(private readonly connection: DuckDBConnection) {}

  /** Skips the per-scope queries when no earlier run stored an identity. */
  async open(): Promise<void> {
    const reader = await this.connection.runAndReadAll('SELECT EXISTS (SELECT 1 FROM record_identities)');
    this.earlierRuns = reader.getRows()[0]![0] === true;
  }

  /**
   * Loads the identities earlier runs stored for every scope among `identities` not seen
   * before. `beforeQuery` runs before the first query, to let a pending bulk load on the
   * same connection finish first.
   */
  async prepare(identities: Iterable<RecordIdentity>, beforeQuery: () => Promise<void>): Promise<void> {
    let waited = false;
    for (const identity of identities) {
      if (this.loadedScopes.has(identity.scope)) continue;
      this.loadedScopes.add(identity.scope);
      if (!this.earlierRuns) continue;
      if (!waited) await beforeQuery();
      waited = true;
      const reader = await this.connection.runAndReadAll('SELECT identity, evidence_id FROM record_identities WHERE scope = $1', [
        identity.scope,
      ]);
      // Column arrays convert about 20 times faster than row arrays for large results.
      const [keys, evidenceIds] = reader.getColumns() as [string[], number[]];
      for (let i = 0; i < keys!.length; i++) {
        if (!this.owners.has(keys![i]!)) this.owners.set(keys![i]!, Number(evidenceIds![i]));
      }
    }
  }

  /**
   * Claims `identity` for `evidenceId`. Returns the evidence id whose copy of the record
   * is stored, or null when the record is new. Call `prepare` for the identity's scope first.
   */
  claim(identity: RecordIdentity, evidenceId: number): number | null {
    const owner = this.owners.get(identity.key);
    if (owner !== undefined) return owner;
    this.owners.set(identity.key, evidenceId);
    return null;
  }
}
