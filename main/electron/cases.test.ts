import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api.ts';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { CaseSession } from './case-session.ts';
import {
  CaseArgumentError,
  caseFromArgv,
  checkEvidenceOutsideCase,
  defaultCasePath,
  readSettings,
  sameFile,
  startupCandidates,
  withCaseSuffix,
  writeSettings,
} from './cases.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'casebook-cases-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('caseFromArgv', () => {
  it('reads --case FILE relative to the working folder', () => {
    expect(caseFromArgv(['/usr/lib/casebook/casebook', '--case', 'cases/a.duckdb'], '/home/ana')).toBe('/home/ana/cases/a.duckdb');
  });

  it('reads --case=FILE', () => {
    expect(caseFromArgv(['electron', '.', '--case=/srv/b.duckdb'], '/x')).toBe('/srv/b.duckdb');
  });

  it('returns null without the option', () => {
    expect(caseFromArgv(['electron', '.', '--inspect'], '/x')).toBeNull();
  });

  it('rejects --case without a value', () => {
    expect(() => caseFromArgv(['electron', '--case'], '/x')).toThrow(CaseArgumentError);
    expect(() => caseFromArgv(['electron', '--case', '--inspect'], '/x')).toThrow('--case needs a case file path after it');
    expect(() => caseFromArgv(['electron', '--case='], '/x')).toThrow('--case= needs a case file path');
  });
});

describe('startupCandidates', () => {
  it('uses only the --case argument when given', () => {
    expect(startupCandidates('/a.duckdb', '/b.duckdb', '/docs')).toEqual([{ path: '/a.duckdb', origin: 'argument' }]);
  });

  it('tries the last-used case before the default', async () => {
    const last = path.join(dir, 'last.casebook.duckdb');
    await writeFile(last, '');
    expect(startupCandidates(null, last, '/docs')).toEqual([
      { path: last, origin: 'last-used' },
      { path: '/docs/Casebook/Untitled.casebook.duckdb', origin: 'default' },
    ]);
  });

  it('skips a last-used case that was deleted', () => {
    expect(startupCandidates(null, path.join(dir, 'gone.duckdb'), '/docs')).toEqual([
      { path: '/docs/Casebook/Untitled.casebook.duckdb', origin: 'default' },
    ]);
  });

  it('lists the default case once', async () => {
    const docs = path.join(dir, 'docs');
    await mkdir(path.join(docs, 'Casebook'), { recursive: true });
    await writeFile(defaultCasePath(docs), '');
    expect(startupCandidates(null, defaultCasePath(docs), docs)).toEqual([{ path: defaultCasePath(docs), origin: 'default' }]);
  });
});

describe('withCaseSuffix', () => {
  it('appends the case suffix to a bare name', () => {
    expect(withCaseSuffix('/cases/intrusion')).toBe('/cases/intrusion.casebook.duckdb');
  });

  it('keeps a .duckdb name', () => {
    expect(withCaseSuffix('/cases/intrusion.DuckDB')).toBe('/cases/intrusion.DuckDB');
  });
});

describe('sameFile', () => {
  it('follows a symbolic link', async () => {
    const target = path.join(dir, 'real.duckdb');
    await writeFile(target, '');
    const link = path.join(dir, 'link.duckdb');
    await symlink(target, link);
    expect(await sameFile(link, target)).toBe(true);
  });

  it('compares missing files by resolved path', async () => {
    expect(await sameFile(path.join(dir, 'x', '..', 'new.duckdb'), path.join(dir, 'new.duckdb'))).toBe(true);
    expect(await sameFile(path.join(dir, 'one.duckdb'), path.join(dir, 'two.duckdb'))).toBe(false);
  });
});

describe('checkEvidenceOutsideCase', () => {
  it('rejects the case file itself', () => {
    expect(() => checkEvidenceOutsideCase('/cases/a.duckdb', ['/cases/a.duckdb'])).toThrow(ApiError);
  });

  it('rejects a folder that contains the case', () => {
    expect(() => checkEvidenceOutsideCase('/cases/a.duckdb', ['/evidence', '/cases'])).toThrow(
      'evidence path /cases contains the open case file /cases/a.duckdb',
    );
  });

  it('accepts a sibling folder with the same prefix', () => {
    expect(() => checkEvidenceOutsideCase('/cases/a.duckdb', ['/case', '/cases-old'])).not.toThrow();
  });
});

describe('settings file', () => {
  it('round-trips the last case', async () => {
    const file = path.join(dir, 'config', 'settings.json');
    await writeSettings(file, { lastCase: '/cases/a.duckdb' });
    expect(await readSettings(file)).toEqual({ lastCase: '/cases/a.duckdb' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ lastCase: '/cases/a.duckdb' });
  });

  it('reads a missing file as defaults', async () => {
    expect(await readSettings(path.join(dir, 'none.json'))).toEqual({ lastCase: null });
  });

  it('reads a damaged file as defaults', async () => {
    const file = path.join(dir, 'damaged.json');
    await writeFile(file, '{"lastCase": ');
    expect(await readSettings(file)).toEqual({ lastCase: null });
  });

  it('ignores a lastCase that is not a string', async () => {
    const file = path.join(dir, 'odd.json');
    await writeFile(file, '{"lastCase": 42}');
    expect(await readSettings(file)).toEqual({ lastCase: null });
  });
});

describe('CaseSession on real case files', () => {
  it('switches cases and keeps one backend per file', async () => {
    const folder = path.join(dir, 'session');
    await mkdir(folder);
    const first = path.join(folder, 'first.casebook.duckdb');
    const second = path.join(folder, 'second.casebook.duckdb');
    const opened: string[] = [];
    const session = new CaseSession((casePath) => {
      opened.push(casePath);
      return createBackend({ casePath });
    });
    try {
      expect(await session.switchTo(first)).toBe(true);
      expect((await (await session.api()).caseInfo()).path).toBe(first);

      // The same file again, also through a symbolic link, must not open a second instance.
      await symlink(first, path.join(folder, 'alias.duckdb'));
      expect(await session.switchTo(first)).toBe(false);
      expect(await session.switchTo(path.join(folder, 'alias.duckdb'))).toBe(false);

      expect(await session.switchTo(second)).toBe(true);
      expect(session.casePath).toBe(second);
      expect((await (await session.api()).caseInfo()).path).toBe(second);

      // A case that cannot be opened leaves the current one open.
      await expect(session.switchTo(path.join(folder, 'no-such-folder', 'x.duckdb'))).rejects.toThrow();
      expect(session.casePath).toBe(second);
      expect((await (await session.api()).caseInfo()).path).toBe(second);

      // The first case was closed, so it opens again in this process without conflict.
      expect(await session.switchTo(first)).toBe(true);
      expect((await (await session.api()).listEvidence()).length).toBe(0);
      expect(opened).toEqual([first, second, path.join(folder, 'no-such-folder', 'x.duckdb'), first]);
    } finally {
      await session.close();
    }
    await expect(session.api()).rejects.toMatchObject({ code: 'conflict' });
    await expect(session.switchTo(second)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('CaseSession ordering', () => {
  /** Backends that record how many are open at once. */
  function countingFactory() {
    const state = { open: 0, maxOpen: 0, closed: [] as string[] };
    const factory = async (casePath: string): Promise<CasebookBackend> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      state.open++;
      state.maxOpen = Math.max(state.maxOpen, state.open);
      return {
        close: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          state.open--;
          state.closed.push(path.basename(casePath, '.duckdb'));
        },
      } as CasebookBackend;
    };
    return { state, factory };
  }

  it('runs switches one after another', async () => {
    const { state, factory } = countingFactory();
    const session = new CaseSession(factory);
    const results = await Promise.all(['a', 'b', 'c', 'c'].map((name) => session.switchTo(path.join(dir, `${name}.duckdb`))));
    expect(results).toEqual([true, true, true, false]);
    expect(session.casePath).toBe(path.join(dir, 'c.duckdb'));
    // At most the new and the previous backend are open during a switch.
    expect(state.maxOpen).toBe(2);
    expect(state.closed).toEqual(['a', 'b']);
    await session.close();
    expect(state.closed).toEqual(['a', 'b', 'c']);
    expect(state.open).toBe(0);
  });

  it('makes api() wait for a switch in progress', async () => {
    const { factory } = countingFactory();
    const session = new CaseSession(factory);
    const switching = session.switchTo(path.join(dir, 'waited.duckdb'));
    const api = await session.api();
    expect(api).toBeDefined();
    expect(session.casePath).toBe(path.join(dir, 'waited.duckdb'));
    await switching;
    await session.close();
  });

  it('reports no open case before the first switch', async () => {
    const session = new CaseSession(countingFactory().factory);
    await expect(session.api()).rejects.toThrow('no case is open: use File > Open case or File > New case');
  });
});
