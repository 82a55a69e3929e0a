// Exact conversion between Zeek time text and microseconds since the Unix epoch.
// Zeek writes `time` and `interval` as decimal seconds, usually in fixed point. Large
// values can appear in exponent form: Zeek 4.0.0's TSV writer printed a certificate
// expiry as `2.385642e+09` (C's `%e`: 7 significant digits), and later versions print
// forms such as `2.385616957e+09` and `-1.16444736e+10`. The text is read as an exact
// decimal with BigInt arithmetic, so no value passes through a lossy double.

import type { TimeNote } from '../../../shared/events.ts';

export interface ParsedMicros {
  micros: bigint;
  /** Set when the text is Zeek 4.0's `%e` form, which keeps only 7 significant digits. */
  lowPrecision: boolean;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** DuckDB TIMESTAMP and INTERVAL microseconds are signed 64-bit. */
const INT64_MAX = (1n << 63n) - 1n;

/** FILETIME zero, 1601-01-01T00:00:00Z, in seconds relative to the Unix epoch. */
export const FILETIME_ZERO_SECONDS = -11644473600n;
export const FILETIME_ZERO_MICROS = FILETIME_ZERO_SECONDS * 1_000_000n;

/**
 * Parses decimal text (fixed point or exponent form) scaled by `unitMicros` into
 * integer microseconds, rounding half away from zero below one microsecond. Returns
 * null for text that is not a decimal number or lies outside the signed 64-bit range.
 */
export function parseDecimalMicros(text: string, unitMicros = 1_000_000n): ParsedMicros | null {
  const match = DECIMAL.exec(text);
  if (match === null) return null;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole.length === 0 && fraction.length === 0) return null;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  let digits = BigInt(whole + fraction || '0') * unitMicros;
  const shift = exponent - fraction.length;
  if (shift >= 0) {
    if (shift > 40) return null;
    digits *= 10n ** BigInt(shift);
  } else {
    if (-shift > 60) {
      digits = 0n;
    } else {
      const divisor = 10n ** BigInt(-shift);
      const quotient = digits / divisor;
      const remainder = digits % divisor;
      digits = remainder * 2n >= divisor ? quotient + 1n : quotient;
    }
  }
  const micros = sign === '-' ? -digits : digits;
  if (micros > INT64_MAX || micros < -INT64_MAX) return null;
  const lowPrecision = exponentText !== undefined && fraction.length === 6 && whole.length === 1 && exponent >= 7;
  return { micros, lowPrecision };
}

/**
 * Reads a Zeek epoch-seconds time and returns its microseconds and the note a reader
 * must see: `sentinel` for FILETIME zero (exact, or within the rounding of a 7-digit
 * `%e` value such as `-1.164447e+10`), `low-precision` for other `%e` values.
 */
export function parseZeekTime(text: string): { micros: bigint; note: TimeNote | null } | null {
  const parsed = parseDecimalMicros(text);
  if (parsed === null) return null;
  if (parsed.micros === FILETIME_ZERO_MICROS) return { micros: parsed.micros, note: 'sentinel' };
  if (parsed.lowPrecision) {
    // A `%e` value d.dddddde+X is rounded to 10^(X-6) seconds, so FILETIME zero prints
    // as any value within half of that unit.
    const exponent = Number(text.slice(text.search(/[eE]/) + 1));
    const halfUnitMicros = 5n * 10n ** BigInt(exponent - 7) * 1_000_000n;
    const distance = parsed.micros - FILETIME_ZERO_MICROS;
    const near = distance <= halfUnitMicros && distance >= -halfUnitMicros;
    return { micros: parsed.micros, note: near ? 'sentinel' : 'low-precision' };
  }
  return { micros: parsed.micros, note: null };
}

const ISO_8601 = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO 8601 date-time (as Zeek writes with `JSON::TS_ISO8601`) into exact
 * microseconds. Text without a zone is read as UTC and noted `no-zone`. Digits beyond
 * the sixth fraction digit are rounded.
 */
export function parseIsoMicros(text: string): { micros: bigint; note: TimeNote | null } | null {
  const match = ISO_8601.exec(text);
  if (match === null) return null;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction = '', zone] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  let offsetSeconds = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const zoneSign = digits[0] === '-' ? -1 : 1;
    offsetSeconds = zoneSign * (Number(digits.slice(1, 3)) * 3600 + Number(digits.slice(3, 5)) * 60);
  }
  const seconds = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offsetSeconds);
  const fractionMicros = parseDecimalMicros(`0.${fraction || '0'}`);
  if (fractionMicros === null) return null;
  return { micros: seconds * 1_000_000n + fractionMicros.micros, note: zone === undefined ? 'no-zone' : null };
}

/**
 * Formats microseconds since the epoch as ISO 8601 UTC text with six fraction digits.
 * Years outside 0000–9999 use the expanded form with a sign and six digits
 * (`+010000-01-01T04:59:59.000000Z`), as ECMAScript's Date.toISOString does.
 */
export function formatIsoMicros(micros: bigint): string {
  let days = micros / 86_400_000_000n;
  let rest = micros % 86_400_000_000n;
  if (rest < 0n) {
    rest += 86_400_000_000n;
    days -= 1n;
  }
  const { year, month, day } = civilFromDays(Number(days));
  const secondsOfDay = Number(rest / 1_000_000n);
  const fraction = String(rest % 1_000_000n).padStart(6, '0');
  const hh = String(Math.floor(secondsOfDay / 3600)).padStart(2, '0');
  const mm = String(Math.floor((secondsOfDay % 3600) / 60)).padStart(2, '0');
  const ss = String(secondsOfDay % 60).padStart(2, '0');
  const yearText =
    year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return `${yearText}-${pad2(month)}-${pad2(day)}T${hh}:${mm}:${ss}.${fraction}Z`;
}

/** Formats signed microseconds as exact decimal seconds without trailing zeros (`1.25`, `-0.5`, `3`). */
export function formatSecondsDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / 1_000_000n;
  const fraction = String(magnitude % 1_000_000n)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction.length > 0 ? `.${fraction}` : ''}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Proleptic Gregorian day counts after Howard Hinnant's `days_from_civil` and
// `civil_from_days` algorithms (http://howardhinnant.github.io/date_algorithms.html).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}
