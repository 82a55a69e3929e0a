// Exact time text for event timestamps stored as microseconds since the Unix epoch plus
// sub-microsecond nanoseconds. JavaScript Date holds only milliseconds, so the digits
// below the millisecond are formatted from the integers.

const MICROS_PER_MILLI = 1000n;

/**
 * Format a UTC instant as ISO 8601 with all the precision the source had: six fraction
 * digits, or nine when `nanos` is non-zero. Years outside 0000-9999 use the expanded
 * form (`+010000-01-01T04:59:59.000000Z`), as Date#toISOString does.
 */
export function formatMicrosIso(micros: bigint, nanos = 0): string {
  let millis = micros / MICROS_PER_MILLI;
  let subMilli = micros % MICROS_PER_MILLI;
  if (subMilli < 0n) {
    subMilli += MICROS_PER_MILLI;
    millis -= 1n;
  }
  const base = new Date(Number(millis)).toISOString(); // ...T03:04:05.123Z
  const withoutZone = base.slice(0, -1);
  const micro = subMilli.toString().padStart(3, '0');
  const nano = nanos > 0 ? String(nanos).padStart(3, '0') : '';
  return `${withoutZone}${micro}${nano}Z`;
}

const ISO_PATTERN = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

export interface ParsedIso {
  micros: bigint;
  nanos: number;
  /** True when the text carried no zone and was read as UTC. */
  zoneless: boolean;
}

/**
 * Parse ISO 8601 date-time text strictly, keeping up to nanosecond digits. A time
 * without a zone is read as UTC and reported as zoneless. Returns null for anything
 * that is not a complete date and time.
 */
export function parseIsoTime(text: string): ParsedIso | null {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const monthNumber = Number(month);
  const dayNumber = Number(day);
  if (monthNumber < 1 || monthNumber > 12 || dayNumber < 1 || dayNumber > 31) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return null;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), monthNumber - 1, dayNumber);
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  if (date.getUTCDate() !== dayNumber) return null;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const padded = fraction.padEnd(9, '0');
  const micros = BigInt(date.getTime() - offsetMinutes * 60_000) * 1000n + BigInt(padded.slice(0, 6));
  return { micros, nanos: Number(padded.slice(6, 9)), zoneless: zone === undefined };
}
