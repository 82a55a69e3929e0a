import { realpathSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './usage.ts';

/** Check that every evidence path exists and is readable before anything is written. */
export async function checkReadable(paths: string[]): Promise<void> {
  for (const input of paths) {
    try {
      await access(input, constants.R_OK);
      await stat(input);
    } catch (error) {
      throw new UsageError(
        `cannot read evidence path ${JSON.stringify(input)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
}

/** Resolve symbolic links in a path whose last parts may not exist yet. */
function realPathOf(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPathOf(parent), path.basename(absolute));
  }
}

/** A case path must not be one of the evidence inputs or inside an input folder, symbolic links resolved. */
export function checkCaseOutsideEvidence(casePath: string, inputs: string[]): void {
  const target = realPathOf(casePath);
  for (const input of inputs) {
    const source = realPathOf(input);
    if (target === source || target.startsWith(source + path.sep)) {
      throw new UsageError(
        `case file ${casePath} lies inside evidence input ${input}: evidence is never written, choose another case path`,
      );
    }
  }
}

export async function checkCaseExists(casePath: string): Promise<void> {
  try {
    await stat(casePath);
  } catch {
    throw new UsageError(`case file ${JSON.stringify(casePath)} not found: create one with "casebook import <paths> --case ${casePath}"`);
  }
}
