// Locations of the public evidence corpus and the field failure cases that some tests
// read in place. Both are optional: tests that need them skip with a message.

import { existsSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** Root of the public evidence corpus; set CASEBOOK_CORPUS to point elsewhere. */
export const corpusRoot = path.resolve(repoRoot, process.env.CASEBOOK_CORPUS ?? '../shared/corpus');

/** Folder of small field failure cases; set CASEBOOK_FIELD_CASES to point elsewhere. */
export const fieldCasesRoot = path.resolve(repoRoot, process.env.CASEBOOK_FIELD_CASES ?? '../shared/bugs');

export const hasCorpus = existsSync(path.join(corpusRoot, 'ground-truth.json'));
export const hasFieldCases = existsSync(fieldCasesRoot);

export const corpusSkipReason = `evidence corpus not found at ${corpusRoot}: set CASEBOOK_CORPUS to run these tests`;
export const fieldCasesSkipReason = `field cases not found at ${fieldCasesRoot}: set CASEBOOK_FIELD_CASES to run these tests`;

export function corpusFile(relative: string): string {
  return path.join(corpusRoot, relative);
}

export function fieldCase(name: string): string {
  return path.join(fieldCasesRoot, name);
}

if (!hasCorpus) console.warn(`[skip] ${corpusSkipReason}`);
