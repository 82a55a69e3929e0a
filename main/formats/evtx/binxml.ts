// BinXML token parser and template instantiation for one EVTX chunk.
//
// Sources: libyal "Windows XML Event Log (EVTX) format" notes (sections "Binary XML",
// "Token types", "Template instance", "Substitution") and MS-EVEN6 2.2.12 (BinXml grammar).
// All offsets in BinXML (names, template definitions) are relative to the chunk start, so
// the parser works on the 64 KiB chunk as one buffer and a chunk needs nothing outside it.

import { ARRAY_FLAG, BINXML_TYPE, type BxValue, decodeUtf16, decodeValue, NULL_TYPE } from './values.ts';

/** Literal text from a value text token. */
export interface BxText {
  kind: 'text';
  text: string;
}
/** Entity reference such as `quot`; the flat value resolves it, the XML view keeps `&quot;`. */
export interface BxEntity {
  kind: 'entity';
  name: string;
}
export interface BxCharRef {
  kind: 'charref';
  code: number;
}
/** A substituted value. */
export interface BxValuePart {
  kind: 'value';
  value: BxValue;
}
export type BxPart = BxText | BxEntity | BxCharRef | BxValuePart;

export interface BxAttribute {
  name: string;
  parts: BxPart[];
}

export interface BxElement {
  kind: 'element';
  name: string;
  attributes: BxAttribute[];
  children: BxNode[];
}
export interface BxCData {
  kind: 'cdata';
  text: string;
}
export interface BxPi {
  kind: 'pi';
  target: string;
  data: string;
}
export type BxNode = BxElement | BxPart | BxCData | BxPi;

/** Substitution placeholder inside a template definition. */
interface TSubst {
  kind: 'subst';
  index: number;
  valueType: number;
  optional: boolean;
}
type TPart = BxText | BxEntity | BxCharRef | TSubst;
interface TAttribute {
  name: string;
  parts: TPart[];
}
interface TElement {
  kind: 'element';
  name: string;
  attributes: TAttribute[];
  children: TNode[];
  /**
   * The instance of an element without substitutions anywhere below it, built once and
   * shared by every record of the chunk that uses the template; null when the element has
   * substitutions, undefined until first instantiated.
   */
  constant?: BxElement | null;
}
/** A template instance nested in content: already bound to its own values. */
interface TBound {
  kind: 'bound';
  nodes: BxNode[];
}
type TNode = TElement | TPart | BxCData | BxPi | TBound;

interface TemplateDefinition {
  guid: string;
  nodes: TNode[];
  /** Warnings found while parsing the definition (repaired names or text), repeated for every record that uses it. */
  warnings: string[];
}

/** Raised for a structural BinXML error; the caller marks the record corrupt. */
export class BinXmlError extends Error {}

const MAX_DEPTH = 64;
const SELF_REFERENCE = new BinXmlError('template definition refers to itself');
/** Upper bound on tokens parsed per record, so crafted input cannot make a record quadratic. */
const MAX_TOKENS = 200_000;

/** Parser state for one chunk: the bytes plus the per-chunk name and template caches. */
export class ChunkParser {
  readonly view: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TemplateDefinition | Error>();
  private tokens = 0;
  private warnings: string[] = [];

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Parses the BinXML of one record at `[start, end)` and instantiates its templates.
   * Returns the top-level nodes and the warnings about values; throws BinXmlError when the
   * token stream is malformed.
   */
  parseRecord(start: number, end: number): { nodes: BxNode[]; warnings: string[] } {
    this.tokens = 0;
    this.warnings = [];
    const { nodes } = this.parseFragment(start, end, 0);
    return { nodes: this.instantiate(nodes, [], 0), warnings: this.warnings };
  }

  private u8(pos: number, end: number): number {
    if (pos + 1 > end) throw new BinXmlError(`BinXML truncated at chunk offset 0x${pos.toString(16)}`);
    return this.bytes[pos]!;
  }
  private u16(pos: number, end: number): number {
    if (pos + 2 > end) throw new BinXmlError(`BinXML truncated at chunk offset 0x${pos.toString(16)}`);
    return this.view.getUint16(pos, true);
  }
  private u32(pos: number, end: number): number {
    if (pos + 4 > end) throw new BinXmlError(`BinXML truncated at chunk offset 0x${pos.toString(16)}`);
    return this.view.getUint32(pos, true);
  }

  private countToken(pos: number): void {
    if (++this.tokens > MAX_TOKENS) throw new BinXmlError(`more than ${MAX_TOKENS} BinXML tokens at chunk offset 0x${pos.toString(16)}`);
  }

  /** Parses tokens until end of fragment (0x00) or `end`: fragment headers, elements, template instances, PIs. */
  private parseFragment(start: number, end: number, depth: number): { nodes: TNode[]; pos: number } {
    if (depth > MAX_DEPTH) throw new BinXmlError(`BinXML nested deeper than ${MAX_DEPTH} at chunk offset 0x${start.toString(16)}`);
    const nodes: TNode[] = [];
    let pos = start;
    while (pos < end) {
      this.countToken(pos);
      const token = this.bytes[pos]!;
      switch (token) {
        case 0x00:
          return { nodes, pos: pos + 1 };
        case 0x0f:
          pos += 4;
          break;
        case 0x01:
        case 0x41: {
          const element = this.parseElement(pos, end, depth + 1);
          nodes.push(element.node);
          pos = element.pos;
          break;
        }
        case 0x0c: {
          const instance = this.parseTemplateInstance(pos, end, depth + 1);
          nodes.push({ kind: 'bound', nodes: instance.nodes });
          pos = instance.pos;
          break;
        }
        case 0x0a: {
          const pi = this.parsePi(pos, end);
          nodes.push(pi.node);
          pos = pi.pos;
          break;
        }
        default:
          throw new BinXmlError(`unexpected BinXML token 0x${token.toString(16)} at fragment level, chunk offset 0x${pos.toString(16)}`);
      }
    }
    return { nodes, pos };
  }

  /** Checks that a BinXML name structure at `offset` fits the chunk and ends with NUL. */
  private isName(offset: number): boolean {
    // Names live in the records area, never in the 512-byte chunk header.
    if (offset < 512 || offset + 8 > this.bytes.length) return false;
    const units = this.view.getUint16(offset + 6, true);
    const endOfName = offset + 8 + units * 2;
    return endOfName + 2 <= this.bytes.length && this.bytes[endOfName] === 0 && this.bytes[endOfName + 1] === 0;
  }

  /** Reads a name reference whose offset field sits at `pos`; returns the name and the position after it. */
  private readNameRef(pos: number, end: number): { name: string; pos: number } {
    const offset = this.u32(pos, end);
    const after = pos + 4;
    if (offset === after) {
      // Inline name: it follows the reference, so the cursor skips it.
      const name = this.readName(offset);
      return { name, pos: after + 8 + this.view.getUint16(offset + 6, true) * 2 + 2 };
    }
    return { name: this.readName(offset), pos: after };
  }

  /** Name structure (libyal "Name"): next offset u32, hash u16, character count u16, UTF-16LE text, NUL. */
  private readName(offset: number): string {
    const cached = this.names.get(offset);
    if (cached !== undefined) return cached;
    if (!this.isName(offset)) throw new BinXmlError(`invalid BinXML name at chunk offset 0x${offset.toString(16)}`);
    const decoded = decodeUtf16(this.bytes, offset + 8, this.view.getUint16(offset + 6, true));
    if (decoded.warning) this.warnings.push(`name at chunk offset 0x${offset.toString(16)}: ${decoded.warning}`);
    this.names.set(offset, decoded.text);
    return decoded.text;
  }

  /**
   * Decides whether an open start element at `pos` carries the 2-byte dependency identifier.
   * Template definitions have it; records written without templates (event forwarding,
   * "save as") and some embedded BinXML values do not. The layout whose name offset points
   * either just behind itself (inline name) or back to a valid name wins, the standard one first.
   */
  private hasDependencyId(pos: number, end: number): boolean {
    for (const withId of [true, false]) {
      const nameField = pos + (withId ? 7 : 5);
      if (nameField + 4 > end) continue;
      const dataSize = this.view.getUint32(nameField - 4, true);
      if (dataSize > end - nameField) continue;
      const offset = this.view.getUint32(nameField, true);
      if (offset === nameField + 4 ? this.isName(offset) : offset < pos && (this.names.has(offset) || this.isName(offset))) return withId;
    }
    throw new BinXmlError(`open start element at chunk offset 0x${pos.toString(16)} has no valid name reference`);
  }

  private parseElement(start: number, end: number, depth: number): { node: TElement; pos: number } {
    if (depth > MAX_DEPTH) throw new BinXmlError(`BinXML nested deeper than ${MAX_DEPTH} at chunk offset 0x${start.toString(16)}`);
    const token = this.bytes[start]!;
    let pos = start + 1 + (this.hasDependencyId(start, end) ? 2 : 0);
    pos += 4; // element data size: not needed, the end element token closes the element
    const name = this.readNameRef(pos, end);
    pos = name.pos;
    const node: TElement = { kind: 'element', name: name.name, attributes: [], children: [] };
    if (token & 0x40) pos += 4; // attribute list size: the attribute tokens themselves delimit the list

    // Attributes run until the close start (0x02) or close empty (0x03) token. An
    // attribute's value is made of the value, substitution and reference tokens after its name.
    let attribute: TAttribute | null = null;
    for (;;) {
      this.countToken(pos);
      const t = this.u8(pos, end);
      if (t === 0x06 || t === 0x46) {
        const attrName = this.readNameRef(pos + 1, end);
        attribute = { name: attrName.name, parts: [] };
        node.attributes.push(attribute);
        pos = attrName.pos;
        continue;
      }
      if (t === 0x02) {
        pos += 1;
        break;
      }
      if (t === 0x03) return { node, pos: pos + 1 };
      const part = this.parsePart(t, pos, end);
      if (!part || !attribute)
        throw new BinXmlError(
          `unexpected BinXML token 0x${t.toString(16)} in start tag <${node.name}> at chunk offset 0x${pos.toString(16)}`,
        );
      attribute.parts.push(part.part);
      pos = part.pos;
    }

    for (;;) {
      this.countToken(pos);
      const t = this.u8(pos, end);
      switch (t) {
        case 0x04:
          return { node, pos: pos + 1 };
        case 0x01:
        case 0x41: {
          const child = this.parseElement(pos, end, depth + 1);
          node.children.push(child.node);
          pos = child.pos;
          continue;
        }
        case 0x07:
        case 0x47: {
          const units = this.u16(pos + 1, end);
          if (pos + 3 + units * 2 > end) throw new BinXmlError(`CDATA section overruns the record at chunk offset 0x${pos.toString(16)}`);
          node.children.push({ kind: 'cdata', text: this.text(pos + 3, units) });
          pos += 3 + units * 2;
          continue;
        }
        case 0x0a: {
          const pi = this.parsePi(pos, end);
          node.children.push(pi.node);
          pos = pi.pos;
          continue;
        }
        case 0x0c: {
          const instance = this.parseTemplateInstance(pos, end, depth + 1);
          node.children.push({ kind: 'bound', nodes: instance.nodes });
          pos = instance.pos;
          continue;
        }
        case 0x0f:
          pos += 4;
          continue;
        case 0x00:
          // End of fragment before the end element token: keep what was read.
          return { node, pos };
      }
      const part = this.parsePart(t, pos, end);
      if (!part)
        throw new BinXmlError(`unexpected BinXML token 0x${t.toString(16)} in <${node.name}> at chunk offset 0x${pos.toString(16)}`);
      node.children.push(part.part);
      pos = part.pos;
    }
  }

  /** Parses a value text, substitution, character reference or entity reference token; null for other tokens. */
  private parsePart(t: number, pos: number, end: number): { part: TPart; pos: number } | null {
    switch (t) {
      case 0x05:
      case 0x45: {
        const type = this.u8(pos + 1, end);
        const units = this.u16(pos + 2, end);
        if (type !== 0x01)
          throw new BinXmlError(`value text of type 0x${type.toString(16)} (expected StringType) at chunk offset 0x${pos.toString(16)}`);
        if (pos + 4 + units * 2 > end) throw new BinXmlError(`value text overruns the record at chunk offset 0x${pos.toString(16)}`);
        return { part: { kind: 'text', text: this.text(pos + 4, units) }, pos: pos + 4 + units * 2 };
      }
      case 0x0d:
      case 0x0e:
        return {
          part: { kind: 'subst', index: this.u16(pos + 1, end), valueType: this.u8(pos + 3, end), optional: t === 0x0e },
          pos: pos + 4,
        };
      case 0x08:
      case 0x48:
        return { part: { kind: 'charref', code: this.u16(pos + 1, end) }, pos: pos + 3 };
      case 0x09:
      case 0x49: {
        const name = this.readNameRef(pos + 1, end);
        return { part: { kind: 'entity', name: name.name }, pos: name.pos };
      }
      default:
        return null;
    }
  }

  private text(offset: number, units: number): string {
    const decoded = decodeUtf16(this.bytes, offset, units);
    if (decoded.warning) this.warnings.push(`text at chunk offset 0x${offset.toString(16)}: ${decoded.warning}`);
    return decoded.text;
  }

  /** PI target (0x0A, name reference) optionally followed by PI data (0x0B, counted UTF-16 text). */
  private parsePi(pos: number, end: number): { node: BxPi; pos: number } {
    const target = this.readNameRef(pos + 1, end);
    let p = target.pos;
    let data = '';
    if (p < end && this.bytes[p] === 0x0b) {
      const units = this.u16(p + 1, end);
      if (p + 3 + units * 2 > end) throw new BinXmlError(`PI data overruns the record at chunk offset 0x${p.toString(16)}`);
      data = this.text(p + 3, units);
      p += 3 + units * 2;
    }
    return { node: { kind: 'pi', target: target.name, data }, pos: p };
  }

  /**
   * Template instance (0x0C): unknown byte, template identifier u32, definition offset u32,
   * the definition itself when that offset points just behind the field, then the instance
   * data (value count, 4-byte descriptors of size u16 and type u8, the value bytes).
   */
  private parseTemplateInstance(start: number, end: number, depth: number): { nodes: BxNode[]; pos: number } {
    const definitionOffset = this.u32(start + 6, end);
    let pos = start + 10;
    const definition = this.templateAt(definitionOffset, depth);
    if (definitionOffset === pos) pos += 24 + this.u32(pos + 20, end);
    if (definition instanceof Error) throw definition;

    const count = this.u32(pos, end);
    pos += 4;
    if (count > (end - pos) / 4)
      throw new BinXmlError(`template instance at chunk offset 0x${start.toString(16)} declares ${count} values, more than fit`);
    const descriptors: { size: number; type: number }[] = [];
    for (let i = 0; i < count; i++) {
      descriptors.push({ size: this.view.getUint16(pos, true), type: this.bytes[pos + 2]! });
      pos += 4;
    }
    const values: (BxValue | BxNode[])[] = [];
    for (const { size, type } of descriptors) {
      if (pos + size > end)
        throw new BinXmlError(`substitution value of size ${size} overruns the record at chunk offset 0x${pos.toString(16)}`);
      values.push(this.value(type, pos, size, depth));
      pos += size;
    }
    for (const w of definition.warnings) this.warnings.push(w);
    return { nodes: this.instantiate(definition.nodes, values, depth), pos };
  }

  private value(type: number, pos: number, size: number, depth: number): BxValue | BxNode[] {
    if (type === BINXML_TYPE) {
      // Embedded BinXML may start with a fragment header, a template instance or directly
      // with an open start element; parseFragment accepts all three.
      if (size === 0) return [];
      const { nodes } = this.parseFragment(pos, pos + size, depth + 1);
      return this.instantiate(nodes, [], depth + 1);
    }
    const value = decodeValue(type, this.bytes, this.view, pos, size);
    if (value.warning) this.warnings.push(value.warning);
    return value;
  }

  /** Template definition at `offset`: next offset u32, GUID, data size u32, then the fragment. Cached per chunk. */
  private templateAt(offset: number, depth: number): TemplateDefinition | Error {
    const cached = this.templates.get(offset);
    if (cached) return cached;
    let result: TemplateDefinition | Error;
    const saved = this.warnings;
    this.warnings = [];
    try {
      if (offset < 0 || offset + 24 > this.bytes.length)
        throw new BinXmlError(`template definition offset 0x${offset.toString(16)} is outside the chunk`);
      const size = this.view.getUint32(offset + 20, true);
      const dataEnd = offset + 24 + size;
      if (dataEnd > this.bytes.length)
        throw new BinXmlError(`template definition at chunk offset 0x${offset.toString(16)} has size ${size} beyond the chunk`);
      // The cache contains an error marker while parsing, so a definition that refers to itself cannot recurse.
      this.templates.set(offset, SELF_REFERENCE);
      const { nodes } = this.parseFragment(offset + 24, dataEnd, depth + 1);
      result = { guid: '', nodes, warnings: this.warnings };
    } catch (error) {
      if (!(error instanceof BinXmlError)) throw error;
      result = error;
    } finally {
      this.warnings = saved;
    }
    this.templates.set(offset, result);
    return result;
  }

  private instantiate(nodes: TNode[], values: (BxValue | BxNode[])[], depth: number): BxNode[] {
    const out: BxNode[] = [];
    for (const node of nodes) this.instantiateNode(node, values, out, depth);
    return out;
  }

  private instantiateNode(node: TNode, values: (BxValue | BxNode[])[], out: BxNode[], depth: number): void {
    switch (node.kind) {
      case 'element':
        this.instantiateElement(node, values, out, depth);
        return;
      case 'bound':
        for (const n of node.nodes) out.push(n);
        return;
      case 'subst': {
        const value = values[node.index];
        if (value === undefined) {
          this.warnings.push(`substitution %${node.index} has no value (the template instance holds ${values.length})`);
          return;
        }
        if (Array.isArray(value)) {
          for (const n of value) out.push(n);
          return;
        }
        if (value.type === NULL_TYPE) return;
        out.push({ kind: 'value', value });
        return;
      }
      default:
        out.push(node);
    }
  }

  /**
   * Instantiates one element with the substitution rules of the libyal notes. An array
   * value repeats the element once per item, and an empty array gives one empty element.
   * An optional substitution whose value is NullType removes its attribute. It also removes
   * an element without attributes when it is that element's only content.
   */
  private instantiateElement(node: TElement, values: (BxValue | BxNode[])[], out: BxNode[], depth: number): void {
    if (depth > MAX_DEPTH) throw new BinXmlError(`BinXML nested deeper than ${MAX_DEPTH}`);
    if (node.constant === undefined) {
      node.constant = null;
      if (isConstant(node)) {
        const built: BxNode[] = [];
        this.instantiateElement(node, [], built, depth);
        node.constant = built[0] as BxElement;
      }
    }
    if (node.constant) {
      out.push(node.constant);
      return;
    }
    let repeat = 0;
    let hasArray = false;
    let onlyOptionalNull = node.attributes.length === 0 && node.children.length > 0;
    for (const a of node.attributes) {
      for (const p of a.parts) {
        if (p.kind !== 'subst') continue;
        const items = arrayItems(values[p.index]);
        if (items) {
          hasArray = true;
          if (items.length > repeat) repeat = items.length;
        }
      }
    }
    for (const c of node.children) {
      if (c.kind !== 'subst') {
        onlyOptionalNull = false;
        continue;
      }
      if (!c.optional || !isNullValue(values[c.index])) onlyOptionalNull = false;
      const items = arrayItems(values[c.index]);
      if (items) {
        hasArray = true;
        if (items.length > repeat) repeat = items.length;
      }
    }
    if (onlyOptionalNull) return;

    const copies = hasArray ? Math.max(repeat, 1) : 1;
    for (let item = 0; item < copies; item++) {
      const element: BxElement = { kind: 'element', name: node.name, attributes: [], children: [] };
      for (const a of node.attributes) {
        let removable = a.parts.length > 0;
        for (const p of a.parts) if (p.kind !== 'subst' || !p.optional || !isNullValue(values[p.index])) removable = false;
        if (removable) continue;
        const parts: BxPart[] = [];
        for (const p of a.parts) {
          if (p.kind !== 'subst') {
            parts.push(p);
            continue;
          }
          const value = this.pick(values, p.index, hasArray ? item : -1);
          if (value) parts.push({ kind: 'value', value });
        }
        element.attributes.push({ name: a.name, parts });
      }
      for (const child of node.children) {
        if (child.kind === 'subst' && hasArray) {
          const value = this.pick(values, child.index, item);
          if (value && value.text !== '') element.children.push({ kind: 'value', value });
          continue;
        }
        this.instantiateNode(child, values, element.children, depth + 1);
      }
      out.push(element);
    }
  }

  /** Value of substitution `index` for use inside text; item `item` of an array when item >= 0. */
  private pick(values: (BxValue | BxNode[])[], index: number, item: number): BxValue | null {
    const value = values[index];
    if (value === undefined) {
      this.warnings.push(`substitution %${index} has no value (the template instance holds ${values.length})`);
      return null;
    }
    if (Array.isArray(value)) return { type: BINXML_TYPE, text: flatText(value) };
    if (value.type === NULL_TYPE) return null;
    if (item >= 0 && value.items) return { type: value.type & 0x7f, text: value.items[item] ?? '' };
    return value;
  }
}

/** True when no substitution or bound template instance occurs in the element or below it. */
function isConstant(node: TElement): boolean {
  for (const a of node.attributes) for (const p of a.parts) if (p.kind === 'subst') return false;
  for (const c of node.children) {
    if (c.kind === 'subst' || c.kind === 'bound') return false;
    if (c.kind === 'element' && !isConstant(c)) return false;
  }
  return true;
}

function arrayItems(value: BxValue | BxNode[] | undefined): string[] | undefined {
  if (value === undefined || Array.isArray(value) || !(value.type & ARRAY_FLAG)) return undefined;
  return value.items;
}

function isNullValue(value: BxValue | BxNode[] | undefined): boolean {
  return value !== undefined && !Array.isArray(value) && value.type === NULL_TYPE;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text of one part as the grid and search see it: entities and character references resolved. */
export function partText(part: BxPart): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'value':
      return part.value.text;
    case 'entity':
      return ENTITIES[part.name] ?? `&${part.name};`;
    case 'charref':
      return String.fromCharCode(part.code);
  }
}

/** Concatenated text content of nodes, descending into child elements. */
export function flatText(nodes: BxNode[]): string {
  let s = '';
  for (const n of nodes) {
    if (n.kind === 'element') s += flatText(n.children);
    else if (n.kind === 'cdata') s += n.text;
    else if (n.kind !== 'pi') s += partText(n);
  }
  return s;
}

export function attributeText(attribute: BxAttribute): string {
  let s = '';
  for (const p of attribute.parts) s += partText(p);
  return s;
}
