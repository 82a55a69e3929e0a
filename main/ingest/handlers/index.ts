import type { EvidenceHandler } from '../handler.ts';
import { zeekHandler } from './zeek.ts';

/** Every evidence handler, asked in order; the first whose detect() accepts a file imports it. */
export const HANDLERS: readonly EvidenceHandler[] = [zeekHandler];
