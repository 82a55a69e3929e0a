// Third build step: one process instance per primary unit, with the values of its
// best source (Sysmon, then Security, then a parent reference, then memory), its exit
// from the logs, and the events that make it up.

import type { DuckDBConnection } from '@duckdb/node-api';
import { MICROS_PER_SECOND } from './sql-text.ts';

const PRIORITY = `CASE u.kind WHEN 'sysmon' THEN 1 WHEN 'security' THEN 2 WHEN 'parent' THEN 3 ELSE 4 END`;

function best(column: string): string {
  return `arg_min(u.${column}, u.priority) FILTER (WHERE u.${column} IS NOT NULL) AS ${column}`;
}

/** Creates `process_instances` from the linked units, numbered by host, start and PID. */
export async function buildInstances(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_instances AS
    WITH units AS (
      SELECT u.*, k.primary_unit, ${PRIORITY} AS priority FROM process_units u JOIN process_unit_links k USING (unit_id)
    ),
    merged AS (
      SELECT u.primary_unit,
        any_value(u.host) AS host,
        ${best('pid')}, ${best('ppid')}, ${best('guid')}, ${best('parent_guid')}, ${best('image')},
        ${best('command_line')}, ${best('user_name')}, ${best('parent_image')}, ${best('integrity')}, ${best('elevation')},
        ${best('hashes')},
        arg_min(u.name, u.priority) FILTER (WHERE u.name IS NOT NULL) AS name,
        arg_min(u.start_us, u.priority) FILTER (WHERE u.start_us IS NOT NULL) AS start_us,
        arg_min(u.start_nanos, u.priority) FILTER (WHERE u.start_us IS NOT NULL) AS start_nanos,
        coalesce(arg_min(u.start_floored, u.priority) FILTER (WHERE u.start_us IS NOT NULL), false) AS start_floored,
        min(u.seen_us) AS seen_us,
        max(u.exit_us) FILTER (WHERE u.kind = 'memory') AS memory_end_us,
        bool_or(u.kind = 'memory') AS in_memory,
        bool_or(u.kind IN ('sysmon', 'security')) AS created_in_logs
      FROM units u GROUP BY u.primary_unit
    )
    SELECT row_number() OVER (ORDER BY host, start_us NULLS FIRST, pid, primary_unit) AS instance_id,
      merged.*,
      NULL::BIGINT AS log_end_us,
      memory_end_us AS end_us,
      NULL::VARCHAR AS placeholder,
      NULL::BIGINT AS parent_id,
      0::BIGINT AS child_count,
      NULL::BIGINT AS life_from_us,
      NULL::BIGINT AS life_to_us
    FROM merged`);
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_members AS
    SELECT i.instance_id, ue.event_id, ue.source, ue.role
    FROM process_unit_events ue JOIN process_unit_links k USING (unit_id) JOIN process_instances i ON i.primary_unit = k.primary_unit`);
}

/**
 * Attaches Sysmon 5 and Security 4689 exits by ProcessGuid where the exit has one and an
 * instance carries it. Other exits go to the instance of the same host and PID that
 * started last before the exit, because PIDs are reused. An exit that matches no
 * instance is left out, since the start of its process is unknown.
 */
export async function attachExits(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_exit_links AS
    WITH by_guid AS (
      SELECT x.event_id, x.source, i.instance_id
      FROM process_exits x JOIN process_instances i ON x.guid IS NOT NULL AND i.guid = x.guid AND i.host = x.host
    ),
    keyed AS (
      SELECT instance_id, host, pid, guid, coalesce(start_us, seen_us) AS key_us FROM process_instances
      WHERE coalesce(start_us, seen_us) IS NOT NULL
    ),
    rest AS (
      SELECT x.* FROM process_exits x ANTI JOIN by_guid g ON g.event_id = x.event_id
    ),
    -- A join ranked by start rather than an ASOF join: inside the build's transaction, DuckDB
    -- from @duckdb/node-api 1.5.6 took 50 s for an ASOF join of 90,000 exits that this does in 0.2 s.
    latest AS (
      SELECT x.event_id, x.source, x.guid AS exit_guid, k.instance_id, k.guid AS instance_guid
      FROM rest x JOIN keyed k ON x.host = k.host AND x.pid = k.pid AND x.ts_us >= k.key_us
      QUALIFY row_number() OVER (PARTITION BY x.event_id ORDER BY k.key_us DESC, k.instance_id DESC) = 1
    ),
    by_pid AS (
      SELECT event_id, source, instance_id FROM latest WHERE exit_guid IS NULL OR instance_guid IS NULL
    )
    SELECT * FROM by_guid UNION ALL SELECT * FROM by_pid`);
  await connection.run(`
    UPDATE process_instances SET log_end_us = ends.end_us, end_us = ends.end_us
    FROM (
      SELECT l.instance_id, min(epoch_us(e.ts)) AS end_us
      FROM process_exit_links l JOIN events e USING (event_id) GROUP BY l.instance_id
    ) ends
    WHERE process_instances.instance_id = ends.instance_id`);
  await connection.run(`INSERT INTO process_members SELECT instance_id, event_id, source, 'exit' FROM process_exit_links`);
}

/**
 * Sets each instance's lifetime, the window in which a PID-only event on its host
 * belongs to it. The window opens at its start, else at the end of the previous
 * process with that PID. It closes a second after its exit, else at the next start
 * with that PID. Open ends are null.
 */
export async function setLifetimes(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    UPDATE process_instances SET life_from_us = w.life_from_us, life_to_us = w.life_to_us
    FROM (
      SELECT instance_id,
        coalesce(start_us, lag(coalesce(end_us, start_us)) OVER same_pid) AS life_from_us,
        coalesce(end_us + ${MICROS_PER_SECOND}, lead(coalesce(start_us, seen_us)) OVER same_pid) AS life_to_us
      FROM process_instances
      WINDOW same_pid AS (PARTITION BY host, pid ORDER BY coalesce(start_us, seen_us) NULLS FIRST, instance_id)
    ) w
    WHERE process_instances.instance_id = w.instance_id`);
}
