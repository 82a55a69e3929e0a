// SQL fragments shared by the process index build steps. Each function returns an
// expression over the SQL expressions it is given.

export const MICROS_PER_SECOND = 1_000_000;

/** Returns a JavaScript string as a SQL string literal. DuckDB reads backslashes in literals as plain characters. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlList(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}

/** Returns the last component of a Windows or POSIX path. */
export function baseNameSql(path: string): string {
  return `regexp_replace(${path}, ${sqlString('^.*[\\\\/]')}, '')`;
}

/** Host of log records that name no computer. */
export const UNKNOWN_HOST = 'unknown host';

/** Returns the host of a Sysmon or Security record, or UNKNOWN_HOST for none, so that grouping and joins by host work. */
export function logHostSql(host: string): string {
  return `coalesce(${host}, ${sqlString(UNKNOWN_HOST)})`;
}

/** Returns a process GUID in lowercase, or null for none. Sysmon writes all zeros for a process it could not identify. */
export function guidSql(guid: string): string {
  return `nullif(lower(${guid}), '{00000000-0000-0000-0000-000000000000}')`;
}

/** Microseconds rounded down to the whole second, also for times before 1970. */
export function floorSecondSql(micros: string): string {
  return `(${micros} - ((${micros} % ${MICROS_PER_SECOND}) + ${MICROS_PER_SECOND}) % ${MICROS_PER_SECOND})`;
}

/**
 * Tests whether a memory process name (EPROCESS.ImageFileName, cut to 14 or 15 characters)
 * names the same image as a log's base name: a case-insensitive prefix when the
 * memory name has the cut length, else equal ignoring case.
 */
export function memoryNameMatchesSql(memoryName: string, logName: string): string {
  return `(CASE WHEN length(${memoryName}) BETWEEN 14 AND 15 THEN starts_with(lower(${logName}), lower(${memoryName}))
    ELSE lower(${logName}) = lower(${memoryName}) END)`;
}

/**
 * Returns the folder of an image path, lowercase and without drive or NT prefixes, so that
 * `C:\Windows\System32\x.exe`, `\SystemRoot\System32\x.exe`, `\??\C:\Windows\system32\x.exe`
 * and `\Device\HarddiskVolume2\Windows\System32\x.exe` all give `\windows\system32`.
 */
export function imageFolderSql(image: string): string {
  let path = `lower(${image})`;
  path = `regexp_replace(${path}, ${sqlString('^(\\\\\\?\\?\\\\|\\\\\\\\\\?\\\\)')}, '')`;
  path = `regexp_replace(${path}, ${sqlString('^\\\\device\\\\harddiskvolume[0-9]+')}, '')`;
  path = `regexp_replace(${path}, ${sqlString('^(\\\\systemroot|%systemroot%)')}, ${sqlString('\\\\windows')})`;
  path = `regexp_replace(${path}, ${sqlString('^[a-z]:')}, '')`;
  return `regexp_replace(${path}, ${sqlString('\\\\[^\\\\]*$')}, '')`;
}

/** Formats epoch microseconds as ISO 8601 UTC to the second, for flag explanations. */
export function isoSecondSql(micros: string): string {
  return `strftime(make_timestamp(${micros}), '%Y-%m-%dT%H:%M:%SZ')`;
}

/** Formats epoch microseconds as ISO 8601 UTC to the millisecond. */
export function isoMillisSql(micros: string): string {
  return `strftime(make_timestamp(${micros}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
}
