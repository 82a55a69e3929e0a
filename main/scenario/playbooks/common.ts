// Pieces the attack playbooks share: PowerShell's -EncodedCommand form, certificates,
// memory regions for malfind, and reading playbook parameters from the definition.

import type { ScenarioDefinition } from '../definition.ts';
import type { Injection, Proc } from '../model.ts';
import type { Certificate, World } from '../world.ts';

/** PowerShell's -EncodedCommand argument: Base64 of the UTF-16LE script text. */
export function encodedCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function selfSignedCertificate(world: World, name: string): Certificate {
  const subject = `CN=${name}`;
  return {
    fingerprint: world.random.hex(64),
    serial: world.random.hex(16).toUpperCase(),
    subject,
    issuer: subject,
    notBefore: world.start - 3 * 86_400_000_000,
    notAfter: world.start + 362 * 86_400_000_000,
    san: [],
    selfSigned: true,
  };
}

/**
 * The first 64 bytes of a position-independent stub that walks the PEB to find loaded
 * modules, with its disassembly as capstone prints it (hand-decoded, x86-64).
 */
const STUB_BYTES = [
  0xfc, 0x48, 0x83, 0xe4, 0xf0, 0xe8, 0xc8, 0x00, 0x00, 0x00, 0x41, 0x51, 0x41, 0x50, 0x52, 0x51, 0x56, 0x48, 0x31, 0xd2, 0x65, 0x48, 0x8b,
  0x52, 0x60, 0x48, 0x8b, 0x52, 0x18, 0x48, 0x8b, 0x52, 0x20, 0x48, 0x8b, 0x72, 0x50, 0x48, 0x0f, 0xb7, 0x4a, 0x4a, 0x4d, 0x31, 0xc9, 0x48,
  0x31, 0xc0, 0xac, 0x3c, 0x61, 0x7c, 0x02, 0x2c, 0x20, 0x41, 0xc1, 0xc9, 0x0d, 0x41, 0x01, 0xc1, 0xe2, 0xed,
];

/** Instructions at offsets from the region start; branch targets are absolute, as capstone prints them. */
function stubInstructions(base: number): [number, string, string][] {
  const hex = (offset: number) => `0x${(base + offset).toString(16)}`;
  return [
    [0, 'cld', ''],
    [1, 'and', 'rsp, 0xfffffffffffffff0'],
    [5, 'call', hex(0xd2)],
    [10, 'push', 'r9'],
    [12, 'push', 'r8'],
    [14, 'push', 'rdx'],
    [15, 'push', 'rcx'],
    [16, 'push', 'rsi'],
    [17, 'xor', 'rdx, rdx'],
    [20, 'mov', 'rdx, qword ptr gs:[rdx + 0x60]'],
    [25, 'mov', 'rdx, qword ptr [rdx + 0x18]'],
    [29, 'mov', 'rdx, qword ptr [rdx + 0x20]'],
    [33, 'mov', 'rsi, qword ptr [rdx + 0x50]'],
    [37, 'movzx', 'rcx, word ptr [rdx + 0x4a]'],
    [42, 'xor', 'r9, r9'],
    [45, 'xor', 'rax, rax'],
    [48, 'lodsb', 'al, byte ptr [rsi]'],
    [49, 'cmp', 'al, 0x61'],
    [51, 'jl', hex(55)],
    [53, 'sub', 'al, 0x20'],
    [55, 'ror', 'r9d, 0xd'],
    [59, 'add', 'r9d, eax'],
    [62, 'loop', hex(45)],
  ];
}

/** Shellcode written into private RWX memory of `proc`. */
export function injectedStub(world: World, proc: Proc, step: string): Injection {
  const start = world.random.int(0x100, 0x7fff) * 0x10000;
  return { proc, start, bytes: Uint8Array.from(STUB_BYTES), instructions: stubInstructions(start), step };
}

/** A benign RWX region, such as a JIT compiler or an anti-virus engine leaves: zero-filled so far. */
export function benignRegion(world: World, proc: Proc): Injection {
  const start = world.random.int(0x1000, 0x7fff) * 0x10000;
  const instructions: [number, string, string][] = [];
  for (let offset = 0; offset < 64; offset += 2) instructions.push([offset, 'add', 'byte ptr [rax], al']);
  return { proc, start, bytes: new Uint8Array(64), instructions };
}

export class Parameters {
  constructor(
    private readonly def: ScenarioDefinition,
    private readonly values: Record<string, unknown>,
  ) {}

  private fail(name: string, expected: string): never {
    throw new Error(`scenario ${this.def.name}: attack.${name} must be ${expected}`);
  }

  string(name: string): string {
    const value = this.values[name];
    if (typeof value !== 'string' || value === '') this.fail(name, 'a non-empty string');
    return value;
  }

  number(name: string, min: number, max: number): number {
    const value = this.values[name];
    if (typeof value !== 'number' || !(value >= min && value <= max)) this.fail(name, `a number from ${min} to ${max}`);
    return value;
  }

  strings(name: string): string[] {
    const value = this.values[name];
    if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string'))
      this.fail(name, 'a list of strings');
    return value as string[];
  }

  host(name: string): string {
    const value = this.string(name);
    if (!this.def.hosts.some((host) => host.name === value))
      this.fail(name, `one of the hosts (${this.def.hosts.map((host) => host.name).join(', ')})`);
    return value;
  }

  user(name: string): string {
    const value = this.string(name);
    if (!this.def.users.some((user) => user.name === value))
      this.fail(name, `one of the users (${this.def.users.map((user) => user.name).join(', ')})`);
    return value;
  }
}
