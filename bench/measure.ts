// Helpers for benchmarks: run a command as a child process and record its wall time
// and peak resident set size (VmHWM from /proc, sampled until the process exits).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildRun {
  seconds: number;
  /** Peak RSS in MiB, or null where /proc is not available. */
  peakRssMiB: number | null;
  stdout: string;
  stderr: string;
  code: number | null;
}

function readPeakKiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Run a command to its end. With `discardStdout` its standard output goes to /dev/null
 * unread (for tools that print hundreds of megabytes) and `stdout` stays empty.
 */
export function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: { discardStdout?: boolean } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak: number | null = null;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const sampler = setInterval(() => {
      const value = child.pid === undefined ? null : readPeakKiB(child.pid);
      if (value !== null) peak = Math.max(peak ?? 0, value);
    }, 20);
    child.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ seconds: (performance.now() - started) / 1000, peakRssMiB: peak === null ? null : peak / 1024, stdout, stderr, code });
    });
  });
}

export function format(value: number, digits = 2): string {
  return value.toFixed(digits);
}
