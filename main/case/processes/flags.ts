// Last build step: the flags hunters look for, one SQL rule each, into `process_flags`
// (instance_id, code, severity, explanation). Each explanation is one sentence that
// names the evidence: the process, its PID, the source and the time or value seen.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { FlagSeverity } from '../../../shared/processes.ts';
import { gradeMalfindRegions } from './malfind.ts';
import {
  BROWSERS,
  CREDENTIAL_DUMP_PATTERN,
  DOWNLOAD_CRADLE_PATTERN,
  ENCODED_COMMAND_PATTERN,
  KNOWN_NAMES,
  LOG_CLEARING_PATTERN,
  OFFICE_APPS,
  POWERSHELL_NAMES,
  SCRIPT_HOSTS,
  SHELLS,
  SYSTEM_PROCESSES,
} from './names.ts';
import { MEMORY_PROCESS_PLUGINS } from './sightings.ts';
import { baseNameSql, imageFolderSql, isoMillisSql, isoSecondSql, sqlList, sqlString } from './sql-text.ts';

export interface FlagRule {
  code: string;
  severity: FlagSeverity;
  /** SELECT of (instance_id, explanation). Instance alias `i`; `p` is the parent instance where joined. */
  select: string;
}

/** `name (PID n)` of an instance alias. */
function who(alias: string): string {
  return `${alias}.name || ' (PID ' || coalesce(CAST(${alias}.pid AS VARCHAR), '?') || ')'`;
}

/** At most 160 characters of a command line, for explanations. */
function shortCommand(expression: string): string {
  return `CASE WHEN length(${expression}) > 160 THEN left(${expression}, 159) || '…' ELSE ${expression} END`;
}

function hasMember(source: string): string {
  return `EXISTS (SELECT 1 FROM process_members m WHERE m.instance_id = i.instance_id AND m.source = ${sqlString(source)})`;
}

/** Instances with their parent instance `p` and the parent's name as best known. */
const WITH_PARENT = `process_instances i LEFT JOIN process_instances p ON p.instance_id = i.parent_id`;
const PARENT_NAME = `coalesce(p.canonical_name, lower(${baseNameSql('i.parent_image')}))`;
const PARENT_WHO = `coalesce(${who('p')}, ${baseNameSql('i.parent_image')} || ' (PID ' || coalesce(CAST(i.ppid AS VARCHAR), '?') || ')')`;

function spawnRule(code: string, severity: FlagSeverity, parents: readonly string[], kind: string): FlagRule {
  return {
    code,
    severity,
    select: `SELECT i.instance_id, ${PARENT_WHO} || ' started the shell ' || ${who('i')} || ', which ${kind} rarely do'
      FROM ${WITH_PARENT}
      WHERE i.canonical_name IN ${sqlList(SHELLS)} AND ${PARENT_NAME} IN ${sqlList(parents)}`,
  };
}

/** A high flag for command lines matching `pattern`, naming the matched text. */
function commandRule(code: string, pattern: string, action: string): FlagRule {
  return {
    code,
    severity: 'high',
    select: `SELECT i.instance_id, 'the command line of ' || ${who('i')} || ' ${action} ('
        || regexp_extract(i.command_line, ${sqlString(pattern)}, 1) || '): ' || ${shortCommand('i.command_line')}
      FROM process_instances i
      WHERE regexp_matches(i.command_line, ${sqlString(pattern)})`,
  };
}

function unusualParentRules(): FlagRule[] {
  return SYSTEM_PROCESSES.filter((process) => process.expectedParents.length > 0).map((process) => {
    const expected = process.expectedParents.join(' or ');
    // With no parent instance, only a parent PID that is known to be wrong counts (System is PID 4).
    const pidCheck =
      process.expectedParentPid === undefined
        ? 'false'
        : `(p.instance_id IS NULL AND i.parent_image IS NULL AND i.ppid IS NOT NULL AND i.ppid <> ${process.expectedParentPid})`;
    return {
      code: 'unusual_parent',
      severity: 'medium' as const,
      select: `SELECT i.instance_id, ${who('i')} || ' has parent ' || ${PARENT_WHO} || ', but Windows starts ${process.name} from ${expected}'
        FROM ${WITH_PARENT}
        WHERE i.canonical_name = ${sqlString(process.name)}
          AND ((${PARENT_NAME} IS NOT NULL AND ${PARENT_NAME} NOT IN ${sqlList(process.expectedParents)}) OR ${pidCheck})`,
    };
  });
}

function unusualPathRules(): FlagRule[] {
  return SYSTEM_PROCESSES.map((process) => ({
    code: 'unusual_path',
    severity: 'high' as const,
    select: `SELECT i.instance_id, ${who('i')} || ' runs from ' || i.image || ', but Windows runs ' || i.name || ' from '
        || ${sqlString(process.folders.map((folder) => `C:${folder}`).join(' or '))}
      FROM process_instances i
      WHERE i.canonical_name = ${sqlString(process.name)} AND contains(i.image, '\\')
        AND ${imageFolderSql('i.image')} NOT IN ${sqlList(process.folders.map((folder) => folder.toLowerCase()))}`,
  }));
}

const MEMORY_SOURCES = sqlList(MEMORY_PROCESS_PLUGINS);

/**
 * Flags network events that no live instance owns. The flag is medium when memory
 * (netscan) saw them or Sysmon could not name the process. It is low when Sysmon names
 * an image, because that is most often a process started before the logs begin.
 */
function networkRule(severity: FlagSeverity, unnamed: boolean): FlagRule {
  const suspicious = `(bool_or(m.source = 'netscan') OR any_value(i.name) = '<unknown process>')`;
  return {
    code: 'network_without_process',
    severity,
    select: `SELECT i.instance_id, count(*) || ' network event' || CASE WHEN count(*) = 1 THEN '' ELSE 's' END || ' ('
        || string_agg(DISTINCT CASE m.source WHEN 'netscan' THEN 'netscan' ELSE 'Sysmon 3' END, ' and ') || ') from '
        || any_value(${who('i')}) || coalesce(' starting ' || ${isoSecondSql('any_value(i.seen_us)')}, '')
        || ' match no process instance alive at that time'
      FROM process_instances i JOIN process_members m ON m.instance_id = i.instance_id AND m.role = 'network'
      WHERE i.placeholder = 'network'
      GROUP BY i.instance_id
      HAVING ${unnamed ? suspicious : `NOT ${suspicious}`}`,
  };
}

/**
 * Flags processes with malfind regions, graded in `process_malfind_regions`. A process
 * with any region of code gets one high flag for those regions. A process whose regions
 * are all zeros or empty gets one low flag, because JIT compilers and anti-virus engines
 * leave such regions.
 */
function malfindRule(severity: 'high' | 'low'): FlagRule {
  const graded = `FILTER (WHERE g.severity = ${sqlString(severity)})`;
  const count = `count(*) ${graded}`;
  const first = (value: string) => `arg_min(${value}, e.event_id) ${graded}`;
  const noun = severity === 'high' ? 'injected-code candidate region' : 'region';
  const hasCode = `bool_or(g.severity = 'high')`;
  return {
    code: 'malfind',
    severity,
    select: `SELECT o.instance_id, 'malfind reports ' || ${count} || ' ${noun}' || CASE WHEN ${count} = 1 THEN '' ELSE 's' END
        || ' in ' || any_value(${who('i')})
        || ', first at ' || coalesce(${first(`e.data->>'$.values."Start VPN"'`)}, '?')
        || ' with ' || coalesce(${first(`e.data->>'$.values.Protection'`)}, 'unknown protection')
        || ': ' || ${first('g.reason')}
      FROM events e
      JOIN process_malfind_regions g ON g.event_id = e.event_id
      JOIN process_host_map map ON map.raw_host IS NOT DISTINCT FROM e.host
      JOIN process_memory_owners o ON o.host = map.host AND o.pid = e.process_pid
      JOIN process_instances i ON i.instance_id = o.instance_id
      GROUP BY o.instance_id
      HAVING ${severity === 'high' ? hasCode : `NOT ${hasCode}`}`,
  };
}

export const FLAG_RULES: FlagRule[] = [
  {
    code: 'hidden_from_pslist',
    severity: 'high',
    select: `SELECT i.instance_id, 'psscan found ' || ${who('i')} || ' without an exit time, but pslist does not list it: it is unlinked from the active process list'
      FROM process_instances i
      WHERE ${hasMember('psscan')} AND NOT ${hasMember('pslist')} AND i.memory_end_us IS NULL
        AND EXISTS (SELECT 1 FROM process_sightings s WHERE s.source = 'pslist' AND s.host = i.host)`,
  },
  {
    code: 'no_creation_event',
    severity: 'medium',
    select: `SELECT i.instance_id, 'memory shows ' || ${who('i')} || ' created at ' || ${isoSecondSql('i.start_us')}
        || ', but no Sysmon 1 or Security 4688 records it although the process-creation logs of ' || i.host || ' cover '
        || ${isoSecondSql('c.first_us')} || ' to ' || ${isoSecondSql('c.last_us')}
      FROM process_instances i JOIN (
        SELECT host, min(start_us) AS first_us, max(start_us) AS last_us FROM process_sightings
        WHERE source IN ('sysmon', 'security') GROUP BY host
      ) c ON c.host = i.host
      WHERE i.in_memory AND NOT i.created_in_logs AND i.start_us BETWEEN c.first_us AND c.last_us`,
  },
  {
    code: 'exited_but_alive',
    severity: 'high',
    select: `SELECT i.instance_id, ${who('i')} || ' exited at ' || ${isoMillisSql('i.log_end_us')} || ' by '
        || (SELECT string_agg(DISTINCT CASE x.source WHEN 'sysmon' THEN 'Sysmon 5' ELSE 'Security 4689' END, ' and ')
            FROM process_exit_links x WHERE x.instance_id = i.instance_id)
        || ', but pslist still lists it with no exit time in a memory image taken after that'
      FROM process_instances i
      WHERE i.log_end_us IS NOT NULL AND i.memory_end_us IS NULL AND ${hasMember('pslist')}
        AND i.log_end_us < (SELECT max(s.start_us) FROM process_sightings s WHERE s.host = i.host AND s.source IN ${MEMORY_SOURCES})`,
  },
  spawnRule('office_spawns_shell', 'high', OFFICE_APPS, 'Office applications'),
  spawnRule('browser_spawns_shell', 'high', BROWSERS, 'browsers'),
  spawnRule('script_host_spawns_shell', 'medium', SCRIPT_HOSTS, 'script hosts'),
  // PsExec and service-based lateral movement run their payload as a service, so the shell's parent is services.exe.
  spawnRule('service_spawns_shell', 'medium', ['services.exe'], 'services'),
  {
    code: 'encoded_powershell',
    severity: 'high',
    select: `SELECT i.instance_id, ${who('i')} || ' runs a Base64-encoded PowerShell command (-'
        || regexp_extract(i.command_line, ${sqlString(ENCODED_COMMAND_PATTERN)}, 1) || '): ' || ${shortCommand('i.command_line')}
      FROM process_instances i
      WHERE regexp_matches(i.command_line, ${sqlString(ENCODED_COMMAND_PATTERN)})
        AND (i.canonical_name IN ${sqlList(POWERSHELL_NAMES)} OR regexp_matches(i.command_line, '(?i)(powershell|pwsh)'))`,
  },
  {
    code: 'download_cradle',
    severity: 'high',
    select: `SELECT i.instance_id, 'the command line of ' || ${who('i')} || ' downloads code ('
        || regexp_extract(i.command_line, ${sqlString(DOWNLOAD_CRADLE_PATTERN)}, 1) || '): ' || ${shortCommand('i.command_line')}
      FROM process_instances i
      WHERE regexp_matches(i.command_line, ${sqlString(DOWNLOAD_CRADLE_PATTERN)})`,
  },
  commandRule('credential_dumping', CREDENTIAL_DUMP_PATTERN, 'dumps LSASS memory, where Windows keeps credentials'),
  commandRule('log_clearing', LOG_CLEARING_PATTERN, 'clears event logs'),
  ...unusualParentRules(),
  ...unusualPathRules(),
  {
    code: 'multiple_lsass',
    severity: 'high',
    select: `SELECT i.instance_id, 'memory shows ' || count(*) OVER (PARTITION BY i.host) || ' live lsass.exe processes (PIDs '
        || string_agg(CAST(i.pid AS VARCHAR), ', ' ORDER BY i.pid) OVER (PARTITION BY i.host) || '), but Windows runs one'
      FROM process_instances i
      WHERE i.canonical_name = 'lsass.exe' AND i.in_memory AND i.memory_end_us IS NULL
      QUALIFY count(*) OVER (PARTITION BY i.host) > 1`,
  },
  malfindRule('high'),
  malfindRule('low'),
  networkRule('medium', true),
  networkRule('low', false),
];

/** Expands a memory name cut to 14 or 15 characters to the full name the flags know, if there is one. */
function canonicalNameSql(name: string): string {
  const cases = KNOWN_NAMES.map(
    (known) => `WHEN length(${name}) BETWEEN 14 AND 15 AND starts_with(${sqlString(known)}, lower(${name})) THEN ${sqlString(known)}`,
  );
  return `CASE ${cases.join(' ')} ELSE lower(${name}) END`;
}

/** Creates `process_flags` from every rule. */
export async function buildFlags(connection: DuckDBConnection): Promise<void> {
  await gradeMalfindRegions(connection);
  await connection.run(`ALTER TABLE process_instances ADD COLUMN IF NOT EXISTS canonical_name VARCHAR`);
  await connection.run(`UPDATE process_instances SET canonical_name = ${canonicalNameSql('name')}`);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE process_flags (instance_id BIGINT, rule INTEGER, code VARCHAR, severity VARCHAR, explanation VARCHAR)`,
  );
  for (const [index, rule] of FLAG_RULES.entries()) {
    await connection.run(`
      INSERT INTO process_flags
      SELECT flagged.instance_id, ${index}, ${sqlString(rule.code)}, ${sqlString(rule.severity)}, flagged.explanation
      FROM (${rule.select}) flagged(instance_id, explanation)`);
  }
}
