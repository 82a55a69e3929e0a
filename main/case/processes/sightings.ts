// First build step: the process starts and exits that each source recorded, read from
// the events table into two narrow tables. Every later step works on these, so the
// events table is scanned for process rows once.

import type { DuckDBConnection } from '@duckdb/node-api';
import { kindOfPlugin } from '../../formats/volatility/schemas.ts';
import { baseNameSql, guidSql, logHostSql } from './sql-text.ts';

/** Memory plugins whose rows are process sightings. */
export const MEMORY_PROCESS_PLUGINS = ['pslist', 'psscan', 'pstree'] as const;

const IS_SYSMON = `(lower(e.provider) = 'microsoft-windows-sysmon' OR lower(e.log) = 'microsoft-windows-sysmon/operational')`;
const IS_SECURITY = `(lower(e.provider) = 'microsoft-windows-security-auditing' OR lower(e.log) = 'security')`;

/** Sysmon's own time of the process creation, when it agrees with the record time. */
const SYSMON_UTC = `epoch_us(TRY_CAST(e.data->>'$.EventData.UtcTime' AS TIMESTAMP))`;
/**
 * Some exports shift TimeCreated but not UtcTime (OTRF's data sets differ by hours), so
 * UtcTime is used only within this distance of the record time, else the record time.
 */
const UTC_AGREEMENT_US = 2_000_000;

/**
 * Maps each memory log (the Volatility plugin name as imported) to its plugin kind,
 * with the same rule the Volatility parser uses, into `process_memory_plugins`.
 */
async function buildMemoryPlugins(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT DISTINCT log FROM events WHERE source = 'memory'`);
  const logs = reader.getRows().map((row) => String(row[0]));
  await connection.run(`CREATE OR REPLACE TEMP TABLE process_memory_plugins (log VARCHAR, kind VARCHAR)`);
  if (logs.length === 0) return;
  const values = logs.map((_, index) => `($${2 * index + 1}, $${2 * index + 2})`).join(', ');
  await connection.run(
    `INSERT INTO process_memory_plugins VALUES ${values}`,
    logs.flatMap((log) => [log, kindOfPlugin(log)]),
  );
}

const MANDATORY_LABELS = `CASE e.data->>'$.EventData.MandatoryLabel'
  WHEN 'S-1-16-0' THEN 'Untrusted' WHEN 'S-1-16-4096' THEN 'Low' WHEN 'S-1-16-8192' THEN 'Medium'
  WHEN 'S-1-16-8448' THEN 'Medium Plus' WHEN 'S-1-16-12288' THEN 'High' WHEN 'S-1-16-16384' THEN 'System'
  WHEN 'S-1-16-20480' THEN 'Protected Process' ELSE e.data->>'$.EventData.MandatoryLabel' END`;

// 4688 writes the token type as a message id (%%1936..%%1938) or, in some exports, as rendered text.
const TOKEN_ELEVATION = `CASE
  WHEN e.data->>'$.EventData.TokenElevationType' IS NULL THEN NULL
  WHEN contains(e.data->>'$.EventData.TokenElevationType', '1936') OR contains(e.data->>'$.EventData.TokenElevationType', '(1)')
    THEN 'type 1: full token (UAC off, built-in Administrator or service)'
  WHEN contains(e.data->>'$.EventData.TokenElevationType', '1937') OR contains(e.data->>'$.EventData.TokenElevationType', '(2)')
    THEN 'type 2: elevated token (run as administrator)'
  WHEN contains(e.data->>'$.EventData.TokenElevationType', '1938') OR contains(e.data->>'$.EventData.TokenElevationType', '(3)')
    THEN 'type 3: limited token'
  ELSE e.data->>'$.EventData.TokenElevationType' END`;

/**
 * Creates `process_sightings`: one row per process start seen by Sysmon 1, Security
 * 4688 or a pslist/psscan/pstree row. `host` starts as the event's host; memory rows
 * get theirs when the host map is applied.
 */
async function buildStarts(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_sightings AS
    WITH picked AS (
      SELECT e.*, epoch_us(e.ts) AS ts_us,
        CASE
          WHEN e.source = 'memory' THEN k.kind
          WHEN e.event_code = '1' AND ${IS_SYSMON} THEN 'sysmon'
          WHEN e.event_code = '4688' AND ${IS_SECURITY} THEN 'security'
        END AS sighting_source
      FROM events e LEFT JOIN process_memory_plugins k ON e.source = 'memory' AND k.log = e.log
      WHERE e.process_pid IS NOT NULL
        AND ((e.source = 'memory' AND k.kind IN ('pslist', 'psscan', 'pstree')) OR (e.source <> 'memory' AND e.event_code IN ('1', '4688')))
    ),
    timed AS (
      SELECT e.*,
        CASE WHEN e.sighting_source = 'sysmon' THEN ${SYSMON_UTC} END AS utc_us,
        e.ts IS NULL OR e.ts_note IN ('sentinel', 'implausible', 'invalid') AS untimed
      FROM picked e WHERE e.sighting_source IS NOT NULL
    )
    SELECT
      e.event_id,
      e.host AS raw_host,
      CASE WHEN e.source = 'memory' THEN e.host ELSE ${logHostSql('e.host')} END AS host,
      e.sighting_source AS source,
      e.process_pid AS pid,
      e.parent_pid AS ppid,
      ${guidSql('e.process_guid')} AS guid,
      ${guidSql('e.parent_guid')} AS parent_guid,
      CASE WHEN e.source = 'memory' THEN e.data->>'$.values.Path' ELSE e.process_image END AS image,
      CASE WHEN e.source = 'memory' THEN e.process_image ELSE ${baseNameSql('e.process_image')} END AS name,
      e.process_command_line AS command_line,
      CASE WHEN e.user_domain IS NOT NULL AND e.user_name IS NOT NULL THEN e.user_domain || '\\' || e.user_name ELSE e.user_name END AS user_name,
      CASE
        WHEN e.untimed THEN NULL
        WHEN e.utc_us IS NOT NULL AND abs(e.utc_us - e.ts_us) <= ${UTC_AGREEMENT_US} THEN e.utc_us
        ELSE e.ts_us
      END AS start_us,
      CASE WHEN e.untimed OR (e.utc_us IS NOT NULL AND abs(e.utc_us - e.ts_us) <= ${UTC_AGREEMENT_US}) THEN 0 ELSE e.ts_nanos END AS start_nanos,
      e.source = 'memory' AS start_floored,
      CASE WHEN e.source = 'memory' THEN epoch_us(TRY_CAST(e.data->>'$.values.ExitTime' AS TIMESTAMP)) END AS exit_us,
      CASE WHEN e.source = 'memory' THEN coalesce(e.data->>'$.values."Offset(V)"', e.data->>'$.values."Offset(P)"') END AS mem_offset,
      e.parent_image,
      CASE WHEN e.sighting_source = 'sysmon' THEN e.data->>'$.EventData.ParentCommandLine' END AS parent_command_line,
      CASE WHEN e.sighting_source = 'sysmon' THEN e.data->>'$.EventData.IntegrityLevel'
           WHEN e.sighting_source = 'security' THEN ${MANDATORY_LABELS} END AS integrity,
      CASE WHEN e.sighting_source = 'security' THEN ${TOKEN_ELEVATION} END AS elevation,
      CASE WHEN e.sighting_source = 'sysmon' THEN e.data->>'$.EventData.Hashes' END AS hashes
    FROM timed e`);
}

/** Creates `process_exits`: Sysmon 5 and Security 4689, one row per exit record. */
async function buildExits(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE process_exits AS
    SELECT e.event_id, ${logHostSql('e.host')} AS host,
      CASE WHEN e.event_code = '5' THEN 'sysmon' ELSE 'security' END AS source,
      e.process_pid AS pid, ${guidSql('e.process_guid')} AS guid, ${baseNameSql('e.process_image')} AS name, epoch_us(e.ts) AS ts_us
    FROM events e
    WHERE e.source <> 'memory' AND e.process_pid IS NOT NULL AND e.ts IS NOT NULL
      AND ((e.event_code = '5' AND ${IS_SYSMON}) OR (e.event_code = '4689' AND ${IS_SECURITY}))`);
}

export async function buildSightings(connection: DuckDBConnection): Promise<void> {
  await buildMemoryPlugins(connection);
  await buildStarts(connection);
  await buildExits(connection);
}
