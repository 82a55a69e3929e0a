// A JSON reader for one Zeek JSON line that keeps what JSON.parse loses: number
// literals stay as their text (so 64-bit counts and microsecond times stay exact) and
// duplicate keys are all kept, in order. Nested objects are flattened with `.`.

/** A JSON number literal as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonScalar = string | boolean | null | JsonNumber;
export type JsonItem = JsonScalar | JsonItem[] | { [key: string]: JsonItem };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Parses one line holding a JSON object into its fields, nested object keys joined
 * with `.` (`{"id": {"orig_h": "10.0.0.1"}}` gives `id.orig_h`). Arrays stay arrays;
 * objects inside arrays keep their structure. Throws JsonSyntaxError with the column.
 */
export function scanJsonObjectLine(line: string): Array<[string, JsonItem]> {
  const scanner = new Scanner(line);
  scanner.skipSpace();
  if (scanner.peek() !== 0x7b) throw scanner.fail('expected a JSON object starting with "{"');
  const fields: Array<[string, JsonItem]> = [];
  scanner.readObjectInto('', fields);
  scanner.skipSpace();
  if (scanner.position < line.length) throw scanner.fail('unexpected text after the JSON object');
  return fields;
}

class Scanner {
  position = 0;
  constructor(private readonly text: string) {}

  peek(): number {
    return this.text.charCodeAt(this.position);
  }

  fail(message: string): JsonSyntaxError {
    return new JsonSyntaxError(`${message} at column ${this.position + 1}`, this.position + 1);
  }

  skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) this.position += 1;
      else return;
    }
  }

  expect(code: number, what: string): void {
    this.skipSpace();
    if (this.peek() !== code) throw this.fail(`expected ${what}`);
    this.position += 1;
  }

  /** Reads an object and appends its fields, nested objects flattened under `prefix`. */
  readObjectInto(prefix: string, fields: Array<[string, JsonItem]>): void {
    this.expect(0x7b, '"{"');
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) throw this.fail('expected a quoted key');
      const key = prefix + this.readString();
      this.expect(0x3a, '":"');
      this.skipSpace();
      if (this.peek() === 0x7b) this.readObjectInto(`${key}.`, fields);
      else fields.push([key, this.readValue()]);
      this.skipSpace();
      const next = this.peek();
      this.position += 1;
      if (next === 0x2c) continue;
      if (next === 0x7d) return;
      this.position -= 1;
      throw this.fail('expected "," or "}"');
    }
  }

  readValue(): JsonItem {
    this.skipSpace();
    const code = this.peek();
    if (code === 0x22) return this.readString();
    if (code === 0x7b) {
      const nested: Array<[string, JsonItem]> = [];
      this.readObjectInto('', nested);
      const object: { [key: string]: JsonItem } = {};
      for (const [key, value] of nested) object[key] = value;
      return object;
    }
    if (code === 0x5b) return this.readArray();
    if (this.text.startsWith('true', this.position)) {
      this.position += 4;
      return true;
    }
    if (this.text.startsWith('false', this.position)) {
      this.position += 5;
      return false;
    }
    if (this.text.startsWith('null', this.position)) {
      this.position += 4;
      return null;
    }
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) throw this.fail('expected a JSON value');
    this.position += match[0].length;
    return new JsonNumber(match[0]);
  }

  readArray(): JsonItem[] {
    this.expect(0x5b, '"["');
    const items: JsonItem[] = [];
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.position += 1;
      return items;
    }
    for (;;) {
      items.push(this.readValue());
      this.skipSpace();
      const next = this.peek();
      this.position += 1;
      if (next === 0x2c) continue;
      if (next === 0x5d) return items;
      this.position -= 1;
      throw this.fail('expected "," or "]"');
    }
  }

  readString(): string {
    const start = this.position;
    let index = start + 1;
    let escaped = false;
    for (;;) {
      const code = this.text.charCodeAt(index);
      if (Number.isNaN(code)) {
        this.position = start;
        throw this.fail('unterminated string');
      }
      if (code === 0x22) break;
      if (code === 0x5c) {
        escaped = true;
        index += 2;
        continue;
      }
      if (code < 0x20) {
        this.position = index;
        throw this.fail('control character inside a string');
      }
      index += 1;
    }
    this.position = index + 1;
    if (!escaped) return this.text.slice(start + 1, index);
    try {
      return JSON.parse(this.text.slice(start, index + 1)) as string;
    } catch {
      this.position = start;
      throw this.fail('invalid escape in string');
    }
  }
}
