// Opens a case file for a CLI command and restates the usual failures as usage errors
// (exit code 2): a case file that another process has open, a --case path that is not a
// DuckDB database, and a folder. DuckDB reports these as IO errors in its own words.

import { stat } from 'node:fs/promises';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { CaseStore } from '../case/store.ts';
import { UsageError } from './usage.ts';

/**
 * DuckDB's lock failure, for example `IO Error: Could not set lock on file "/c.duckdb":
 * Conflicting lock is held in /usr/bin/node (PID 8705)` (DuckDB 1.5, on Linux). A
 * DuckDB file has one writer process at a time.
 */
const LOCK_HELD = /Could not set lock on file[\s\S]*?\(PID (\d+)\)/;

/** DuckDB's message for a file that exists but has no DuckDB header, empty files included. */
const NOT_DUCKDB = /is not a valid DuckDB database file/;

async function isFolder(casePath: string): Promise<boolean> {
  try {
    return (await stat(casePath)).isDirectory();
  } catch {
    return false;
  }
}

/** Returns a usage error that explains why `casePath` could not be opened, or the error itself when it is not one of the known causes. */
export async function explainCaseOpenError(casePath: string, error: unknown): Promise<unknown> {
  const message = error instanceof Error ? error.message : String(error);
  const quotedPath = JSON.stringify(casePath);
  const lock = LOCK_HELD.exec(message);
  if (lock) {
    return new UsageError(
      `case file ${quotedPath} is open in another process (PID ${lock[1]}), usually a running "casebook serve" or "casebook demo" or the Casebook desktop app: stop it or use another case file`,
    );
  }
  if (NOT_DUCKDB.test(message)) {
    return new UsageError(
      `${quotedPath} is not a DuckDB database: --case needs a Casebook case file, or a new path to create one with "casebook import"`,
    );
  }
  if (await isFolder(casePath)) return new UsageError(`${quotedPath} is a folder: --case needs a Casebook case file`);
  return error;
}

async function explained<T>(casePath: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw await explainCaseOpenError(casePath, error);
  }
}

/** Opens the case store of a read command (info, timeline, processes). */
export function openCaseStore(casePath: string): Promise<CaseStore> {
  return explained(casePath, () => CaseStore.open(casePath));
}

/** Opens the backend of a command that imports or serves (import, serve, demo). */
export function openCaseBackend(casePath: string): Promise<CasebookBackend> {
  return explained(casePath, () => createBackend({ casePath }));
}
