// Choice of the case file the desktop app opens, and the small settings file that
// stores the last one. Plain Node (no Electron), so the rules are unit-tested.

import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api.ts';

/** File name suffix of a case; the part after the last dot is what the open dialog filters on. */
export const CASE_SUFFIX = '.casebook.duckdb';

/** Folder (under the user's documents folder) and file name of the case opened when there is no other. */
export const DEFAULT_CASE_FOLDER = 'Casebook';
export const DEFAULT_CASE_NAME = `Untitled${CASE_SUFFIX}`;

export class CaseArgumentError extends Error {}

/**
 * Read `--case FILE` or `--case=FILE` from a command line, resolved against `cwd`.
 * Returns null when the option is absent; throws CaseArgumentError when it has no value.
 */
export function caseFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--case=')) {
      const value = arg.slice('--case='.length);
      if (value === '') throw new CaseArgumentError('--case= needs a case file path');
      return path.resolve(cwd, value);
    }
    if (arg === '--case') {
      const value = argv[i + 1];
      if (value === undefined || value === '' || value.startsWith('--'))
        throw new CaseArgumentError('--case needs a case file path after it');
      return path.resolve(cwd, value);
    }
  }
  return null;
}

export function defaultCasePath(documentsDir: string): string {
  return path.join(documentsDir, DEFAULT_CASE_FOLDER, DEFAULT_CASE_NAME);
}

export interface CaseChoice {
  path: string;
  /** Origin of the choice. A failure is fatal at start-up only for the last candidate. */
  origin: 'argument' | 'last-used' | 'default';
}

/**
 * List the cases to try at start-up, in order. A `--case` argument is the only
 * candidate when given. Otherwise the last-used case comes first if its file still
 * exists, then the default case.
 */
export function startupCandidates(argCase: string | null, lastCase: string | null, documentsDir: string): CaseChoice[] {
  if (argCase !== null) return [{ path: argCase, origin: 'argument' }];
  const fallback: CaseChoice = { path: defaultCasePath(documentsDir), origin: 'default' };
  if (lastCase !== null && existsSync(lastCase) && path.resolve(lastCase) !== fallback.path) {
    return [{ path: lastCase, origin: 'last-used' }, fallback];
  }
  return [fallback];
}

/** Append the case suffix to a name from the save dialog unless it already ends in `.duckdb`. */
export function withCaseSuffix(filePath: string): string {
  return filePath.toLowerCase().endsWith('.duckdb') ? filePath : `${filePath}${CASE_SUFFIX}`;
}

/** True when both paths name the same file, following symbolic links where the file exists. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const canonical = async (value: string) => {
    try {
      return await realpath(value);
    } catch {
      return path.resolve(value);
    }
  };
  return (await canonical(a)) === (await canonical(b));
}

/**
 * Reject evidence paths that are the case file or contain it: an import reads the
 * evidence while writing the case, and evidence is never written to.
 */
export function checkEvidenceOutsideCase(casePath: string, evidencePaths: readonly string[]): void {
  const target = path.resolve(casePath);
  for (const input of evidencePaths) {
    const source = path.resolve(input);
    if (target === source || target.startsWith(source + path.sep)) {
      throw new ApiError(
        'bad_request',
        `evidence path ${input} contains the open case file ${casePath}: move the case or pick other evidence`,
      );
    }
  }
}

export interface Settings {
  lastCase: string | null;
}

/** Read the settings file; a missing or unreadable file gives the defaults. */
export async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { lastCase: null };
  }
  try {
    const parsed = JSON.parse(text) as { lastCase?: unknown };
    return { lastCase: typeof parsed.lastCase === 'string' && parsed.lastCase !== '' ? parsed.lastCase : null };
  } catch {
    return { lastCase: null };
  }
}

/** Write the settings file through a temporary file, so a crash never leaves half a file. */
export async function writeSettings(file: string, settings: Settings): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`);
  await rename(temporary, file);
}
