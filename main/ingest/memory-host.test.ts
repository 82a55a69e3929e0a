import { describe, expect, it } from 'vitest';
import { memoryHostFromPath } from './memory-host.ts';

describe('memory host from the evidence path', () => {
  it('takes the nearest folder that names a machine', () => {
    expect(memoryHostFromPath('bundle/hosts/DC01/memory/windows.pslist.PsList.txt')).toBe('DC01');
    expect(memoryHostFromPath('case.zip/WS01.corp.example.com/vol3/psscan.csv')).toBe('WS01.corp.example.com');
    expect(memoryHostFromPath('triage/ws-finance-07/pslist.txt')).toBe('ws-finance-07');
  });

  it('returns null when only generic folders or archives remain', () => {
    expect(memoryHostFromPath('pslist.txt')).toBeNull();
    expect(memoryHostFromPath('volatility/memory/pslist.txt')).toBeNull();
    expect(memoryHostFromPath('outputs.zip/pslist.txt')).toBeNull();
  });

  it('stops at a folder that cannot be a host name', () => {
    expect(memoryHostFromPath('Case 2024 (copy)/memory/pslist.txt')).toBeNull();
    expect(memoryHostFromPath('DC01/2024/memory/pslist.txt')).toBeNull();
  });
});
