// Content detection for Zeek logs: the TSV form by its `#` header, the JSON form by the
// keys of its first object.

import { JsonSyntaxError, scanJsonObjectLine } from './json-scan.ts';
import type { ZeekFormat } from './types.ts';

/** Keys that only Zeek's JSON writer puts next to `ts`. */
const ZEEK_KEYS = ['uid', '_path', '@stream', 'id.orig_h', 'id_orig_h', 'id', 'fuid', 'fingerprint'];

/**
 * Keys of JSON exports that are not Zeek: Windows events (evtx dump tools, Winlogbeat,
 * Sysmon exports) and Volatility's JSON renderer.
 */
const FOREIGN_KEYS = [
  'EventID',
  'Channel',
  'winlog',
  'Event',
  'EventRecordID',
  'ProviderName',
  'Provider',
  'event.code',
  '__children',
  'Offset(V)',
];

/**
 * Returns the Zeek form of a file from its first bytes (decoded as text), or null.
 * TSV: the header comments before the first data line include `#separator` or
 * `#fields`. JSON: the first non-empty line is an object with `ts` and one of the keys
 * only Zeek writes, and none of the keys of Windows event or Volatility exports. The
 * file name is used only when the first JSON line does not fit in `head`.
 */
export function detectZeek(head: string, name: string): ZeekFormat | null {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines.length : lines.length - 1;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line.trim().length === 0) continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#separator') || line.startsWith('#fields')) return 'tsv';
      continue;
    }
    if (!line.trimStart().startsWith('{')) return null;
    return index < complete ? detectJsonLine(line) : detectPartialJsonLine(line, name);
  }
  return null;
}

function detectJsonLine(line: string): ZeekFormat | null {
  let keys: Set<string>;
  try {
    keys = new Set(scanJsonObjectLine(line).map(([key]) => key));
  } catch (error) {
    if (error instanceof JsonSyntaxError) return null;
    throw error;
  }
  // Flattening turns a nested `id` object into `id.orig_h` and so on.
  const hasZeekKey = ZEEK_KEYS.some((key) => keys.has(key)) || [...keys].some((key) => key.startsWith('id.'));
  const foreign = [...keys].some((key) => FOREIGN_KEYS.some((foreignKey) => key === foreignKey || key.startsWith(`${foreignKey}.`)));
  return keys.has('ts') && hasZeekKey && !foreign ? 'json' : null;
}

function detectPartialJsonLine(line: string, name: string): ZeekFormat | null {
  if (!/\.(?:log|json)(?:\.gz)?$/i.test(name)) return null;
  if (!line.includes('"ts":')) return null;
  if (FOREIGN_KEYS.some((key) => line.includes(`"${key}"`))) return null;
  return ZEEK_KEYS.some((key) => line.includes(`"${key}"`)) ? 'json' : null;
}
