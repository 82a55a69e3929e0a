// A JSON parser of our own, for two things JSON.parse cannot do. It keeps every value of
// a key written more than once in one object, because Hayabusa writes `Data` three times
// for classic PowerShell events and JSON.parse keeps only the last. It keeps numbers as
// written, so 64-bit values such as NXLog's Keywords -9223372036854775808 stay exact.
// A splitter finds value boundaries in a stream, so JSON lines, concatenated
// pretty-printed objects and the elements of a top-level array are read one by one.

/** A number as written in the source text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
  toString(): string {
    return this.raw;
  }
}

/**
 * An object with its keys in order. A key written more than once maps to an array of its
 * values in order and is listed in `duplicates`.
 */
export class JsonObject {
  readonly keys: string[] = [];
  readonly values = new Map<string, JsonValue>();
  readonly duplicates = new Set<string>();

  get(key: string): JsonValue | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  add(key: string, value: JsonValue): void {
    if (!this.values.has(key)) {
      this.keys.push(key);
      this.values.set(key, value);
    } else if (this.duplicates.has(key)) {
      (this.values.get(key) as JsonValue[]).push(value);
    } else {
      this.duplicates.add(key);
      this.values.set(key, [this.values.get(key)!, value]);
    }
  }
}

export type JsonValue = string | JsonNumber | boolean | null | JsonValue[] | JsonObject;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\r\n]*/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters in strings
const PLAIN_STRING = /[^"\\\x00-\x1F]*/y;

/** Parses one JSON value; the whole text must be that value and whitespace. */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  const value = parser.value();
  parser.skipWhitespace();
  if (parser.position < text.length) throw new JsonSyntaxError(`unexpected "${text[parser.position]}" after the value`, parser.position);
  return value;
}

class Parser {
  position = 0;
  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.exec(this.text);
    this.position = WHITESPACE.lastIndex;
  }

  value(): JsonValue {
    this.skipWhitespace();
    const c = this.text[this.position];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't' && this.text.startsWith('true', this.position)) {
      this.position += 4;
      return true;
    }
    if (c === 'f' && this.text.startsWith('false', this.position)) {
      this.position += 5;
      return false;
    }
    if (c === 'n' && this.text.startsWith('null', this.position)) {
      this.position += 4;
      return null;
    }
    NUMBER.lastIndex = this.position;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.position = NUMBER.lastIndex;
      return new JsonNumber(number[0]);
    }
    throw new JsonSyntaxError(
      c === undefined ? 'the text ends inside a value' : `unexpected "${c}" where a value was expected`,
      this.position,
    );
  }

  private object(): JsonObject {
    const object = new JsonObject();
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') throw new JsonSyntaxError('expected a quoted key', this.position);
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') throw new JsonSyntaxError(`expected ":" after key "${key}"`, this.position);
      this.position += 1;
      object.add(key, this.value());
      this.skipWhitespace();
      const c = this.text[this.position];
      this.position += 1;
      if (c === '}') return object;
      if (c !== ',') throw new JsonSyntaxError('expected "," or "}" in an object', this.position - 1);
    }
  }

  private array(): JsonValue[] {
    const array: JsonValue[] = [];
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.skipWhitespace();
      const c = this.text[this.position];
      this.position += 1;
      if (c === ']') return array;
      if (c !== ',') throw new JsonSyntaxError('expected "," or "]" in an array', this.position - 1);
    }
  }

  private string(): string {
    let out = '';
    this.position += 1;
    for (;;) {
      PLAIN_STRING.lastIndex = this.position;
      PLAIN_STRING.exec(this.text);
      out += this.text.slice(this.position, PLAIN_STRING.lastIndex);
      this.position = PLAIN_STRING.lastIndex;
      const c = this.text[this.position];
      if (c === '"') {
        this.position += 1;
        return out;
      }
      if (c === undefined) throw new JsonSyntaxError('the text ends inside a string', this.position);
      if (c !== '\\')
        throw new JsonSyntaxError(
          `raw control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')} inside a string`,
          this.position,
        );
      const e = this.text[this.position + 1];
      this.position += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = this.text.slice(this.position, this.position + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError(`invalid \\u escape "\\u${hex}"`, this.position - 2);
          // Lone surrogates are kept as code units: Windows strings may contain them.
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.position += 4;
          break;
        }
        default:
          throw new JsonSyntaxError(`invalid escape "\\${e ?? ''}"`, this.position - 2);
      }
    }
  }
}

/** One complete top-level value (or element of a top-level array) found by the splitter. */
export interface JsonPiece {
  text: string;
  /** 1-based line of the value's first character. */
  line: number;
}

/**
 * Splits a stream of JSON text into values: objects one after another (JSON lines or
 * pretty-printed), or the elements of one top-level array. Only brackets and strings
 * are tracked, so each value is scanned twice in all: once here, once by the parser.
 */
export class JsonSplitter {
  private buffer = '';
  private scan = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private valueStart = -1;
  private valueLine = 0;
  private line = 1;
  /** True inside a top-level `[`: its elements are the values. */
  private inArray = false;
  private scalar = false;
  /** Problems between values (stray characters), by line. */
  readonly stray: { line: number; text: string }[] = [];

  push(chunk: string): JsonPiece[] {
    this.buffer += chunk;
    return this.run();
  }

  end(): JsonPiece[] {
    const pieces = this.run();
    if (this.valueStart >= 0) {
      pieces.push({ text: this.buffer.slice(this.valueStart), line: this.valueLine });
      this.valueStart = -1;
    }
    return pieces;
  }

  private run(): JsonPiece[] {
    const pieces: JsonPiece[] = [];
    const text = this.buffer;
    let index = this.scan;
    for (; index < text.length; index += 1) {
      const c = text.charCodeAt(index);
      if (c === 10) this.line += 1;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (this.valueStart < 0) {
        if (c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 0xfeff) continue;
        if (c === 91 && !this.inArray) {
          this.inArray = true;
          continue;
        }
        if (c === 93 && this.inArray) {
          this.inArray = false;
          continue;
        }
        this.valueStart = index;
        this.valueLine = this.line;
        this.depth = 0;
        this.scalar = c !== 123 && c !== 91;
      }
      if (this.scalar) {
        // Not an object: take the text up to the end of the line or element, for the parser to report.
        if (c === 10 || c === 44 || (c === 93 && this.inArray)) {
          pieces.push({ text: text.slice(this.valueStart, index), line: this.valueLine });
          this.valueStart = -1;
          if (c === 93) this.inArray = false;
        } else if (c === 34) {
          this.inString = true;
        }
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth += 1;
      else if ((c === 125 || c === 93) && --this.depth === 0) {
        pieces.push({ text: text.slice(this.valueStart, index + 1), line: this.valueLine });
        this.valueStart = -1;
      }
    }
    // Drop what is done so the buffer contains at most one value in progress.
    const keepFrom = this.valueStart >= 0 ? this.valueStart : index;
    this.buffer = text.slice(keepFrom);
    if (this.valueStart >= 0) this.valueStart = 0;
    this.scan = index - keepFrom;
    return pieces;
  }
}

/** Converts a JSON value to plain text: strings as is, numbers as written, the rest as JSON. */
export function jsonText(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.raw;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return stringifyJson(value);
}

/** Serialises a value back to JSON text, numbers as written and duplicate keys repeated in order. */
export function stringifyJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof JsonNumber) return value.raw;
  if (Array.isArray(value)) return `[${value.map(stringifyJson).join(',')}]`;
  const parts: string[] = [];
  for (const key of value.keys) {
    const item = value.get(key)!;
    if (value.duplicates.has(key)) for (const each of item as JsonValue[]) parts.push(`${JSON.stringify(key)}:${stringifyJson(each)}`);
    else parts.push(`${JSON.stringify(key)}:${stringifyJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}
