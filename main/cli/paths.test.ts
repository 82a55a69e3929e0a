import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCaseOutsideEvidence } from './paths.ts';

describe('checkCaseOutsideEvidence', () => {
  it('rejects a case inside the evidence folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paths-'));
    expect(() => checkCaseOutsideEvidence(path.join(dir, 'case.duckdb'), [dir])).toThrow(/lies inside evidence input/);
  });

  it('rejects a case reached through a symbolic link', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paths-'));
    await mkdir(path.join(dir, 'evidence'));
    await symlink(path.join(dir, 'evidence'), path.join(dir, 'link'));
    expect(() => checkCaseOutsideEvidence(path.join(dir, 'link', 'new', 'case.duckdb'), [path.join(dir, 'evidence')])).toThrow(
      /lies inside evidence input/,
    );
  });

  it('accepts a case beside the evidence', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paths-'));
    await mkdir(path.join(dir, 'evidence'));
    expect(() => checkCaseOutsideEvidence(path.join(dir, 'case.duckdb'), [path.join(dir, 'evidence')])).not.toThrow();
  });
});
