// Strict time parsing for Windows event exports. Every producer writes its own form:
// Windows XML `2024-03-01T10:00:00.5318770Z` (7 digits), evtx_dump `.911646Z` (6),
// EvtxECmd `2023-05-03 07:36:43.9116468` (UTC without a zone designator), Hayabusa
// `2023-05-03 16:36:43.911 +09:00`, NXLog `2020-09-22 14:53:01` (local wall clock).
// Digits below the millisecond are kept as integers, never through Date.

import type { PreciseTime } from '../windows/event.ts';

/** 2007-01-30T00:00:00Z, the Windows Vista release: EVTX cannot hold an earlier real time. */
export const EVTX_EARLIEST_MICROS = BigInt(Date.UTC(2007, 0, 30)) * 1000n;
const MICROS_PER_DAY = 86_400_000_000n;

export interface WinTimeOptions {
  /** Upper bound of plausible times, in microseconds since the epoch; default now + 1 day. */
  latestMicros?: bigint;
}

/** A parsed time, or the reason the text is not one. `zoned` is false when the text carried no zone. */
export type WinTimeResult = { ok: true; time: PreciseTime; zoned: boolean } | { ok: false; reason: string };

const ISO_LIKE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/;
const US_CLOCK = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AP]M))?$/i;

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== day) return null;
  return date.getTime();
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

/** Flags a time outside the range an EVTX record can really have. */
export function checkPlausible(time: PreciseTime, options: WinTimeOptions = {}): PreciseTime {
  const latest = options.latestMicros ?? BigInt(Date.now()) * 1000n + MICROS_PER_DAY;
  if (time.micros < EVTX_EARLIEST_MICROS || time.micros > latest) return { ...time, note: 'implausible' };
  return time;
}

/**
 * Parses an ISO 8601-like date and time with up to nine fraction digits, `T` or a space
 * between date and time, and a zone (`Z`, `UTC`, `+09:00`, ` +09:00`) or none. A time
 * without a zone is read as UTC and noted `no-zone`. Years may be signed and up to six
 * digits (evtx_dump prints a corrupt FILETIME as `+67137-05-07...`). A time outside the
 * plausible EVTX range is kept and noted `implausible`.
 */
export function parseWinTime(text: string, options: WinTimeOptions = {}): WinTimeResult {
  const trimmed = text.trim();
  const match = ISO_LIKE.exec(trimmed);
  if (match) {
    const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
    const millis = utcMillis(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second));
    if (millis === null) return { ok: false, reason: `"${text}" is not a valid calendar date and time` };
    const offset = zone === undefined ? 0 : zoneOffsetMinutes(zone);
    const digits = fraction.padEnd(9, '0');
    const micros = BigInt(millis - offset * 60_000) * 1000n + BigInt(digits.slice(0, 6));
    const time: PreciseTime = { micros, nanos: Number(digits.slice(6)) };
    const checked = checkPlausible(time, options);
    if (zone === undefined && checked.note === undefined) checked.note = 'no-zone';
    return { ok: true, time: checked, zoned: zone !== undefined };
  }
  return { ok: false, reason: `"${text}" is not an ISO 8601 date and time (expected YYYY-MM-DD hh:mm:ss[.fraction][zone])` };
}

/**
 * Parses the `M/D/YYYY h:mm:ss AM` form that Event Viewer writes into its CSV export,
 * in the exporting machine's locale and local time. The month comes first (en-US)
 * unless the first number exceeds 12. The zone is unknown, so the time is read as UTC
 * and noted `no-zone`.
 */
export function parseEventViewerTime(text: string, options: WinTimeOptions = {}): WinTimeResult {
  const match = US_CLOCK.exec(text.trim());
  if (!match) return parseWinTime(text, options);
  const [, first, second, year, hourText, minute, secondText, meridiem] = match;
  let month = Number(first);
  let day = Number(second);
  if (month > 12) [month, day] = [day, month];
  let hour = Number(hourText);
  if (meridiem) {
    if (hour < 1 || hour > 12) return { ok: false, reason: `"${text}" has hour ${hour} with ${meridiem}` };
    hour = (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
  }
  const millis = utcMillis(Number(year), month, day, hour, Number(minute), Number(secondText));
  if (millis === null) return { ok: false, reason: `"${text}" is not a valid calendar date and time` };
  const checked = checkPlausible({ micros: BigInt(millis) * 1000n, nanos: 0 }, options);
  if (checked.note === undefined) checked.note = 'no-zone';
  return { ok: true, time: checked, zoned: false };
}

/**
 * Reads a wall-clock text with a zone offset taken from elsewhere (minutes east of
 * UTC). Used when an exporter wrote the event time in local time and another field
 * gives the offset.
 */
export function parseWallClockWithOffset(text: string, offsetMinutes: number, options: WinTimeOptions = {}): WinTimeResult {
  const result = parseWinTime(text, options);
  if (!result.ok || result.zoned) return result;
  const shifted = { micros: result.time.micros - BigInt(offsetMinutes) * 60_000_000n, nanos: result.time.nanos };
  return { ok: true, time: checkPlausible(shifted, options), zoned: true };
}
