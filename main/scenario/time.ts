// Scenario time is an integer count of microseconds since the Unix epoch (a JavaScript
// number holds it exactly until the year 2255). These helpers render it the way each
// source writes times, so every source shows the same instant.

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;

/** FILETIME ticks (100 ns since 1601-01-01) of the Unix epoch. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

export function parseIsoMicros(text: string): number {
  const millis = Date.parse(text);
  if (Number.isNaN(millis) || !/Z$/.test(text))
    throw new Error(`invalid time "${text}": expected ISO 8601 UTC such as 2024-03-12T08:00:00Z`);
  return millis * 1000;
}

/** FILETIME ticks of a scenario time; the seventh fractional digit is always 0. */
export function filetime(micros: number): bigint {
  return FILETIME_UNIX_EPOCH + BigInt(micros) * 10n;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function civil(micros: number): { date: string; time: string; fraction: string } {
  const seconds = Math.floor(micros / MICROS_PER_SECOND);
  const d = new Date(seconds * 1000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return { date, time, fraction: pad(micros - seconds * MICROS_PER_SECOND, 6) };
}

/** ISO 8601 UTC with microseconds: `2024-03-12T08:00:01.250000Z`. */
export function isoMicros(micros: number): string {
  const { date, time, fraction } = civil(micros);
  return `${date}T${time}.${fraction}Z`;
}

/** Sysmon's UtcTime: `2024-03-12 08:00:01.250` (milliseconds, truncated). */
export function sysmonTime(micros: number): string {
  const { date, time, fraction } = civil(micros);
  return `${date} ${time}.${fraction.slice(0, 3)}`;
}

/** Zeek's `time` and `interval` values: seconds with six decimals. */
export function zeekSeconds(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_SECOND);
  return `${sign}${whole}.${pad(abs - whole * MICROS_PER_SECOND, 6)}`;
}

/** Zeek's `#open` and `#close` stamps: `2024-03-12-08-00-00`. */
export function zeekStamp(micros: number): string {
  const { date, time } = civil(micros);
  return `${date}-${time.replace(/:/g, '-')}`;
}

/** Start of the whole second: Windows keeps process times in FILETIME, and Volatility 3 prints them to the second. */
export function floorSecond(micros: number): number {
  return Math.floor(micros / MICROS_PER_SECOND) * MICROS_PER_SECOND;
}

/** Volatility 3 text and CSV time of a naive datetime: `2024-03-12 08:00:01.000000 ` (the empty `%Z` leaves a space). */
export function volatilityText(micros: number): string {
  const { date, time } = civil(floorSecond(micros));
  return `${date} ${time}.000000 `;
}

/** Volatility 3 JSON time of a naive datetime (`datetime.isoformat()`): `2024-03-12T08:00:01`. */
export function volatilityIso(micros: number): string {
  const { date, time } = civil(floorSecond(micros));
  return `${date}T${time}`;
}
