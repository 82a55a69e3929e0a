// Second build step: group sightings into units (one process as one source saw it)
// and link units that are the same process into one primary unit, which becomes the
// process instance.
//
// - sysmon: one unit per host and ProcessGuid (duplicate records of one start collapse).
// - security: one unit per host, PID, start time and image name.
// - parent: a process that Sysmon children name by ParentProcessGuid but whose own
//   creation is not in the logs, because it started before them. Only its children show it.
// - memory: one unit per host, PID, create time and name over pslist, psscan and pstree.

import type { DuckDBConnection } from '@duckdb/node-api';
import { baseNameSql, floorSecondSql, MICROS_PER_SECOND, memoryNameMatchesSql } from './sql-text.ts';

/** Sysmon 1 and Security 4688 of one process start are at most this far apart. */
export const LOG_MERGE_TOLERANCE_US = 2 * MICROS_PER_SECOND;

const UNIT_COLUMNS = `unit_id BIGINT, unit_key VARCHAR, kind VARCHAR, host VARCHAR, pid BIGINT, ppid BIGINT, guid VARCHAR,
  parent_guid VARCHAR, image VARCHAR, name VARCHAR, command_line VARCHAR, user_name VARCHAR, start_us BIGINT,
  start_nanos INTEGER, start_floored BOOLEAN, seen_us BIGINT, exit_us BIGINT, parent_image VARCHAR, integrity VARCHAR,
  elevation VARCHAR, hashes VARCHAR`;

/** Aggregates of one unit's sightings: the earliest record with a value wins. */
const UNIT_AGGREGATES = `
  any_value(s.host) AS host,
  arg_min(s.pid, s.event_id) AS pid,
  arg_min(s.ppid, s.event_id) FILTER (WHERE s.ppid IS NOT NULL) AS ppid,
  arg_min(s.guid, s.event_id) FILTER (WHERE s.guid IS NOT NULL) AS guid,
  arg_min(s.parent_guid, s.event_id) FILTER (WHERE s.parent_guid IS NOT NULL) AS parent_guid,
  arg_min(s.image, s.event_id) FILTER (WHERE s.image IS NOT NULL) AS image,
  arg_min(s.name, s.event_id) FILTER (WHERE s.name IS NOT NULL) AS name,
  arg_min(s.command_line, s.event_id) FILTER (WHERE s.command_line IS NOT NULL) AS command_line,
  arg_min(s.user_name, s.event_id) FILTER (WHERE s.user_name IS NOT NULL) AS user_name,
  min(s.start_us) AS start_us,
  arg_min(s.start_nanos, s.start_us) AS start_nanos,
  bool_and(s.start_floored) AS start_floored,
  NULL::BIGINT AS seen_us,
  max(s.exit_us) AS exit_us,
  arg_min(s.parent_image, s.event_id) FILTER (WHERE s.parent_image IS NOT NULL) AS parent_image,
  arg_min(s.integrity, s.event_id) FILTER (WHERE s.integrity IS NOT NULL) AS integrity,
  arg_min(s.elevation, s.event_id) FILTER (WHERE s.elevation IS NOT NULL) AS elevation,
  arg_min(s.hashes, s.event_id) FILTER (WHERE s.hashes IS NOT NULL) AS hashes`;

/** Unit key of a sighting row `s`. */
const UNIT_KEY = `CASE
  WHEN s.source = 'sysmon' AND s.guid IS NOT NULL THEN concat('sysmon|', s.host, '|', s.guid)
  WHEN s.source = 'sysmon' THEN concat('sysmon|', s.host, '|', s.pid, '|', s.start_us, '|', lower(s.name), '|', s.event_id)
  WHEN s.source = 'security' THEN concat('security|', s.host, '|', s.pid, '|', s.start_us, '|', lower(s.name))
  ELSE concat('memory|', s.host, '|', s.pid, '|', s.start_us, '|', lower(s.name))
END`;

/** Creates `process_units` and `process_unit_events` for the Sysmon, Security and parent units. */
export async function buildLogUnits(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE process_units (${UNIT_COLUMNS})`);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE process_unit_events (unit_key VARCHAR, unit_id BIGINT, event_id BIGINT, source VARCHAR, role VARCHAR)`,
  );
  await connection.run(`
    INSERT INTO process_unit_events
    SELECT ${UNIT_KEY}, NULL, s.event_id, s.source, 'start' FROM process_sightings s WHERE s.source IN ('sysmon', 'security')`);
  await connection.run(`
    INSERT INTO process_units
    SELECT NULL, ue.unit_key, any_value(s.source), ${UNIT_AGGREGATES}
    FROM process_unit_events ue JOIN process_sightings s USING (event_id)
    GROUP BY ue.unit_key`);
  // Parents named by a ParentProcessGuid that no Sysmon 1 of the same host created.
  await connection.run(`
    INSERT INTO process_unit_events
    SELECT concat('parent|', s.host, '|', s.parent_guid), NULL, s.event_id, 'sysmon', 'parent'
    FROM process_sightings s
    WHERE s.source = 'sysmon' AND s.parent_guid IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM process_units u WHERE u.kind = 'sysmon' AND u.host = s.host AND u.guid = s.parent_guid)`);
  await connection.run(`
    INSERT INTO process_units
    SELECT NULL, ue.unit_key, 'parent', any_value(s.host), arg_min(s.ppid, s.event_id), NULL, any_value(s.parent_guid), NULL,
      arg_min(s.parent_image, s.event_id) FILTER (WHERE s.parent_image IS NOT NULL),
      arg_min(${baseNameSql('s.parent_image')}, s.event_id) FILTER (WHERE s.parent_image IS NOT NULL),
      arg_min(s.parent_command_line, s.event_id) FILTER (WHERE s.parent_command_line IS NOT NULL),
      NULL, NULL, 0, false, min(s.start_us), NULL, NULL, NULL, NULL, NULL
    FROM process_unit_events ue JOIN process_sightings s USING (event_id)
    WHERE ue.role = 'parent'
    GROUP BY ue.unit_key`);
}

/** Adds the memory units to `process_units`; run after the memory hosts are mapped. */
export async function buildMemoryUnits(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    INSERT INTO process_unit_events
    SELECT ${UNIT_KEY}, NULL, s.event_id, s.source, 'start' FROM process_sightings s WHERE s.source IN ('pslist', 'psscan', 'pstree')`);
  await connection.run(`
    INSERT INTO process_units
    SELECT NULL, ue.unit_key, 'memory', ${UNIT_AGGREGATES}
    FROM process_unit_events ue JOIN process_sightings s USING (event_id)
    WHERE ue.source IN ('pslist', 'psscan', 'pstree')
    GROUP BY ue.unit_key`);
}

/** Numbers the units in key order and copies the numbers to their events. */
export async function numberUnits(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    UPDATE process_units SET unit_id = numbered.id
    FROM (SELECT unit_key, row_number() OVER (ORDER BY unit_key) AS id FROM process_units) numbered
    WHERE process_units.unit_key = numbered.unit_key`);
  await connection.run(`
    UPDATE process_unit_events SET unit_id = u.unit_id FROM process_units u WHERE process_unit_events.unit_key = u.unit_key`);
}

/**
 * Tests whether memory unit `m` is the process of log unit or instance `l`: same PID, names
 * that agree (memory names are cut), and times that agree. Volatility floors create
 * times to whole seconds, so a timed log start must lie in the second `m` names. A log
 * process with no start time (a parent known from its children) must have been created
 * before it was first seen, and not have exited by then.
 */
export function memoryMatchesLogSql(m: string, l: string, options: { untimed: boolean }): string {
  const floor = floorSecondSql(`${l}.start_us`);
  const timed = `(${l}.start_us IS NOT NULL AND ${m}.start_us >= ${floor} AND ${m}.start_us < ${floor} + ${MICROS_PER_SECOND})`;
  const untimed = `(${l}.start_us IS NULL AND ${l}.seen_us IS NOT NULL AND ${m}.start_us <= ${l}.seen_us
    AND (${m}.exit_us IS NULL OR ${m}.exit_us + ${MICROS_PER_SECOND} > ${l}.seen_us))`;
  return `(${l}.pid = ${m}.pid AND ${memoryNameMatchesSql(`${m}.name`, `${l}.name`)} AND (${options.untimed ? `${timed} OR ${untimed}` : timed}))`;
}

/**
 * Creates `process_unit_links` (unit, primary unit). A Security unit joins the Sysmon
 * unit of the same host, PID and image name that started nearest in time within the
 * tolerance, provided each is the other's nearest. A memory unit joins the log process
 * it matches under the same mutual-nearest rule. Every other unit is its own primary.
 */
export async function linkUnits(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_unit_links AS
    WITH pairs AS (
      SELECT w.unit_id AS security_unit, s.unit_id AS sysmon_unit,
        row_number() OVER (PARTITION BY w.unit_id ORDER BY abs(w.start_us - s.start_us), s.unit_id) AS rank_security,
        row_number() OVER (PARTITION BY s.unit_id ORDER BY abs(w.start_us - s.start_us), w.unit_id) AS rank_sysmon
      FROM process_units w JOIN process_units s
        ON w.kind = 'security' AND s.kind = 'sysmon' AND w.host = s.host AND w.pid = s.pid
       AND abs(w.start_us - s.start_us) <= ${LOG_MERGE_TOLERANCE_US} AND lower(w.name) = lower(s.name)
    )
    SELECT u.unit_id, u.kind, coalesce(p.sysmon_unit, u.unit_id) AS primary_unit
    FROM process_units u
    LEFT JOIN (SELECT * FROM pairs WHERE rank_security = 1 AND rank_sysmon = 1) p ON p.security_unit = u.unit_id`);
  // The log side of a merged Sysmon and Security pair is its Sysmon unit, whose start is the one compared.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_memory_pairs AS
    WITH logs AS (
      SELECT u.* FROM process_units u JOIN process_unit_links k USING (unit_id)
      WHERE u.kind <> 'memory' AND k.primary_unit = u.unit_id
    ),
    candidates AS (
      SELECT m.unit_id AS memory_unit, l.unit_id AS log_unit,
        abs(m.start_us - coalesce(l.start_us, l.seen_us)) AS distance
      FROM process_units m JOIN logs l ON m.kind = 'memory' AND l.host = m.host AND ${memoryMatchesLogSql('m', 'l', { untimed: true })}
    ),
    ranked AS (
      SELECT *, row_number() OVER (PARTITION BY memory_unit ORDER BY distance, log_unit) AS rank_memory,
        row_number() OVER (PARTITION BY log_unit ORDER BY distance, memory_unit) AS rank_log
      FROM candidates
    )
    SELECT memory_unit, log_unit FROM ranked WHERE rank_memory = 1 AND rank_log = 1`);
  await connection.run(`
    UPDATE process_unit_links SET primary_unit = p.log_unit
    FROM process_memory_pairs p WHERE process_unit_links.unit_id = p.memory_unit`);
}
