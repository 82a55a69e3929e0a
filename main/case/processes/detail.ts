// One instance in full: what each source recorded, where they disagree, and every
// event attributed to it.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { TimelineRow } from '../../../shared/events.ts';
import type { ProcessSighting, ProcessSource } from '../../../shared/processes.ts';
import { formatMicrosIso } from '../../../shared/time.ts';
import { ROW_SELECT, toTimelineRow } from '../timeline.ts';
import { guidSql, logHostSql } from './sql-text.ts';

function isoOrNull(micros: unknown, nanos: unknown = 0): string | null {
  return micros === null || micros === undefined ? null : formatMicrosIso(BigInt(micros as bigint), Number(nanos ?? 0));
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * Reads the sightings of an instance. Each start record gives one sighting. An exit
 * record sets the end of its source's sighting, or becomes a sighting of its own when
 * that source saw no start. A parent reference (the process a child's Sysmon 1 names
 * as parent) and the network events of a placeholder give one sighting for their
 * first record.
 */
export async function readSightings(connection: DuckDBConnection, instanceId: number): Promise<ProcessSighting[]> {
  const reader = await connection.runAndReadAll(
    `SELECT m.role, m.source, m.event_id, s.start_us, s.start_nanos, s.exit_us, s.image, s.name, s.command_line, s.ppid,
       s.parent_image, s.parent_command_line, e.process_image AS event_image, epoch_us(e.ts) AS event_us
     FROM process_members m JOIN events e USING (event_id) LEFT JOIN process_sightings s USING (event_id)
     WHERE m.instance_id = $1
     ORDER BY CASE m.role WHEN 'start' THEN 0 WHEN 'parent' THEN 1 WHEN 'network' THEN 2 ELSE 3 END,
       CASE m.source WHEN 'sysmon' THEN 0 WHEN 'security' THEN 1 WHEN 'pslist' THEN 2 WHEN 'psscan' THEN 3 ELSE 4 END,
       e.ts NULLS LAST, m.event_id`,
    [BigInt(instanceId)],
  );
  const sightings: ProcessSighting[] = [];
  let referenced = false;
  for (const row of reader.getRowObjectsJS()) {
    const source = row.source as ProcessSource;
    const eventId = Number(row.event_id);
    if (row.role === 'start') {
      sightings.push({
        source,
        eventId,
        start: isoOrNull(row.start_us, row.start_nanos),
        end: isoOrNull(row.exit_us),
        image: (row.image as string | null) ?? (row.name as string | null) ?? null,
        commandLine: (row.command_line as string | null) ?? null,
        ppid: numberOrNull(row.ppid),
      });
    } else if (row.role === 'parent' && !referenced) {
      referenced = true;
      sightings.push({
        source,
        eventId,
        start: null,
        end: null,
        image: (row.parent_image as string | null) ?? null,
        commandLine: (row.parent_command_line as string | null) ?? null,
        ppid: null,
      });
    } else if (row.role === 'network' && source === 'sysmon' && !sightings.some((sighting) => sighting.source === 'sysmon')) {
      sightings.push({
        source,
        eventId,
        start: null,
        end: null,
        image: (row.event_image as string | null) ?? null,
        commandLine: null,
        ppid: null,
      });
    } else if (row.role === 'exit') {
      const end = isoOrNull(row.event_us);
      const open = sightings.find((sighting) => sighting.source === source && sighting.end === null);
      if (open) open.end = end;
      else
        sightings.push({
          source,
          eventId,
          start: null,
          end,
          image: (row.event_image as string | null) ?? null,
          commandLine: null,
          ppid: null,
        });
    }
  }
  return sightings;
}

/**
 * Events attributed to an instance: its own records and the events with its
 * ProcessGuid. Log events without a GUID, or any log event of an instance without
 * one, count when they have its PID on its host within its lifetime. Memory rows of
 * its PID count when it owns them. Placeholders get only their own records and GUID
 * matches, since their lifetime is unknown.
 */
const ATTRIBUTED = `
  WITH target AS (SELECT * FROM process_instances WHERE instance_id = $1),
  memory_hosts AS (SELECT raw_host FROM process_host_map WHERE host = (SELECT host FROM target)),
  other_members AS (SELECT event_id FROM process_members WHERE instance_id <> $1 AND role = 'start')
  SELECT event_id FROM process_members WHERE instance_id = $1
  UNION
  SELECT e.event_id FROM events e, target t
  WHERE t.guid IS NOT NULL AND e.source <> 'memory' AND ${logHostSql('e.host')} = t.host AND ${guidSql('e.process_guid')} = t.guid
  UNION
  SELECT e.event_id FROM events e, target t
  WHERE t.placeholder IS NULL AND e.source <> 'memory' AND ${logHostSql('e.host')} = t.host AND e.process_pid = t.pid
    AND (${guidSql('e.process_guid')} IS NULL OR t.guid IS NULL) AND e.ts IS NOT NULL
    AND (t.life_from_us IS NULL OR epoch_us(e.ts) >= t.life_from_us)
    AND (t.life_to_us IS NULL OR epoch_us(e.ts) < t.life_to_us)
    AND e.event_id NOT IN (SELECT event_id FROM other_members)
  UNION
  SELECT e.event_id FROM events e
  JOIN process_memory_owners o ON o.instance_id = $1 AND e.process_pid = o.pid
  WHERE e.source = 'memory' AND (e.host IN (SELECT raw_host FROM memory_hosts)
      OR (e.host IS NULL AND EXISTS (SELECT 1 FROM memory_hosts WHERE raw_host IS NULL)))
    AND e.event_id NOT IN (SELECT event_id FROM other_members)`;

export interface AttributedEvents {
  eventIds: number[];
  network: TimelineRow[];
  files: TimelineRow[];
}

export async function readAttributedEvents(connection: DuckDBConnection, instanceId: number): Promise<AttributedEvents> {
  const params = [BigInt(instanceId)];
  const ids = await connection.runAndReadAll(
    `SELECT event_id FROM events WHERE event_id IN (${ATTRIBUTED}) ORDER BY ts NULLS LAST, ts_nanos, event_id`,
    params,
  );
  const reader = await connection.runAndReadAll(
    `SELECT ${ROW_SELECT} FROM events WHERE category IN ('network', 'file') AND event_id IN (${ATTRIBUTED})
     ORDER BY ts NULLS LAST, ts_nanos, event_id`,
    params,
  );
  const rows = reader.getRowObjects().map((row) => toTimelineRow(row as Record<string, unknown>));
  return {
    eventIds: ids.getRows().map((row) => Number(row[0])),
    network: rows.filter((row) => row.category === 'network'),
    files: rows.filter((row) => row.category === 'file'),
  };
}
