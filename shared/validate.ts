// Argument validation for every API method, shared by the IPC handlers and the HTTP
// bridge so both reject the same malformed calls before they reach the backend.

import { API_METHODS, ApiError, type ApiMethod, type ColumnFilter, TEXT_FILTER_OPS, type TimelineQuery } from './api.ts';
import { TIMELINE_COLUMNS } from './events.ts';

const MAX_PAGE_ROWS = 10_000;
const MAX_TEXT = 4_096;
const MAX_PATHS = 1_000;
const MAX_EVENT_IDS = 100_000;
const MAX_HISTOGRAM_BUCKETS = 2_000;

function fail(method: string, detail: string): never {
  throw new ApiError('bad_request', `invalid arguments for ${method}: ${detail}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkInteger(method: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(method, `${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkText(method: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    fail(method, `${name} must be a string of at most ${MAX_TEXT} characters`);
  }
  return value;
}

function checkFilter(method: string, value: unknown, index: number): ColumnFilter {
  if (!isRecord(value)) fail(method, `filters[${index}] must be an object`);
  const { column, op } = value;
  if (typeof column !== 'string' || !(TIMELINE_COLUMNS as readonly string[]).includes(column)) {
    fail(method, `filters[${index}].column ${JSON.stringify(column)} is not one of ${TIMELINE_COLUMNS.join(', ')}`);
  }
  if (typeof op !== 'string' || !(TEXT_FILTER_OPS as readonly string[]).includes(op)) {
    fail(method, `filters[${index}].op ${JSON.stringify(op)} is not one of ${TEXT_FILTER_OPS.join(', ')}`);
  }
  const filterValue = checkText(method, `filters[${index}].value`, value.value ?? '');
  return { column: column as ColumnFilter['column'], op: op as ColumnFilter['op'], value: filterValue };
}

function checkTime(method: string, name: string, value: unknown): string {
  const text = checkText(method, name, value);
  if (Number.isNaN(Date.parse(text))) fail(method, `${name} ${JSON.stringify(text)} is not an ISO 8601 time`);
  return text;
}

export function validateQuery(method: string, value: unknown): TimelineQuery {
  if (!isRecord(value)) fail(method, 'query must be an object');
  const query: TimelineQuery = {};
  if (value.from !== undefined && value.from !== null && value.from !== '') query.from = checkTime(method, 'from', value.from);
  if (value.to !== undefined && value.to !== null && value.to !== '') query.to = checkTime(method, 'to', value.to);
  if (value.search !== undefined && value.search !== null) query.search = checkText(method, 'search', value.search);
  if (value.filters !== undefined) {
    if (!Array.isArray(value.filters) || value.filters.length > TIMELINE_COLUMNS.length * 4) {
      fail(method, 'filters must be an array of at most a few filters per column');
    }
    query.filters = value.filters.map((filter, index) => checkFilter(method, filter, index));
  }
  if (value.eventIds !== undefined) {
    if (!Array.isArray(value.eventIds) || value.eventIds.length > MAX_EVENT_IDS) {
      fail(method, `eventIds must be an array of at most ${MAX_EVENT_IDS} ids`);
    }
    query.eventIds = value.eventIds.map((id, index) => checkInteger(method, `eventIds[${index}]`, id, 0, Number.MAX_SAFE_INTEGER));
  }
  return query;
}

/**
 * Check the argument list of one API call and return it with only known fields kept.
 * Throws ApiError('bad_request') naming the method and the bad argument.
 */
export function validateArgs(method: string, args: unknown): unknown[] {
  if (!(API_METHODS as readonly string[]).includes(method)) {
    throw new ApiError('not_found', `unknown API method ${JSON.stringify(method)}`);
  }
  if (!Array.isArray(args)) fail(method, 'arguments must be a JSON array');
  const name = method as ApiMethod;
  switch (name) {
    case 'capabilities':
    case 'caseInfo':
    case 'listEvidence':
    case 'pickEvidence':
    case 'processHosts':
      if (args.length !== 0) fail(method, `expected no arguments, got ${args.length}`);
      return [];
    case 'timelinePage': {
      if (args.length !== 3) fail(method, `expected (query, startRow, endRow), got ${args.length} arguments`);
      const query = validateQuery(method, args[0]);
      const start = checkInteger(method, 'startRow', args[1], 0, Number.MAX_SAFE_INTEGER);
      const end = checkInteger(method, 'endRow', args[2], start, start + MAX_PAGE_ROWS);
      return [query, start, end];
    }
    case 'timelineHistogram': {
      if (args.length !== 2) fail(method, `expected (query, maxBuckets), got ${args.length} arguments`);
      return [validateQuery(method, args[0]), checkInteger(method, 'maxBuckets', args[1], 1, MAX_HISTOGRAM_BUCKETS)];
    }
    case 'eventDetail':
    case 'importProgress':
    case 'cancelImport':
    case 'processDetail':
      if (args.length !== 1) fail(method, `expected one id, got ${args.length} arguments`);
      return [checkInteger(method, 'id', args[0], 0, Number.MAX_SAFE_INTEGER)];
    case 'startImport': {
      if (args.length !== 1 || !Array.isArray(args[0])) fail(method, 'expected one array of paths');
      const paths = args[0] as unknown[];
      if (paths.length === 0 || paths.length > MAX_PATHS) fail(method, `expected 1 to ${MAX_PATHS} paths, got ${paths.length}`);
      return [paths.map((path, index) => checkText(method, `paths[${index}]`, path))];
    }
    case 'processTree':
      if (args.length !== 1) fail(method, `expected one host name, got ${args.length} arguments`);
      return [checkText(method, 'host', args[0])];
  }
}
