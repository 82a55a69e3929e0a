// Event times arrive as ISO 8601 UTC text with all the source's digits
// (`2024-01-02T03:04:05.123456Z`, nine digits for 100 ns sources). JavaScript Date keeps
// only milliseconds, so conversion to another zone moves whole seconds through Intl and
// carries the fraction digits over as text.

const UTC_PATTERN = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      era: 'short',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Milliseconds since the epoch of a UTC wall time; Date.UTC alone maps years 0-99 to 1900-1999. */
function utcMillis(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

function pad(value: number, width = 2): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}

/** Wall time and UTC offset (`+05:30`) of an instant in a zone. */
function wallTimeIn(millis: number, zone: string): { wall: WallTime; offset: string } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(millis))) parts[part.type] = part.value;
  const yearOfEra = Number(parts.year);
  // Years before 1 CE come out as era BC with year 1 meaning astronomical year 0.
  const year = parts.era === 'BC' ? 1 - yearOfEra : yearOfEra;
  const wall = {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
  // `longOffset` is `GMT+05:30`, or plain `GMT` at offset zero.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return { wall, offset };
}

function formatWall(wall: WallTime, fraction: string): string {
  const date = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
  const time = `${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
  return fraction ? `${date} ${time}.${fraction}` : `${date} ${time}`;
}

/**
 * Formats an event time for display in `zone` (an IANA name or `UTC`), keeping every
 * fraction digit of the input. UTC text has no suffix; other zones end in the offset in
 * force at that instant (`2024-01-02 04:04:05.123456 +01:00`), because daylight saving
 * changes it within one timeline. Returns the input unchanged when it is not ISO UTC text.
 */
export function formatEventTime(iso: string | null, zone: string): string {
  if (iso === null) return '';
  const match = UTC_PATTERN.exec(iso);
  if (!match) return iso;
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  const wall = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  if (zone === 'UTC') return formatWall(wall, fraction);
  const shown = wallTimeIn(utcMillis(wall), zone);
  return `${formatWall(shown.wall, fraction)} ${shown.offset}`;
}

const INPUT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function offsetMillis(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Offset of `zone` from UTC at an instant, in milliseconds. */
function zoneOffsetAt(millis: number, zone: string): number {
  return utcMillis(wallTimeIn(millis, zone).wall) - Math.floor(millis / 1000) * 1000;
}

/**
 * Reads a time the user typed (`2024-01-02 03:04:05.123456`, seconds and fraction
 * optional, or a date alone for midnight) as a wall time in `zone`, unless the text ends
 * in `Z` or an offset, and returns it as ISO 8601 UTC with the typed fraction digits.
 * Returns null for text that is not a valid date and time. A wall time skipped by a
 * daylight-saving change is read with the offset in force just before the change.
 */
export function parseInputTime(text: string, zone: string): string | null {
  const match = INPUT_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', explicitZone] = match;
  const wall = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  if (wall.month < 1 || wall.month > 12 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  const asUtc = utcMillis(wall);
  if (new Date(asUtc).getUTCDate() !== wall.day) return null;

  let instant: number;
  if (explicitZone) {
    instant = explicitZone.toUpperCase() === 'Z' ? asUtc : asUtc - offsetMillis(explicitZone);
  } else if (zone === 'UTC') {
    instant = asUtc;
  } else {
    // The offset depends on the instant we are looking for, so guess with the offset at
    // the wall time read as UTC, then correct once with the offset at the guess.
    const firstGuess = asUtc - zoneOffsetAt(asUtc, zone);
    instant = asUtc - zoneOffsetAt(firstGuess, zone);
  }
  const base = new Date(instant).toISOString().slice(0, 19);
  return fraction ? `${base}.${fraction}Z` : `${base}Z`;
}
