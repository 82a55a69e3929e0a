// Process instances of a case: built from the events table after imports, served to
// the process tree view and `casebook processes`.
//
// The index keeps its own connection, because its tables are TEMP tables (see
// build.ts) and a build runs in one transaction: it reads one committed state of the
// events table even while an import commits. Work on that connection is serialized.

import type { DuckDBConnection } from '@duckdb/node-api';
import { ApiError } from '../../../shared/api.ts';
import type { ProcessDetail, ProcessHost, ProcessNode } from '../../../shared/processes.ts';
import type { CaseStore } from '../store.ts';
import { type BuildTiming, buildProcessTables } from './build.ts';
import { findConflicts } from './conflicts.ts';
import { readAttributedEvents, readSightings } from './detail.ts';
import { NODE_SELECT, readNodes, treeOrder } from './nodes.ts';

export class ProcessIndex {
  private connection: DuckDBConnection | null = null;
  private builtVersion: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Time each step of the last build took. */
  lastBuild: BuildTiming[] = [];

  constructor(private readonly store: CaseStore) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Returns the connection with current process tables, building them on first use and after the case data changed. */
  private async ready(): Promise<DuckDBConnection> {
    const version = this.store.currentDataVersion;
    this.connection ??= await this.store.connect();
    if (this.builtVersion === version) return this.connection;
    await this.connection.run('BEGIN TRANSACTION');
    try {
      this.lastBuild = await buildProcessTables(this.connection);
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
    this.builtVersion = version;
    return this.connection;
  }

  /** Builds the process tables now unless they are current; returns the step timings of the last build. */
  async build(): Promise<BuildTiming[]> {
    return this.exclusive(async () => {
      await this.ready();
      return this.lastBuild;
    });
  }

  /** Hosts with process instances, the most processes first. */
  async hosts(): Promise<ProcessHost[]> {
    return this.exclusive(async () => {
      const connection = await this.ready();
      const reader = await connection.runAndReadAll(`
        SELECT i.host, count(*) AS processes,
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM process_flags f WHERE f.instance_id = i.instance_id)) AS flagged
        FROM process_instances i GROUP BY i.host ORDER BY processes DESC, i.host`);
      return reader.getRowObjectsJS().map((row) => ({
        host: row.host as string,
        processes: Number(row.processes),
        flagged: Number(row.flagged),
      }));
    });
  }

  /** Returns every instance of one host, parents before children, roots and siblings by start time. */
  async tree(host: string): Promise<ProcessNode[]> {
    return this.exclusive(async () => {
      const connection = await this.ready();
      const nodes = await readNodes(connection, `${NODE_SELECT} WHERE i.host = $1`, [host]);
      if (nodes.length === 0) {
        const known = await connection.runAndReadAll('SELECT DISTINCT host FROM process_instances ORDER BY host');
        const hosts = known.getRows().map((row) => String(row[0]));
        throw new ApiError(
          'not_found',
          hosts.length === 0
            ? `host ${JSON.stringify(host)} not found: this case has no process events`
            : `host ${JSON.stringify(host)} not found: known hosts are ${hosts.join(', ')}`,
        );
      }
      return treeOrder(nodes);
    });
  }

  async detail(instanceId: number): Promise<ProcessDetail> {
    if (!Number.isSafeInteger(instanceId))
      throw new ApiError('bad_request', `invalid process instance id ${instanceId}: expected an integer`);
    return this.exclusive(async () => {
      const connection = await this.ready();
      const [node] = await readNodes(connection, `${NODE_SELECT} WHERE i.instance_id = $1`, [BigInt(instanceId)]);
      if (!node)
        throw new ApiError(
          'not_found',
          `process instance ${instanceId} not found: ids change when the case is re-imported, reload the tree`,
        );
      const extra = await connection.runAndReadAll('SELECT integrity, elevation, hashes FROM process_instances WHERE instance_id = $1', [
        BigInt(instanceId),
      ]);
      const [integrity, elevation, hashes] = extra.getRows()[0] ?? [null, null, null];
      const parent =
        node.parentId === null
          ? null
          : ((await readNodes(connection, `${NODE_SELECT} WHERE i.instance_id = $1`, [BigInt(node.parentId)]))[0] ?? null);
      const children = treeOrder(await readNodes(connection, `${NODE_SELECT} WHERE i.parent_id = $1`, [BigInt(instanceId)]));
      const sightings = await readSightings(connection, instanceId);
      const attributed = await readAttributedEvents(connection, instanceId);
      return {
        node,
        integrityLevel: (integrity as string | null) ?? null,
        tokenElevation: (elevation as string | null) ?? null,
        hashes: (hashes as string | null) ?? null,
        sightings,
        conflicts: findConflicts(sightings),
        parent,
        children,
        network: attributed.network,
        files: attributed.files,
        eventIds: attributed.eventIds,
      };
    });
  }

  /** Closes the index's connection; the store stays open. */
  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.connection?.closeSync();
      this.connection = null;
      this.builtVersion = null;
    });
  }
}
