// Decoding of the escapes Zeek's ASCII writer puts into TSV values. A byte that is
// non-printable or equal to a separator is written as `\xHH`, and so is the first byte
// of a value that would otherwise read as a marker (`\x2d`, `\x28empty)`). A backslash
// is written as `\\`. The `ascii-escape-*` baselines in Zeek's test suite show each form.

/**
 * Decodes `\xHH` and `\\` escapes in one left-to-right pass, so the result is never
 * decoded again (`\\x41` stays the four characters `\x41`). Escaped bytes are read as
 * UTF-8. A byte that is not part of a valid UTF-8 sequence stays visible as the four
 * characters `\xHH`, so binary content is not silently replaced by U+FFFD. Such output
 * is the same text as a literal backslash-x in the original value, and the record's
 * JSON keeps it as it is.
 */
export function decodeZeekEscapes(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  let bytes: number[] = [];
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === 0x5c && index + 1 < length) {
      const next = text.charCodeAt(index + 1);
      if ((next === 0x78 || next === 0x58) && index + 3 < length) {
        const byte = hexByte(text.charCodeAt(index + 2), text.charCodeAt(index + 3));
        if (byte >= 0) {
          bytes.push(byte);
          index += 4;
          continue;
        }
      }
      if (next === 0x5c) {
        if (bytes.length > 0) {
          out += decodeUtf8Visible(bytes);
          bytes = [];
        }
        out += '\\';
        index += 2;
        continue;
      }
    }
    if (bytes.length > 0) {
      out += decodeUtf8Visible(bytes);
      bytes = [];
    }
    out += text[index];
    index += 1;
  }
  if (bytes.length > 0) out += decodeUtf8Visible(bytes);
  return out;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

function hexByte(high: number, low: number): number {
  const h = hexDigit(high);
  const l = hexDigit(low);
  return h < 0 || l < 0 ? -1 : h * 16 + l;
}

function visibleByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Decodes bytes as UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF) and writes each byte outside a valid sequence as `\xHH` text.
 */
export function decodeUtf8Visible(bytes: readonly number[]): string {
  let out = '';
  let index = 0;
  while (index < bytes.length) {
    const first = bytes[index]!;
    if (first < 0x80) {
      out += String.fromCharCode(first);
      index += 1;
      continue;
    }
    let needed = 0;
    let codePoint = 0;
    let minimum = 0;
    if (first >= 0xc2 && first <= 0xdf) {
      needed = 1;
      codePoint = first & 0x1f;
      minimum = 0x80;
    } else if (first >= 0xe0 && first <= 0xef) {
      needed = 2;
      codePoint = first & 0x0f;
      minimum = 0x800;
    } else if (first >= 0xf0 && first <= 0xf4) {
      needed = 3;
      codePoint = first & 0x07;
      minimum = 0x10000;
    }
    let valid = needed > 0;
    for (let k = 1; valid && k <= needed; k += 1) {
      const continuation = bytes[index + k];
      if (continuation === undefined || (continuation & 0xc0) !== 0x80) valid = false;
      else codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (valid && (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))) valid = false;
    if (!valid) {
      out += visibleByte(first);
      index += 1;
      continue;
    }
    out += String.fromCodePoint(codePoint);
    index += needed + 1;
  }
  return out;
}
