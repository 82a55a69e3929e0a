// State a mapper needs for one record: where it is and where to report problems.

import type { PreciseTime } from '../windows/event.ts';
import { parseWinTime, type WinTimeOptions, type WinTimeResult } from './time.ts';
import type { ExportIssue, WinExportEvent } from './types.ts';

export interface RecordContext {
  /** 1-based line where the record starts. */
  line: number;
  issues: ExportIssue[];
  time: WinTimeOptions;
}

/** Records a problem both on the event (for its stored record) and as a file issue. */
export function warn(context: RecordContext, event: WinExportEvent, message: string, line = context.line, column?: number): void {
  event.warnings.push(message);
  const issue: ExportIssue = { severity: 'warning', line, message };
  if (column !== undefined) issue.column = column;
  context.issues.push(issue);
}

/**
 * Reads the event time from `text` with `parse` (strict ISO 8601 by default). Text that
 * is not a time leaves the time unset and is reported with the record's line. A time
 * without a zone or outside the plausible range is kept with its note.
 */
export function readTime(
  context: RecordContext,
  event: WinExportEvent,
  field: string,
  text: string | null,
  parse: (text: string, options: WinTimeOptions) => WinTimeResult = parseWinTime,
): PreciseTime | null {
  if (text === null || text.trim() === '') return null;
  const result = parse(text, context.time);
  if (!result.ok) {
    const message = `${field}: ${result.reason}; the event is kept without a time`;
    event.warnings.push(message);
    context.issues.push({ severity: 'error', line: context.line, message });
    return null;
  }
  if (result.time.note === 'implausible')
    warn(context, event, `${field} ${text} is outside the range an EVTX record can have; kept and flagged`);
  return result.time;
}
