// RFC 4180 CSV records from a text stream. A quoted field may hold commas, doubled
// quotes and line breaks, which are kept exactly (CR LF stays CR LF). Records end at
// LF or CR LF outside quotes.

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export class CsvSplitter {
  private buffer = '';
  private line = 1;
  /** Problems found while splitting, by line. */
  readonly problems: { line: number; message: string }[] = [];

  push(chunk: string): CsvRecord[] {
    this.buffer += chunk;
    return this.run(false);
  }

  end(): CsvRecord[] {
    return this.run(true);
  }

  private run(atEnd: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    const text = this.buffer;
    let start = 0;
    for (;;) {
      const parsed = this.parseRecord(text, start, atEnd);
      if (!parsed) break;
      records.push({ fields: parsed.fields, line: this.line });
      for (let index = start; index < parsed.next; index += 1) if (text.charCodeAt(index) === 10) this.line += 1;
      start = parsed.next;
      if (start >= text.length) break;
    }
    this.buffer = text.slice(start);
    return records;
  }

  /** One record from `start`, or null when the text ends before the record does. */
  private parseRecord(text: string, start: number, atEnd: boolean): { fields: string[]; next: number } | null {
    const fields: string[] = [];
    let index = start;
    if (index >= text.length) return null;
    for (;;) {
      if (text[index] === '"') {
        let value = '';
        let cursor = index + 1;
        for (;;) {
          const quote = text.indexOf('"', cursor);
          if (quote < 0) {
            if (!atEnd) return null;
            this.problems.push({ line: this.line, message: 'a quoted field is not closed before the end of the file; read to the end' });
            value += text.slice(cursor);
            fields.push(value);
            return { fields, next: text.length };
          }
          value += text.slice(cursor, quote);
          if (text[quote + 1] === '"') {
            value += '"';
            cursor = quote + 2;
            continue;
          }
          if (quote + 1 >= text.length && !atEnd) return null;
          cursor = quote + 1;
          break;
        }
        // Text between the closing quote and the separator is kept, as spreadsheet programs do.
        let after = cursor;
        while (after < text.length && text[after] !== ',' && text[after] !== '\n' && text[after] !== '\r') after += 1;
        if (after > cursor) {
          this.problems.push({ line: this.line, message: `text after a closing quote kept: "${text.slice(cursor, after).slice(0, 40)}"` });
          value += text.slice(cursor, after);
        }
        fields.push(value);
        index = after;
      } else {
        let after = index;
        while (after < text.length && text[after] !== ',' && text[after] !== '\n' && text[after] !== '\r') after += 1;
        fields.push(text.slice(index, after));
        index = after;
      }
      if (index >= text.length) {
        if (!atEnd) return null;
        return { fields, next: index };
      }
      const c = text[index];
      if (c === ',') {
        index += 1;
        if (index >= text.length && !atEnd) return null;
        continue;
      }
      if (c === '\r') {
        if (index + 1 >= text.length && !atEnd) return null;
        index += text[index + 1] === '\n' ? 2 : 1;
        return { fields, next: index };
      }
      return { fields, next: index + 1 };
    }
  }
}
