// One Zeek TSV log written as the scenario runs. Rows wait in a time-ordered buffer until
// the scenario clock passes them and are then appended in `ts` order; text goes to disk in
// 256 KiB blocks.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { EventCounter, EvidenceRef } from '../evidence.ts';
import { TimeHeap } from '../heap.ts';
import { zeekSeconds, zeekStamp } from '../time.ts';
import type { ZeekSchema } from './schemas.ts';

const BLOCK = 256 * 1024;

/** A value as Zeek's ASCII writer prints it. Arrays are sets or vectors; null is unset. */
export type ZeekValue = string | number | boolean | null | readonly (string | number)[] | { interval: number } | { time: number };

/** Returns true when `text` has a character that escapeZeek rewrites; most values have none. */
function needsEscape(text: string, inContainer: boolean): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f || code === 0x5c || (inContainer && code === 0x2c)) return true;
  }
  return false;
}

/** Escapes what Zeek's ASCII writer escapes in a string: the separator, backslash and non-printable bytes. */
function escapeZeek(text: string, inContainer: boolean): string {
  if (!needsEscape(text, inContainer)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\x5c';
    else if (char === '\t') out += '\\x09';
    else if (inContainer && char === ',') out += '\\x2c';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out;
}

export function zeekField(value: ZeekValue): string {
  if (value === null) return '-';
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value === '' ? '(empty)' : value === '-' ? '\\x2d' : escapeZeek(value, false);
  if ('interval' in value) return zeekSeconds(value.interval);
  if ('time' in value) return zeekSeconds(value.time);
  return value.length === 0 ? '(empty)' : value.map((item) => escapeZeek(String(item), true)).join(',');
}

export class ZeekSink {
  private readonly fd: number;
  private readonly pending = new TimeHeap<{ text: string; ref?: EvidenceRef }>();
  private buffer = '';
  private line: number;
  private closed = false;
  records = 0;

  constructor(
    file: string,
    readonly evidence: string,
    readonly schema: ZeekSchema,
    opened: number,
    private readonly closedAt: number,
    private readonly counter: EventCounter,
  ) {
    this.fd = openSync(file, 'w');
    const header = [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      `#path\t${schema.path}`,
      `#open\t${zeekStamp(opened)}`,
      `#fields\t${schema.fields.join('\t')}`,
      `#types\t${schema.types.join('\t')}`,
    ];
    this.buffer = `${header.join('\n')}\n`;
    this.line = header.length;
  }

  /** Queue one row; `values` follow the schema's fields, `ts` first. */
  add(time: number, values: ZeekValue[], ref?: EvidenceRef): void {
    if (values.length !== this.schema.fields.length) {
      throw new Error(`${this.schema.path}.log row has ${values.length} values for ${this.schema.fields.length} fields`);
    }
    const text = values.map(zeekField).join('\t');
    this.pending.push(time, ref ? { text, ref } : { text });
    this.counter.count += 1;
  }

  flushUntil(time: number): void {
    while (this.pending.size > 0 && this.pending.peekTime() <= time) {
      const { item } = this.pending.pop()!;
      this.line += 1;
      this.records += 1;
      this.buffer += `${item.text}\n`;
      if (item.ref) {
        item.ref.line = this.line;
        item.ref.locator = `line ${this.line}`;
      }
      if (this.buffer.length >= BLOCK) this.writeBuffer();
    }
  }

  /** Writes the rows still queued and the `#close` line, stamped `closedAt` or else the time given to the constructor. */
  close(closedAt = this.closedAt): void {
    if (this.closed) return;
    this.flushUntil(Number.POSITIVE_INFINITY);
    this.buffer += `#close\t${zeekStamp(closedAt)}\n`;
    this.writeBuffer();
    closeSync(this.fd);
    this.closed = true;
  }

  private writeBuffer(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
