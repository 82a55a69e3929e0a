// Fifth build step: network events (Sysmon 3, memory netscan) whose process is no
// instance alive at that time. They become placeholder instances, one per host and
// process GUID (Sysmon) or PID and owner name (netscan), so that the activity shows
// in the tree with a flag rather than being lost.

import type { DuckDBConnection } from '@duckdb/node-api';
import { baseNameSql, guidSql, logHostSql, MICROS_PER_SECOND } from './sql-text.ts';

/**
 * Creates `process_memory_owners` (host, pid, instance_id): the memory process that
 * owns memory rows without a create time (netscan, malfind, cmdline) by PID. A live
 * process (no exit time) wins over exited ones, then the latest start.
 */
export async function buildMemoryOwners(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_memory_owners AS
    SELECT host, pid, instance_id FROM (
      SELECT host, pid, instance_id,
        row_number() OVER (PARTITION BY host, pid ORDER BY memory_end_us IS NULL DESC, start_us DESC NULLS LAST, instance_id DESC) AS rank
      FROM process_instances WHERE in_memory
    ) WHERE rank = 1`);
}

/**
 * Network events of processes, with the host the process index uses (memory rows
 * mapped). `image` is the Sysmon image path; netscan names only the owner, cut to
 * 14-15 characters, which becomes `name`.
 */
const NETWORK_EVENTS = `
  SELECT e.event_id, CASE WHEN e.source = 'memory' THEN map.host ELSE ${logHostSql('e.host')} END AS host, e.process_pid AS pid,
    ${guidSql('e.process_guid')} AS guid, CASE WHEN e.source = 'memory' THEN NULL ELSE e.process_image END AS image,
    ${baseNameSql('e.process_image')} AS name, epoch_us(e.ts) AS ts_us,
    CASE WHEN e.source = 'memory' THEN 'netscan' ELSE 'sysmon' END AS source
  FROM events e
  LEFT JOIN process_memory_plugins k ON e.source = 'memory' AND k.log = e.log
  LEFT JOIN process_host_map map ON e.source = 'memory' AND map.raw_host IS NOT DISTINCT FROM e.host
  WHERE e.process_pid IS NOT NULL AND e.category = 'network'
    AND ((e.source = 'memory' AND k.kind = 'netscan')
      OR (e.source <> 'memory' AND e.event_code = '3'
        AND (lower(e.provider) = 'microsoft-windows-sysmon' OR lower(e.log) = 'microsoft-windows-sysmon/operational')))`;

/** Adds a placeholder instance for each group of network events whose process is unknown. */
export async function addNetworkPlaceholders(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_network_orphans AS
    WITH net AS (${NETWORK_EVENTS}),
    owned AS (
      SELECT n.event_id FROM net n JOIN process_instances i
        ON i.host = n.host AND i.guid = n.guid
      UNION
      SELECT n.event_id FROM net n JOIN process_instances i
        ON i.host = n.host AND i.pid = n.pid AND (n.guid IS NULL OR i.guid IS NULL)
       AND (n.ts_us IS NULL OR (
            (i.start_us IS NULL OR i.start_us <= n.ts_us + CASE WHEN i.start_floored THEN ${MICROS_PER_SECOND} ELSE 0 END)
        AND (i.end_us IS NULL OR i.end_us + ${MICROS_PER_SECOND} >= n.ts_us)))
    )
    SELECT n.*,
      CASE WHEN n.guid IS NOT NULL THEN concat('guid|', n.host, '|', n.guid)
           ELSE concat('pid|', n.host, '|', n.pid, '|', lower(n.name)) END AS group_key
    FROM net n ANTI JOIN owned o ON o.event_id = n.event_id`);
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_network_groups AS
    SELECT group_key, (SELECT coalesce(max(instance_id), 0) FROM process_instances) + row_number() OVER (ORDER BY group_key) AS instance_id
    FROM (SELECT DISTINCT group_key FROM process_network_orphans)`);
  await connection.run(`
    INSERT INTO process_instances BY NAME
    SELECT g.instance_id, any_value(o.host) AS host, any_value(o.pid) AS pid, any_value(o.guid) AS guid,
      arg_min(o.image, o.event_id) FILTER (WHERE o.image IS NOT NULL) AS image,
      coalesce(arg_min(o.name, o.event_id) FILTER (WHERE o.name IS NOT NULL), 'unknown') AS name,
      false AS start_floored, min(o.ts_us) AS seen_us, false AS in_memory, false AS created_in_logs,
      'network' AS placeholder, 0 AS child_count
    FROM process_network_orphans o JOIN process_network_groups g USING (group_key) GROUP BY g.instance_id`);
  await connection.run(`
    INSERT INTO process_members
    SELECT g.instance_id, o.event_id, o.source, 'network' FROM process_network_orphans o JOIN process_network_groups g USING (group_key)`);
}
