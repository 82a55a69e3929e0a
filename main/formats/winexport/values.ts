// Value helpers shared by the export mappers.

import { emptySystem, type WinEvent } from '../windows/event.ts';
import type { WinExportEvent } from './types.ts';

/** Parses an integer from decimal or `0x` hex text. Returns null for anything else or beyond 2^53. */
export function parseInteger(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const trimmed = text.trim();
  let value = Number.NaN;
  if (/^0x[0-9a-f]+$/i.test(trimmed)) value = Number.parseInt(trimmed, 16);
  else if (/^-?\d+$/.test(trimmed)) value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/** Parses a non-negative 64-bit integer from decimal text, kept exact. */
export function parseUnsigned64(text: string | null | undefined): bigint | null {
  if (text === null || text === undefined || !/^\d{1,20}$/.test(text.trim())) return null;
  const value = BigInt(text.trim());
  return value < 1n << 64n ? value : null;
}

/**
 * Keywords as Windows writes them in XML (`0x8020000000000000`). NXLog writes the same
 * 64-bit mask as a signed decimal (-9223372036854775808), which is converted; text that
 * is neither is kept as written.
 */
export function keywordsText(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (/^-?\d{1,20}$/.test(trimmed)) {
    const value = BigInt(trimmed);
    if (value >= -(1n << 63n) && value < 1n << 64n) return `0x${BigInt.asUintN(64, value).toString(16).padStart(16, '0')}`;
  }
  return trimmed;
}

export { emptySystem };

export function emptyExportEvent(shape: string, locator: string): WinExportEvent {
  const base: WinEvent = {
    system: emptySystem(),
    eventData: null,
    userData: null,
    rendering: null,
    warnings: [],
    locator,
    recovered: false,
  };
  return { ...base, shape, envelope: [] };
}

/** Shows control characters other than tab, LF and CR as `\xNN`, for messages. */
export function visibleText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  return text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
