// Cell values as Volatility prints them: times, integers, addresses, booleans and the
// placeholders that stand for a missing value. Nothing here goes through a JavaScript
// number or Date, so 64-bit addresses and microsecond times stay exact.

import type { TimeNote } from '../../../shared/events.ts';

export interface ParsedTime {
  /** Microseconds since 1970-01-01T00:00:00Z. */
  micros: bigint;
  note: TimeNote | null;
}

// Volatility 3 text and CSV: `2019-03-22 05:46:00.000000 UTC`, or with no zone before 2.8.0
// (`2020-11-04 16:29:43.000000`, sometimes with a trailing space where `%Z` was empty).
// Volatility 3 JSON: ISO 8601 from `datetime.isoformat()`, naive or `+00:00`.
// Volatility 2: `2012-11-26 22:03:28 UTC+0000`.
const TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:\s*(Z|UTC|GMT)?\s*(?:([+-])(\d{2}):?(\d{2}))?)?$/;

const MICROS_PER_SECOND = 1_000_000n;
const SECONDS_PER_DAY = 86_400n;

/** Days from 1970-01-01 to the given proleptic Gregorian date (the civil-from-days inverse). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses a Volatility time strictly. Returns null when the text is not a time in one of
 * the formats above or names an impossible date. A time without a zone is UTC and carries
 * the `no-zone` note; the Unix epoch itself, which Volatility 2 prints for a zero create
 * time, carries `sentinel`.
 */
export function parseVolTime(text: string): ParsedTime | null {
  const match = TIME_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, offsetHours, offsetMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  const days = BigInt(daysFromCivil(year, month, day));
  const seconds = days * SECONDS_PER_DAY + BigInt(hour * 3600 + minute * 60 + second);
  let micros = seconds * MICROS_PER_SECOND + BigInt((fraction ?? '').padEnd(6, '0') || '0');

  if (sign) {
    const offsetMinutesTotal = Number(offsetHours) * 60 + Number(offsetMinutes);
    if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null;
    const offsetMicros = BigInt(offsetMinutesTotal) * 60n * MICROS_PER_SECOND;
    micros = sign === '+' ? micros - offsetMicros : micros + offsetMicros;
  }

  let note: TimeNote | null = zone || sign ? null : 'no-zone';
  if (micros === 0n) note = 'sentinel';
  return { micros, note };
}

/** Formats microseconds since the epoch as ISO 8601 UTC with six fraction digits. */
export function formatMicros(micros: bigint): string {
  let days = micros / (SECONDS_PER_DAY * MICROS_PER_SECOND);
  let rest = micros % (SECONDS_PER_DAY * MICROS_PER_SECOND);
  if (rest < 0n) {
    rest += SECONDS_PER_DAY * MICROS_PER_SECOND;
    days -= 1n;
  }
  // Civil date from a day count, the inverse of daysFromCivil.
  const z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

  const totalSeconds = rest / MICROS_PER_SECOND;
  const fraction = rest % MICROS_PER_SECOND;
  const hour = totalSeconds / 3600n;
  const minute = (totalSeconds % 3600n) / 60n;
  const second = totalSeconds % 60n;
  const pad = (value: number | bigint, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(fraction, 6)}Z`;
}

const DECIMAL = /^[+-]?\d+$/;
const HEX = /^0x[0-9a-f]+$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Parses decimal or `0x` hex text as an exact integer, or returns null. */
export function parseInteger(text: string): bigint | null {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return BigInt(trimmed);
  if (HEX.test(trimmed)) return BigInt(trimmed);
  return null;
}

export function isHexText(text: string): boolean {
  return HEX.test(text.trim());
}

export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text.trim());
}

export function fitsInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

export function fitsUint64(value: bigint): boolean {
  return value >= 0n && value <= UINT64_MAX;
}

/** Parses `True`/`False` as Volatility 3 prints them, and the `1`/`0` of Volatility 2. */
export function parseBoolean(text: string): boolean | null {
  const lowered = text.trim().toLowerCase();
  if (lowered === 'true' || lowered === '1') return true;
  if (lowered === 'false' || lowered === '0') return false;
  return null;
}

// Volatility 3 text and CSV print absent values as `-` or `N/A` (seen in 2.5.0 and 2.7.0
// output), and Volatility 2 fills an unreadable cell with dashes as wide as the column.
// The renderer class names are accepted in case a renderer printed the object itself.
const ABSENT_CLASS_NAMES = new Set(['UnreadableValue', 'NotApplicableValue', 'NotAvailableValue', 'UnparsableValue']);

/**
 * Returns why a text cell stands for a missing value (the placeholder itself), or null
 * when it is a value. `Disabled` only counts in the `File output` column, where it means
 * that no file was dumped.
 */
export function placeholderReason(text: string, column: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty';
  if (trimmed === 'N/A' || /^-+$/.test(trimmed)) return trimmed;
  if (ABSENT_CLASS_NAMES.has(trimmed)) return trimmed;
  if (trimmed === 'Disabled' && column.toLowerCase() === 'file output') return trimmed;
  return null;
}

// Volatility 3 cmdline before renderers gained UnreadableValue wrote the error into the
// Args cell, for example `Required memory at 0x20 is not valid (process exited?)`.
const MEMORY_ERROR = /^(?:Process \d+: )?Required memory at 0x[0-9a-f]+ (?:is not valid|is inaccessible)\b/i;

/** Returns the text when it is one of the memory-read errors Volatility writes in place of a value. */
export function memoryErrorReason(text: string): string | null {
  return MEMORY_ERROR.test(text.trim()) ? text.trim() : null;
}
