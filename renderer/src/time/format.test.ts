import { describe, expect, it } from 'vitest';
import { formatEventTime, parseInputTime } from './format.ts';

describe('formatEventTime', () => {
  it('shows UTC with every fraction digit and no suffix', () => {
    expect(formatEventTime('2024-01-02T03:04:05.123456Z', 'UTC')).toBe('2024-01-02 03:04:05.123456');
    expect(formatEventTime('2024-01-02T03:04:05.123456789Z', 'UTC')).toBe('2024-01-02 03:04:05.123456789');
    expect(formatEventTime('2024-01-02T03:04:05Z', 'UTC')).toBe('2024-01-02 03:04:05');
  });

  it('keeps sub-second digits in another zone', () => {
    expect(formatEventTime('2024-01-02T03:04:05.123456Z', 'Asia/Kolkata')).toBe('2024-01-02 08:34:05.123456 +05:30');
    expect(formatEventTime('2024-01-02T03:04:05.123456789Z', 'Asia/Tokyo')).toBe('2024-01-02 12:04:05.123456789 +09:00');
  });

  it('does not round the last second up', () => {
    expect(formatEventTime('2024-01-02T03:04:59.999999Z', 'Asia/Kolkata')).toBe('2024-01-02 08:34:59.999999 +05:30');
  });

  it('follows daylight saving time', () => {
    expect(formatEventTime('2024-01-15T12:00:00.500000Z', 'Europe/Berlin')).toBe('2024-01-15 13:00:00.500000 +01:00');
    expect(formatEventTime('2024-07-01T12:00:00.500000Z', 'Europe/Berlin')).toBe('2024-07-01 14:00:00.500000 +02:00');
  });

  it('moves to the previous day west of UTC', () => {
    expect(formatEventTime('2024-01-01T02:00:00.000001Z', 'America/New_York')).toBe('2023-12-31 21:00:00.000001 -05:00');
  });

  it('writes a zero offset as +00:00', () => {
    expect(formatEventTime('2024-01-15T12:00:00.000000Z', 'Europe/London')).toBe('2024-01-15 12:00:00.000000 +00:00');
  });

  it('keeps FILETIME zero readable', () => {
    expect(formatEventTime('1601-01-01T00:00:00.0000000Z', 'UTC')).toBe('1601-01-01 00:00:00.0000000');
  });

  it('returns other text unchanged and null as empty', () => {
    expect(formatEventTime('not a time', 'UTC')).toBe('not a time');
    expect(formatEventTime(null, 'Asia/Tokyo')).toBe('');
  });
});

describe('parseInputTime', () => {
  it('reads a UTC wall time with its fraction digits', () => {
    expect(parseInputTime('2024-01-02 03:04:05.123456', 'UTC')).toBe('2024-01-02T03:04:05.123456Z');
    expect(parseInputTime('2024-01-02T03:04:05.123456789', 'UTC')).toBe('2024-01-02T03:04:05.123456789Z');
  });

  it('fills missing seconds and time with zeros', () => {
    expect(parseInputTime('2024-03-01 10:15', 'UTC')).toBe('2024-03-01T10:15:00Z');
    expect(parseInputTime('2024-03-01', 'UTC')).toBe('2024-03-01T00:00:00Z');
  });

  it('reads wall time in the display zone', () => {
    expect(parseInputTime('2024-01-02 08:34:05.123456', 'Asia/Kolkata')).toBe('2024-01-02T03:04:05.123456Z');
    expect(parseInputTime('2024-07-01 14:00:00', 'Europe/Berlin')).toBe('2024-07-01T12:00:00Z');
    expect(parseInputTime('2024-01-15 13:00:00', 'Europe/Berlin')).toBe('2024-01-15T12:00:00Z');
  });

  it('prefers an explicit zone over the display zone', () => {
    expect(parseInputTime('2024-01-02 08:34:05 +05:30', 'Europe/Berlin')).toBe('2024-01-02T03:04:05Z');
    expect(parseInputTime('2024-01-02T03:04:05.5Z', 'America/New_York')).toBe('2024-01-02T03:04:05.5Z');
    expect(parseInputTime('2024-01-02 03:04:05-0500', 'UTC')).toBe('2024-01-02T08:04:05Z');
  });

  it('reads a skipped wall time with the offset before the change', () => {
    // Berlin skips 02:00-03:00 on 2024-03-31; 02:30 is read at +01:00.
    expect(parseInputTime('2024-03-31 02:30:00', 'Europe/Berlin')).toBe('2024-03-31T01:30:00Z');
  });

  it('accepts its own display text back', () => {
    const displayed = formatEventTime('2024-11-03T06:30:00.250000Z', 'America/New_York');
    expect(displayed).toBe('2024-11-03 01:30:00.250000 -05:00');
    expect(parseInputTime(displayed, 'America/New_York')).toBe('2024-11-03T06:30:00.250000Z');
  });

  it('rejects invalid dates and text', () => {
    expect(parseInputTime('2024-02-30 00:00', 'UTC')).toBeNull();
    expect(parseInputTime('2024-13-01', 'UTC')).toBeNull();
    expect(parseInputTime('2024-01-01 24:00', 'UTC')).toBeNull();
    expect(parseInputTime('yesterday', 'UTC')).toBeNull();
    expect(parseInputTime('', 'UTC')).toBeNull();
  });
});
