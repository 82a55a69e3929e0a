// Maps a parsed Zeek record to a unified event. Common logs get their own category and
// columns; every other log becomes category `other` with a generic message. Field
// names are looked up in both scope-separator spellings (`id.orig_h` and `id_orig_h`).

import type { Category, TimeNote, UnifiedEvent } from '../../shared/events.ts';
import { formatIsoMicros, formatSecondsDecimal } from '../formats/zeek/time.ts';
import { containerElementType, type ZeekRecord, type ZeekScalar, type ZeekValue } from '../formats/zeek/types.ts';

/** Read access to one record's fields by name, in either scope-separator spelling. */
class Fields {
  constructor(readonly record: ZeekRecord) {}

  value(name: string): ZeekValue | undefined {
    const index = this.record.schema.index;
    let column = index.get(name);
    if (column === undefined && name.includes('.')) column = index.get(name.replaceAll('.', '_'));
    return column === undefined ? undefined : this.record.values[column];
  }

  text(name: string): string | null {
    const value = this.value(name);
    if (value === null || value === undefined || Array.isArray(value)) return null;
    return String(value);
  }

  number(name: string): number | null {
    const value = this.value(name);
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    return null;
  }

  bigint(name: string): bigint | null {
    const value = this.value(name);
    return typeof value === 'bigint' ? value : null;
  }

  bool(name: string): boolean | null {
    const value = this.value(name);
    return typeof value === 'boolean' ? value : null;
  }

  list(name: string): string[] {
    const value = this.value(name);
    if (value === null || value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.filter((item): item is Exclude<ZeekScalar, null> => item !== null).map(String);
  }
}

type Mapped = Partial<UnifiedEvent> & { category: Category; message: string };
type LogMapper = (fields: Fields) => Mapped;

/** Maps a Zeek record to a unified event; the ingest layer prefixes the evidence file to `locator`. */
export function normalizeZeek(record: ZeekRecord): UnifiedEvent {
  const fields = new Fields(record);
  const mapper = LOG_MAPPERS[record.path] ?? mapOther;
  const mapped = mapper(fields);
  const ts = fields.value('ts');
  const proto = fields.text('proto');
  const event: UnifiedEvent = {
    locator: `line ${record.line}`,
    source: 'zeek',
    log: record.path,
    ts_micros: typeof ts === 'bigint' ? ts : null,
    ts_note: timeNoteOf(record, typeof ts === 'bigint'),
    src_ip: fields.text('id.orig_h'),
    src_port: fields.number('id.orig_p'),
    dst_ip: fields.text('id.resp_h'),
    dst_port: fields.number('id.resp_p'),
    protocol: proto ?? APPLICATION_PROTOCOLS[record.path] ?? null,
    zeek_uid: fields.text('uid'),
    community_id: fields.text('community_id'),
    ...mapped,
    message: singleLine(mapped.message),
    data: zeekRecordJson(record),
  };
  return event;
}

/** Writes control characters (a decoded `\x0a` in a value, for example) as `\xHH`, so the message stays one line. */
function singleLine(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the pattern must find
  return message.replace(/[\u0000-\u001f\u007f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function timeNoteOf(record: ZeekRecord, hasTime: boolean): TimeNote | null {
  if (!hasTime) return record.schema.index.has('ts') ? 'invalid' : null;
  return record.timeNotes.find((note) => note.field === 'ts')?.note ?? null;
}

const APPLICATION_PROTOCOLS: Record<string, string> = {
  http: 'http',
  ssl: 'tls',
  dns: 'dns',
  ssh: 'ssh',
  rdp: 'rdp',
  kerberos: 'kerberos',
  ntlm: 'ntlm',
  smb_files: 'smb',
  smb_mapping: 'smb',
  dhcp: 'dhcp',
};

const LOG_MAPPERS: Record<string, LogMapper> = {
  conn: mapConn,
  dns: mapDns,
  http: mapHttp,
  ssl: mapSsl,
  files: mapFiles,
  x509: mapX509,
  notice: mapNotice,
  weird: mapWeird,
  dhcp: mapDhcp,
  smb_files: mapSmbFiles,
  smb_mapping: mapSmbMapping,
  ssh: mapSsh,
  rdp: mapRdp,
  kerberos: mapKerberos,
  ntlm: mapNtlm,
};

// ------------------------------------------------------------ formatting

/** Formats an address and port as `10.0.0.1:443`, with IPv6 addresses in brackets. */
function endpoint(address: string | null, port: number | null): string {
  const host = address === null ? '?' : address.includes(':') ? `[${address}]` : address;
  return port === null ? host : `${host}:${port}`;
}

function flow(fields: Fields): string {
  return `${endpoint(fields.text('id.orig_h'), fields.number('id.orig_p'))} → ${endpoint(fields.text('id.resp_h'), fields.number('id.resp_p'))}`;
}

/** Formats an interval in microseconds for people: `357 µs`, `12 ms`, `1.2 s`, `5 min 3 s`. */
export function formatDuration(micros: bigint): string {
  const value = Number(micros);
  if (value < 1_000) return `${value} µs`;
  if (value < 1_000_000) return `${Math.round(value / 1_000)} ms`;
  if (value < 60_000_000) return `${(value / 1_000_000).toFixed(1)} s`;
  const seconds = Math.round(value / 1_000_000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** Formats a byte count with decimal units, rounded: `517 B`, `5 kB`, `1.2 MB`. */
export function formatBytes(count: bigint | number): string {
  const value = Number(count);
  if (value < 1_000) return `${value} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let scaled = value / 1_000;
  let unit = 0;
  while (scaled >= 1_000 && unit < units.length - 1) {
    scaled /= 1_000;
    unit += 1;
  }
  return `${scaled < 10 && unit > 0 ? scaled.toFixed(1) : Math.round(scaled)} ${units[unit]}`;
}

function joinParts(parts: Array<string | null | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' ');
}

function outcomeOf(success: boolean | null): string | null {
  if (success === null) return null;
  return success ? 'success' : 'failure';
}

function dateOf(micros: bigint | null): string | null {
  if (micros === null) return null;
  const iso = formatIsoMicros(micros);
  return iso.slice(0, iso.indexOf('T'));
}

// ------------------------------------------------------------ per log

function mapConn(fields: Fields): Mapped {
  const duration = fields.bigint('duration');
  const origBytes = fields.value('orig_bytes');
  const respBytes = fields.value('resp_bytes');
  const bytes =
    typeof origBytes === 'bigint' && typeof respBytes === 'bigint' ? `${formatBytes(origBytes)}/${formatBytes(respBytes)}` : null;
  const message = joinParts([
    fields.text('proto'),
    flow(fields),
    fields.text('service'),
    duration === null ? null : formatDuration(duration),
    bytes,
    fields.text('conn_state'),
  ]);
  return { category: 'network', action: fields.text('conn_state'), message };
}

function mapDns(fields: Fields): Mapped {
  const query = fields.text('query');
  const answers = fields.list('answers');
  const qtype = fields.text('qtype_name') ?? fields.text('qtype');
  const rcode = fields.text('rcode_name') ?? fields.text('rcode');
  const answerText =
    answers.length === 0 ? null : `→ ${answers.slice(0, 5).join(', ')}${answers.length > 5 ? ` (+${answers.length - 5})` : ''}`;
  const message = joinParts(['DNS', query ?? '(no query)', qtype, rcode, answerText]);
  return {
    category: 'dns',
    action: qtype,
    outcome: rcode,
    dns_query: query,
    dns_answers: answers.length === 0 ? null : answers,
    message,
  };
}

function httpUrl(fields: Fields): string | null {
  const uri = fields.text('uri');
  if (uri !== null && /^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri;
  const host = fields.text('host') ?? fields.text('id.resp_h');
  if (host === null) return uri;
  const port = fields.number('id.resp_p');
  const hostPart = host.includes(':') && !host.startsWith('[') && host.split(':').length > 2 ? `[${host}]` : host;
  const withPort = port !== null && port !== 80 && !hostPart.includes(':') ? `${hostPart}:${port}` : hostPart;
  return `http://${withPort}${uri ?? ''}`;
}

function mapHttp(fields: Fields): Mapped {
  const url = httpUrl(fields);
  const method = fields.text('method');
  const status = fields.text('status_code');
  const message = joinParts([method ?? 'HTTP', url ?? '(no URL)', status === null ? null : `→ ${status}`, fields.text('status_msg')]);
  return {
    category: 'web',
    action: method,
    outcome: status,
    url,
    user_agent: fields.text('user_agent'),
    user_name: fields.text('username'),
    message,
  };
}

function mapSsl(fields: Fields): Mapped {
  const serverName = fields.text('server_name');
  const version = fields.text('version');
  const validation = fields.text('validation_status');
  const established = fields.bool('established');
  let state: string | null = null;
  if (established !== null) state = established ? 'established' : 'not established';
  const message = joinParts([
    version ?? 'TLS',
    flow(fields),
    serverName === null ? null : `SNI ${serverName}`,
    state,
    validation === null ? null : `validation: ${validation}`,
  ]);
  return {
    category: 'tls',
    action: version,
    outcome: validation,
    message,
  };
}

function mapFiles(fields: Fields): Mapped {
  const name = fields.text('filename');
  const mime = fields.text('mime_type');
  const hash = fields.text('sha256') ?? fields.text('sha1') ?? fields.text('md5');
  const size = fields.value('total_bytes') ?? fields.value('seen_bytes');
  const source = fields.list('tx_hosts')[0] ?? null;
  const destination = fields.list('rx_hosts')[0] ?? null;
  const message = joinParts([
    'file',
    name ?? fields.text('fuid'),
    mime,
    typeof size === 'bigint' ? formatBytes(size) : null,
    fields.text('source'),
    hash === null ? null : `hash ${hash}`,
  ]);
  const mapped: Mapped = { category: 'file', file_path: name, file_hash: hash, message };
  if (source !== null) mapped.src_ip = source;
  if (destination !== null) mapped.dst_ip = destination;
  return mapped;
}

function mapX509(fields: Fields): Mapped {
  const subject = fields.text('certificate.subject');
  const issuer = fields.text('certificate.issuer');
  const notBefore = dateOf(fields.bigint('certificate.not_valid_before'));
  const notAfter = dateOf(fields.bigint('certificate.not_valid_after'));
  const validity = notBefore === null && notAfter === null ? null : `valid ${notBefore ?? '?'} to ${notAfter ?? '?'}`;
  const message = joinParts(['certificate', subject ?? '(no subject)', issuer === null ? null : `issued by ${issuer}`, validity]);
  return { category: 'tls', file_hash: fields.text('fingerprint'), message };
}

function mapNotice(fields: Fields): Mapped {
  const note = fields.text('note');
  const message = joinParts([note === null ? 'notice' : `${note}:`, fields.text('msg'), fields.text('sub')]);
  const mapped: Mapped = { category: 'other', action: 'alert', event_code: note, message };
  const source = fields.text('src');
  const destination = fields.text('dst');
  if (source !== null && fields.text('id.orig_h') === null) mapped.src_ip = source;
  if (destination !== null && fields.text('id.resp_h') === null) mapped.dst_ip = destination;
  return mapped;
}

function mapWeird(fields: Fields): Mapped {
  const name = fields.text('name');
  const message = joinParts(['weird', name ?? '(unnamed)', fields.text('addl'), fields.text('id.orig_h') === null ? null : flow(fields)]);
  return { category: 'network', action: name, event_code: name, message };
}

function mapDhcp(fields: Fields): Mapped {
  const hostName = fields.text('host_name');
  const assigned = fields.text('assigned_addr');
  const mac = fields.text('mac');
  const types = fields.list('msg_types');
  const message = joinParts([
    'DHCP',
    types.length > 0 ? types.join('/') : null,
    hostName ?? fields.text('client_fqdn') ?? '(no host name)',
    assigned === null ? null : `assigned ${assigned}`,
    mac === null ? null : `MAC ${mac}`,
  ]);
  const mapped: Mapped = { category: 'network', host: hostName, action: types.at(-1) ?? null, message };
  const client = fields.text('client_addr');
  const server = fields.text('server_addr');
  if (client !== null && fields.text('id.orig_h') === null) mapped.src_ip = client;
  if (server !== null && fields.text('id.resp_h') === null) mapped.dst_ip = server;
  return mapped;
}

function mapSmbFiles(fields: Fields): Mapped {
  const share = fields.text('path');
  const name = fields.text('name');
  const filePath = share !== null && name !== null ? `${share.replace(/\\+$/, '')}\\${name}` : (name ?? share);
  const action = fields.text('action');
  const message = joinParts(['SMB', action, filePath ?? '(no path)', flow(fields)]);
  return { category: 'file', action, file_path: filePath, message };
}

function mapSmbMapping(fields: Fields): Mapped {
  const share = fields.text('path');
  const message = joinParts(['SMB map', share ?? '(no path)', fields.text('share_type'), fields.text('service'), flow(fields)]);
  return { category: 'file', action: 'map', file_path: share, message };
}

function mapSsh(fields: Fields): Mapped {
  const success = fields.bool('auth_success');
  const attempts = fields.number('auth_attempts');
  const message = joinParts([
    'SSH',
    flow(fields),
    fields.text('client'),
    `auth ${outcomeOf(success) ?? 'unknown'}`,
    attempts === null ? null : `after ${attempts} attempts`,
  ]);
  return { category: 'authentication', action: 'ssh-login', outcome: outcomeOf(success), message };
}

function mapRdp(fields: Fields): Mapped {
  const cookie = fields.text('cookie');
  const result = fields.text('result');
  const message = joinParts(['RDP', flow(fields), cookie === null ? null : `cookie ${cookie}`, result, fields.text('client_name')]);
  return { category: 'authentication', action: 'rdp-connect', outcome: result, user_name: cookie, message };
}

function mapKerberos(fields: Fields): Mapped {
  const client = fields.text('client');
  const service = fields.text('service');
  const success = fields.bool('success');
  const [user, realm] = client === null ? [null, null] : splitPrincipal(client);
  const message = joinParts([
    'Kerberos',
    fields.text('request_type'),
    client ?? '(no client)',
    service === null ? null : `for ${service}`,
    outcomeOf(success),
    fields.text('error_msg'),
  ]);
  return {
    category: 'authentication',
    action: fields.text('request_type'),
    outcome: outcomeOf(success),
    user_name: user,
    user_domain: realm,
    message,
  };
}

function splitPrincipal(principal: string): [string, string | null] {
  const at = principal.lastIndexOf('@');
  if (at > 0) return [principal.slice(0, at), principal.slice(at + 1)];
  const slash = principal.lastIndexOf('/');
  return slash > 0 ? [principal.slice(0, slash), principal.slice(slash + 1)] : [principal, null];
}

function mapNtlm(fields: Fields): Mapped {
  const user = fields.text('username');
  const domain = fields.text('domainname');
  const success = fields.bool('success');
  let account = user ?? '(no user)';
  if (user !== null && domain !== null) account = `${domain}\\${user}`;
  const message = joinParts([
    'NTLM',
    account,
    fields.text('hostname') === null ? null : `from ${fields.text('hostname')}`,
    fields.text('server_nb_computer_name') === null ? null : `to ${fields.text('server_nb_computer_name')}`,
    outcomeOf(success),
  ]);
  return {
    category: 'authentication',
    action: 'ntlm',
    outcome: outcomeOf(success),
    user_name: user,
    user_domain: domain,
    host: fields.text('hostname'),
    message,
  };
}

/** Fields the generic message leaves out because other columns already show them. */
const GENERIC_SKIP = /^(?:ts|uid|_path|_write_ts|@stream|@system|@proc|id[._](?:orig|resp)_[hp])$/;
const GENERIC_FIELD_LIMIT = 5;

function mapOther(fields: Fields): Mapped {
  const { schema, values } = fields.record;
  const parts: string[] = [];
  for (let column = 0; column < schema.names.length && parts.length < GENERIC_FIELD_LIMIT; column += 1) {
    const name = schema.names[column]!;
    const value = values[column];
    if (GENERIC_SKIP.test(name) || value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    parts.push(`${name}=${displayValue(value, schema.types[column]!)}`);
  }
  return { category: 'other', message: joinParts([fields.record.path, ...parts]) };
}

function displayValue(value: ZeekValue, type: string): string {
  const elementType = containerElementType(type) ?? type;
  const one = (item: ZeekScalar): string => {
    if (item === null) return '-';
    if (typeof item === 'bigint' && elementType === 'time') return formatIsoMicros(item);
    if (typeof item === 'bigint' && elementType === 'interval') return formatDuration(item);
    if (typeof item === 'boolean') return item ? 'T' : 'F';
    const text = String(item);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  return Array.isArray(value) ? value.map(one).join(',') : one(value);
}

// ------------------------------------------------------------ record JSON

/**
 * Writes a record as JSON text with field names as written. Counts and integers become
 * decimal strings, exact beyond 2^53. Times become ISO 8601 UTC text with six fraction
 * digits, and intervals exact decimal seconds, as Zeek's JSON writer writes them. A
 * name written twice gets a `#2` suffix on the second copy.
 */
export function zeekRecordJson(record: ZeekRecord): string {
  const { names, types } = record.schema;
  const used = new Set<string>();
  const members: string[] = [];
  for (let column = 0; column < names.length; column += 1) {
    let name = names[column]!;
    for (let copy = 2; used.has(name); copy += 1) name = `${names[column]}#${copy}`;
    used.add(name);
    members.push(`${JSON.stringify(name)}:${valueJson(record.values[column] ?? null, types[column]!)}`);
  }
  return `{${members.join(',')}}`;
}

function valueJson(value: ZeekValue, type: string): string {
  const elementType = containerElementType(type) ?? type;
  if (Array.isArray(value)) return `[${value.map((item) => scalarJson(item, elementType)).join(',')}]`;
  return scalarJson(value, elementType);
}

function scalarJson(value: ZeekScalar, type: string): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') {
    if (type === 'time') return JSON.stringify(formatIsoMicros(value));
    if (type === 'interval') return formatSecondsDecimal(value);
    return JSON.stringify(String(value));
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  return JSON.stringify(value);
}
