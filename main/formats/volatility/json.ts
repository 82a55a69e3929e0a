// A small JSON reader for Volatility 3 output. JSON.parse turns every number into a
// double, which corrupts 64-bit offsets such as 0xffffe0003a5b6080. This reader keeps
// each number as its source text and records the line where each object opens.

/** A JSON number kept as written. */
export class JsonNumber {
  constructor(readonly text: string) {}

  get isInteger(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

export class JsonObject {
  readonly fields = new Map<string, JsonValue>();
  constructor(readonly line: number) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonObject | JsonValue[];

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Reader of JSON values from `text`, starting at `start`, which lies on line `firstLine`. */
export class JsonReader {
  private position: number;
  private line: number;

  constructor(
    private readonly text: string,
    start = 0,
    firstLine = 1,
  ) {
    this.position = start;
    this.line = firstLine;
  }

  /** Parses the whole remaining text as one value. Trailing content other than whitespace is an error. */
  readDocument(): JsonValue {
    const value = this.readValue();
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('end of input after the top-level value');
    return value;
  }

  readValue(): JsonValue {
    this.skipWhitespace();
    const char = this.text[this.position];
    switch (char) {
      case '{':
        return this.readObject();
      case '[':
        return this.readArray();
      case '"':
        return this.readString();
      case 't':
        return this.readLiteral('true', true);
      case 'f':
        return this.readLiteral('false', false);
      case 'n':
        return this.readLiteral('null', null);
      default: {
        NUMBER.lastIndex = this.position;
        const match = NUMBER.exec(this.text);
        if (!match) this.fail('a JSON value');
        this.position += match[0].length;
        return new JsonNumber(match[0]);
      }
    }
  }

  private readObject(): JsonObject {
    const object = new JsonObject(this.line);
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('a quoted member name');
      const key = this.readString();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("':' after a member name");
      this.position++;
      object.fields.set(key, this.readValue());
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position++;
      if (next === '}') return object;
      if (next !== ',') {
        this.position--;
        this.fail("',' or '}' in an object");
      }
    }
  }

  private readArray(): JsonValue[] {
    const items: JsonValue[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return items;
    }
    for (;;) {
      items.push(this.readValue());
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position++;
      if (next === ']') return items;
      if (next !== ',') {
        this.position--;
        this.fail("',' or ']' in an array");
      }
    }
  }

  private readString(): string {
    const start = ++this.position;
    let result = '';
    let chunkStart = start;
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (Number.isNaN(code)) this.fail('a closing quote');
      if (code === 0x22) {
        result += this.text.slice(chunkStart, this.position);
        this.position++;
        return result;
      }
      if (code === 0x0a) this.fail('a closing quote before the end of the line');
      if (code !== 0x5c) {
        this.position++;
        continue;
      }
      result += this.text.slice(chunkStart, this.position);
      const escaped = this.text[this.position + 1];
      this.position += 2;
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          result += escaped;
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'n':
          result += '\n';
          break;
        case 'r':
          result += '\r';
          break;
        case 't':
          result += '\t';
          break;
        case 'u': {
          const hex = this.text.slice(this.position, this.position + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('four hex digits after \\u');
          result += String.fromCharCode(Number.parseInt(hex, 16));
          this.position += 4;
          break;
        }
        default:
          this.position -= 2;
          this.fail('a valid escape sequence');
      }
      chunkStart = this.position;
    }
  }

  private readLiteral<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) this.fail('a JSON value');
    this.position += word.length;
    return value;
  }

  private skipWhitespace(): void {
    for (;;) {
      const char = this.text[this.position];
      if (char === '\n') this.line++;
      else if (char !== ' ' && char !== '\t' && char !== '\r') return;
      this.position++;
    }
  }

  private fail(expected: string): never {
    const found = this.position < this.text.length ? JSON.stringify(this.text.slice(this.position, this.position + 12)) : 'end of input';
    throw new JsonSyntaxError(`expected ${expected} at line ${this.line}, found ${found}`, this.line, this.position);
  }
}
