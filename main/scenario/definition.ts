// Scenario definitions: the environment (domain, hosts, users, web sites) and the attack
// parameters of one playbook. Definitions live as JSON in resources/scenarios/ and are
// checked here before a run, so a bad file fails with the field and the fix.

export type HostRole = 'workstation' | 'server' | 'dc';
export type MemoryRenderer = 'text' | 'csv' | 'json';

export interface HostDefinition {
  name: string;
  ip: string;
  role: HostRole;
  /** The user logged on at the console of a workstation. */
  user?: string;
  /** Renderer of the host's Volatility 3 outputs. */
  memory: MemoryRenderer;
}

export interface UserDefinition {
  name: string;
  /** Relative id under the domain SID. */
  rid: number;
  admin?: boolean;
}

export interface SiteDefinition {
  name: string;
  ip: string;
  tls: boolean;
  /** Relative share of the browsing that goes to this site (default 1). */
  weight?: number;
}

export interface ScenarioDefinition {
  name: string;
  title: string;
  summary: string;
  /** The attack script the generator runs; its parameters are in `attack`. */
  playbook: string;
  /** Start of the logged period, ISO 8601 UTC. */
  start: string;
  hours: number;
  defaultScale: number;
  domain: { netbios: string; dnsName: string; sid: string };
  hosts: HostDefinition[];
  users: UserDefinition[];
  sites: SiteDefinition[];
  updateServer: SiteDefinition;
  attack: Record<string, unknown>;
}

function fail(name: string, message: string): never {
  throw new Error(`scenario ${name}: ${message}`);
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  if (!m) return false;
  return m.slice(1).every((part) => Number(part) <= 255);
}

/** Private addresses (RFC 1918) count as the inside of the network. */
export function isInternal(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Checks a parsed definition and returns it typed; throws naming the field at fault. */
export function checkDefinition(value: unknown): ScenarioDefinition {
  const d = value as ScenarioDefinition;
  const name = typeof d?.name === 'string' ? d.name : '(unnamed)';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) fail(name, 'name must be lower-case letters, digits and dashes');
  for (const field of ['title', 'summary', 'playbook', 'start'] as const) {
    if (typeof d[field] !== 'string' || d[field] === '') fail(name, `${field} must be a non-empty string`);
  }
  if (Number.isNaN(Date.parse(d.start)) || !d.start.endsWith('Z')) fail(name, `start "${d.start}" must be ISO 8601 UTC ending in Z`);
  if (!(d.hours > 0 && d.hours <= 72)) fail(name, `hours must be between 0 and 72, got ${d.hours}`);
  if (!(Number.isSafeInteger(d.defaultScale) && d.defaultScale > 0)) fail(name, 'defaultScale must be a positive whole number');
  if (!/^S-1-5-21-\d+-\d+-\d+$/.test(d.domain?.sid ?? '')) fail(name, 'domain.sid must look like S-1-5-21-X-Y-Z');
  if (!/^[A-Z][A-Z0-9-]{0,14}$/.test(d.domain.netbios ?? ''))
    fail(name, 'domain.netbios must be 1-15 upper-case letters, digits or dashes');
  const users = new Set<string>();
  for (const user of d.users ?? []) {
    if (!/^[a-z][a-z0-9._-]*$/.test(user.name)) fail(name, `user name "${user.name}" must be lower case`);
    if (!(Number.isSafeInteger(user.rid) && user.rid >= 1000)) fail(name, `user ${user.name}: rid must be a whole number of at least 1000`);
    users.add(user.name);
  }
  if (users.size === 0) fail(name, 'users must list at least one user');
  const hosts = new Set<string>();
  for (const host of d.hosts ?? []) {
    if (!/^[A-Z][A-Z0-9-]{0,14}$/.test(host.name)) fail(name, `host name "${host.name}" must be 1-15 upper-case letters, digits or dashes`);
    if (hosts.has(host.name)) fail(name, `host ${host.name} is listed twice`);
    hosts.add(host.name);
    if (!isIpv4(host.ip) || !isInternal(host.ip)) fail(name, `host ${host.name}: ip "${host.ip}" must be a private IPv4 address`);
    if (!['workstation', 'server', 'dc'].includes(host.role)) fail(name, `host ${host.name}: role must be workstation, server or dc`);
    if (!['text', 'csv', 'json'].includes(host.memory)) fail(name, `host ${host.name}: memory must be text, csv or json`);
    if (host.user !== undefined && !users.has(host.user)) fail(name, `host ${host.name}: user ${host.user} is not in users`);
    if (host.role === 'workstation' && host.user === undefined) fail(name, `workstation ${host.name} needs a user`);
  }
  if (![...(d.hosts ?? [])].some((host) => host.role === 'dc')) fail(name, 'hosts must include one dc (it serves DNS)');
  const sites = [...(d.sites ?? []), d.updateServer];
  if ((d.sites ?? []).length === 0) fail(name, 'sites must list at least one web site');
  for (const site of sites) {
    if (!site || typeof site.name !== 'string' || !isIpv4(site.ip) || isInternal(site.ip)) {
      fail(name, `site ${JSON.stringify(site?.name)} needs a name and a public IPv4 address`);
    }
  }
  if (typeof d.attack !== 'object' || d.attack === null) fail(name, 'attack must be an object of playbook parameters');
  return d;
}
