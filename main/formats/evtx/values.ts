// Decoding of BinXML substitution values. Value types, sizes and the array rules follow
// libyal's "Windows XML Event Log (EVTX) format" notes (section "Value types") and
// MS-EVEN6 2.2.12 (BinXml value types). Decoding does not throw on any bytes within the
// bounds the caller checked: a value that does not fit its type is shown as hex and carries
// a warning, and a lossy display keeps the raw form.

/** One decoded substitution value (or one value text of a template). */
export interface BxValue {
  /** Value type byte as stored, 0x80 bit included for arrays. */
  type: number;
  /** Display text; for arrays the items joined with ", " (the element repetition uses `items`). */
  text: string;
  /** Array types: one display text per item. */
  items?: string[];
  /**
   * Stored form where `text` lost information: the UTF-16LE code units as hex for a string
   * with unpaired surrogates, the bytes as hex for a value whose size does not fit its type.
   */
  raw?: string;
  /** Reason the display differs from a plain decode (odd boolean, repaired UTF-16, size mismatch). */
  warning?: string;
  /** FILETIME ticks (100 ns since 1601-01-01 UTC) for FileTimeType values. */
  filetime?: bigint;
}

export const NULL_TYPE = 0x00;
export const STRING_TYPE = 0x01;
export const BOOL_TYPE = 0x0d;
export const BINXML_TYPE = 0x21;
export const ARRAY_FLAG = 0x80;

const strictUtf16 = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

/** Decoded UTF-16LE text; `raw` is set (hex of the code units) when unpaired surrogates became U+FFFD. */
export interface Utf16Text {
  text: string;
  raw?: string;
  warning?: string;
}

/** Decodes `units` UTF-16LE code units at `offset`, replacing each unpaired surrogate with U+FFFD. */
export function decodeUtf16(bytes: Uint8Array, offset: number, units: number): Utf16Text {
  const slice = bytes.subarray(offset, offset + units * 2);
  try {
    return { text: strictUtf16.decode(slice) };
  } catch {
    return repairUtf16(slice);
  }
}

function repairUtf16(slice: Uint8Array): Utf16Text {
  const units = slice.length >> 1;
  const out: number[] = [];
  let firstBad = -1;
  for (let i = 0; i < units; i++) {
    const unit = slice[i * 2]! | (slice[i * 2 + 1]! << 8);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < units) {
      const next = slice[i * 2 + 2]! | (slice[i * 2 + 3]! << 8);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out.push(unit, next);
        i++;
        continue;
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      if (firstBad < 0) firstBad = i;
      out.push(0xfffd);
    } else {
      out.push(unit);
    }
  }
  let text = '';
  for (let i = 0; i < out.length; i += 4096) text += String.fromCharCode(...out.slice(i, i + 4096));
  return {
    text,
    raw: toHex(slice),
    warning: `unpaired UTF-16 surrogate at code unit ${firstBad} replaced by U+FFFD in "${text}" (raw UTF-16LE ${toHex(slice)})`,
  };
}

export function toHex(bytes: Uint8Array, upper = false): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return upper ? s.toUpperCase() : s;
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** Formats FILETIME ticks as ISO 8601 UTC with all seven fractional digits, as Event Viewer shows SystemTime. */
export function formatFiletime(ticks: bigint): string | null {
  const sinceUnix = ticks - FILETIME_UNIX_EPOCH;
  let seconds = sinceUnix / 10_000_000n;
  let fraction = sinceUnix % 10_000_000n;
  if (fraction < 0n) {
    fraction += 10_000_000n;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return null;
  return `${date.toISOString().slice(0, 19)}.${fraction.toString().padStart(7, '0')}Z`;
}

/** Splits FILETIME ticks into Unix microseconds plus the remaining 0-900 nanoseconds. */
export function filetimeToPrecise(ticks: bigint): { micros: bigint; nanos: number } {
  const sinceUnix = ticks - FILETIME_UNIX_EPOCH;
  let micros = sinceUnix / 10n;
  let rest = sinceUnix % 10n;
  if (rest < 0n) {
    rest += 10n;
    micros -= 1n;
  }
  return { micros, nanos: Number(rest) * 100 };
}

function formatSystemtime(view: DataView, offset: number): string {
  const year = view.getUint16(offset, true);
  const month = view.getUint16(offset + 2, true);
  const day = view.getUint16(offset + 6, true);
  const hour = view.getUint16(offset + 8, true);
  const minute = view.getUint16(offset + 10, true);
  const second = view.getUint16(offset + 12, true);
  const millis = view.getUint16(offset + 14, true);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${String(millis).padStart(3, '0')}Z`;
}

export function formatGuid(view: DataView, offset: number): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const d1 = hex(view.getUint32(offset, true), 8);
  const d2 = hex(view.getUint16(offset + 4, true), 4);
  const d3 = hex(view.getUint16(offset + 6, true), 4);
  let d4 = '';
  for (let i = 8; i < 16; i++) d4 += hex(view.getUint8(offset + i), 2);
  return `{${d1}-${d2}-${d3}-${d4.slice(0, 4)}-${d4.slice(4)}}`.toUpperCase();
}

/** Formats a SID at `offset`; returns null when `size` bytes cannot hold it. */
function formatSid(view: DataView, offset: number, size: number): { text: string; length: number } | null {
  if (size < 8) return null;
  const revision = view.getUint8(offset);
  const count = view.getUint8(offset + 1);
  const length = 8 + count * 4;
  if (length > size) return null;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + view.getUint8(offset + i);
  let text = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${view.getUint32(offset + 8 + i * 4, true)}`;
  return { text, length };
}

/** Formats a real; infinities and NaN use the Windows spellings from the libyal notes. */
function formatReal(n: number): string {
  if (Number.isFinite(n)) return String(n);
  if (Number.isNaN(n)) return '-1.#IND';
  return n > 0 ? '1.#INF' : '-1.#INF';
}

/** Size in bytes of one item of a fixed-size scalar type, or 0 for variable-size types. */
function fixedSize(type: number): number {
  switch (type) {
    case 0x03:
    case 0x04:
      return 1;
    case 0x05:
    case 0x06:
      return 2;
    case 0x07:
    case 0x08:
    case 0x0b:
    case 0x0d:
    case 0x14:
      return 4;
    case 0x09:
    case 0x0a:
    case 0x0c:
    case 0x11:
    case 0x15:
      return 8;
    case 0x0f:
    case 0x12:
      return 16;
    default:
      return 0;
  }
}

interface ScalarText {
  text: string;
  warning?: string;
  raw?: string;
  filetime?: bigint;
}

/** Decodes one fixed-size item whose size is already checked. */
function decodeFixed(type: number, view: DataView, offset: number): ScalarText {
  switch (type) {
    case 0x03:
      return { text: String(view.getInt8(offset)) };
    case 0x04:
      return { text: String(view.getUint8(offset)) };
    case 0x05:
      return { text: String(view.getInt16(offset, true)) };
    case 0x06:
      return { text: String(view.getUint16(offset, true)) };
    case 0x07:
      return { text: String(view.getInt32(offset, true)) };
    case 0x08:
      return { text: String(view.getUint32(offset, true)) };
    case 0x09:
      return { text: view.getBigInt64(offset, true).toString() };
    case 0x0a:
      return { text: view.getBigUint64(offset, true).toString() };
    case 0x0b:
      return { text: formatReal(view.getFloat32(offset, true)) };
    case 0x0c:
      return { text: formatReal(view.getFloat64(offset, true)) };
    case 0x0d: {
      // MS-EVEN6 requires a BoolType to be 0 or 1, but providers store bit masks in it.
      // Other values keep their number so nothing is coerced silently.
      const n = view.getUint32(offset, true);
      if (n === 0) return { text: 'false' };
      if (n === 1) return { text: 'true' };
      return { text: String(n), raw: String(n), warning: `BoolType value ${n} (0x${n.toString(16)}) is neither 0 nor 1: kept as a number` };
    }
    case 0x0f:
      return { text: formatGuid(view, offset) };
    case 0x11: {
      const ticks = view.getBigUint64(offset, true);
      const text = formatFiletime(ticks);
      if (text === null) return { text: ticks.toString(), filetime: ticks, warning: `FILETIME ${ticks} is outside years 0-9999` };
      return { text, filetime: ticks };
    }
    case 0x12:
      return { text: formatSystemtime(view, offset) };
    case 0x14:
      return { text: `0x${view.getUint32(offset, true).toString(16)}` };
    case 0x15:
      return { text: `0x${view.getBigUint64(offset, true).toString(16)}` };
    default:
      return { text: '' };
  }
}

function splitStrings(bytes: Uint8Array, offset: number, size: number, wide: boolean): { items: string[]; warning?: string; raw?: string } {
  const items: string[] = [];
  let warning: string | undefined;
  let raw: string | undefined;
  const step = wide ? 2 : 1;
  let start = offset;
  const end = offset + size - (size % step);
  for (let p = offset; p < end; p += step) {
    const isNul = wide ? bytes[p] === 0 && bytes[p + 1] === 0 : bytes[p] === 0;
    if (!isNul) continue;
    items.push(decodeItem(start, p));
    start = p + step;
  }
  if (start < end) items.push(decodeItem(start, end));
  return { items, warning, raw };

  function decodeItem(from: number, to: number): string {
    if (!wide) return latin1.decode(bytes.subarray(from, to));
    const decoded = decodeUtf16(bytes, from, (to - from) >> 1);
    if (decoded.warning && !warning) {
      warning = decoded.warning;
      raw = toHex(bytes.subarray(offset, offset + size));
    }
    return decoded.text;
  }
}

function stripNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Decodes a substitution value of `type` stored in `bytes[offset, offset + size)`.
 * BinXmlType (0x21) is decoded by the caller, which parses it as a fragment.
 */
export function decodeValue(type: number, bytes: Uint8Array, view: DataView, offset: number, size: number): BxValue {
  const base = type & 0x7f;
  if (type & ARRAY_FLAG) return decodeArray(type, bytes, view, offset, size);
  switch (base) {
    case NULL_TYPE:
      return { type, text: '' };
    case STRING_TYPE: {
      const decoded = decodeUtf16(bytes, offset, size >> 1);
      const value: BxValue = { type, text: stripNuls(decoded.text) };
      if (decoded.raw) {
        value.raw = decoded.raw;
        value.warning = decoded.warning;
      }
      if (size % 2) value.warning = `StringType value has an odd size ${size}: last byte ignored`;
      return value;
    }
    case 0x02:
      return { type, text: stripNuls(latin1.decode(bytes.subarray(offset, offset + size))) };
    case 0x0e:
      return { type, text: toHex(bytes.subarray(offset, offset + size), true) };
    case 0x10:
      // SizeTType: 32 or 64 bits, shown in hexadecimal like HexInt32/HexInt64.
      if (size === 4) return { type, text: `0x${view.getUint32(offset, true).toString(16)}` };
      if (size === 8) return { type, text: `0x${view.getBigUint64(offset, true).toString(16)}` };
      return mismatch(type, bytes, offset, size);
    case 0x13: {
      const sid = formatSid(view, offset, size);
      return sid ? { type, text: sid.text } : mismatch(type, bytes, offset, size);
    }
    default: {
      const itemSize = fixedSize(base);
      if (itemSize === 0) {
        const hex = toHex(bytes.subarray(offset, offset + size), true);
        return { type, text: hex, raw: hex, warning: `value type 0x${type.toString(16)} is not decoded: shown as hex` };
      }
      if (size !== itemSize) return mismatch(type, bytes, offset, size);
      const scalar = decodeFixed(base, view, offset);
      return { type, ...scalar };
    }
  }
}

function mismatch(type: number, bytes: Uint8Array, offset: number, size: number): BxValue {
  const hex = toHex(bytes.subarray(offset, offset + size), true);
  return { type, text: hex, raw: hex, warning: `value of type 0x${type.toString(16)} has an unexpected size ${size}: shown as hex` };
}

function decodeArray(type: number, bytes: Uint8Array, view: DataView, offset: number, size: number): BxValue {
  const base = type & 0x7f;
  let items: string[] = [];
  let warning: string | undefined;
  let raw: string | undefined;
  if (base === STRING_TYPE || base === 0x02) {
    const split = splitStrings(bytes, offset, size, base === STRING_TYPE);
    items = split.items;
    warning = split.warning;
    raw = split.raw;
  } else if (base === 0x13) {
    let p = offset;
    while (p < offset + size) {
      const sid = formatSid(view, p, offset + size - p);
      if (!sid) {
        warning = `array of SIDs has ${offset + size - p} trailing bytes that hold no SID`;
        break;
      }
      items.push(sid.text);
      p += sid.length;
    }
  } else {
    // NOTE: an array of SizeTType (0x90) does not say its item width; 8 bytes is assumed
    // when the size allows it, else 4.
    let itemSize = fixedSize(base);
    let itemType = base;
    if (base === 0x10) {
      itemSize = size % 8 === 0 ? 8 : 4;
      itemType = itemSize === 8 ? 0x15 : 0x14;
    }
    if (itemSize === 0) {
      const hex = toHex(bytes.subarray(offset, offset + size), true);
      return { type, text: hex, items: [hex], raw: hex, warning: `array type 0x${type.toString(16)} is not decoded: shown as hex` };
    }
    if (size % itemSize !== 0) warning = `array of type 0x${type.toString(16)} has size ${size}, not a multiple of ${itemSize}`;
    for (let p = offset; p + itemSize <= offset + size; p += itemSize) {
      const item = decodeFixed(itemType, view, p);
      if (item.warning && !warning) warning = item.warning;
      items.push(item.text);
    }
  }
  const value: BxValue = { type, text: items.join(', '), items };
  if (warning) value.warning = warning;
  if (raw) value.raw = raw;
  return value;
}
