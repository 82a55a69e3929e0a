// Starts `casebook serve` as a child process and reads the URL it prints.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningServe {
  /** The printed URL, token included. */
  url: string;
  origin: string;
  token: string;
  pid: number;
  /** Everything the server wrote to stderr so far (its log). */
  stderr(): string;
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Runs `node bin/casebook.mjs serve --case <casePath> --port 0` and resolves once it prints its URL. */
export async function startServe(casePath: string): Promise<RunningServe> {
  if (!existsSync(path.join(REPO_ROOT, 'out/web/index.html'))) {
    throw new Error('out/web/index.html not found: run "npm run build:web" before the end-to-end tests');
  }
  const child = spawn(process.execPath, ['bin/casebook.mjs', 'serve', '--case', casePath, '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`casebook serve printed no URL within ${START_TIMEOUT_MS} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const found = URL_PATTERN.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`casebook serve exited (code ${code}, signal ${signal}) before printing its URL; stderr: ${stderr}`));
    });
  });

  const pid = child.pid!;
  return {
    url: match[0],
    origin: `http://127.0.0.1:${match[1]}`,
    token: match[2]!,
    pid,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      if (await waitForExit(child, STOP_TIMEOUT_MS)) return;
      process.kill(pid, 'SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
    },
  };
}
