// Line splitting for text evidence. Lines keep their 1-based number; a UTF-8 BOM is
// dropped; CR LF and lone LF both end a line. A stream that fails mid-way (for example
// a gzip file cut short) yields its partial last line marked as unterminated, then
// rethrows the error so the caller can report where the data ended.

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface TextLine {
  text: string;
  number: number;
  /** False for a last line that had no line ending. */
  terminated: boolean;
  /** True when the line was longer than the limit: its text is dropped and `text` is empty. */
  overlong?: boolean;
}

/** Longest line kept, in UTF-16 code units; longer lines are reported and dropped so one bad line cannot exhaust memory. */
export const MAX_LINE_LENGTH = 8 * 1024 * 1024;

export class TruncatedInputError extends Error {
  readonly line: number;
  override readonly cause: unknown;
  constructor(line: number, cause: unknown) {
    super(`data ends early after line ${line}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'TruncatedInputError';
    this.line = line;
    this.cause = cause;
  }
}

export async function* readLines(stream: Readable): AsyncGenerator<TextLine> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let number = 0;
  let first = true;
  let skipping = false;
  try {
    for await (const chunk of stream) {
      let text = carry + decoder.write(chunk as Buffer);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (;;) {
        const end = text.indexOf('\n', start);
        if (end < 0) break;
        number += 1;
        if (skipping) {
          skipping = false;
          yield { text: '', number, terminated: true, overlong: true };
        } else {
          const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
          if (lineEnd - start > MAX_LINE_LENGTH) yield { text: '', number, terminated: true, overlong: true };
          else yield { text: text.slice(start, lineEnd), number, terminated: true };
        }
        start = end + 1;
      }
      carry = text.slice(start);
      if (carry.length > MAX_LINE_LENGTH) {
        skipping = true;
        carry = '';
      }
    }
  } catch (error) {
    carry += decoder.end();
    if (carry.length > 0) yield { text: carry, number: number + 1, terminated: false };
    throw new TruncatedInputError(number, error);
  }
  carry += decoder.end();
  if (skipping) {
    yield { text: '', number: number + 1, terminated: false, overlong: true };
  } else if (carry.length > 0) {
    number += 1;
    yield { text: carry.endsWith('\r') ? carry.slice(0, -1) : carry, number, terminated: false };
  }
}
