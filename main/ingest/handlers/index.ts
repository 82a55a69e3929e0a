import type { EvidenceHandler } from '../handler.ts';
import { evtxHandler } from './evtx.ts';
import { volatilityHandler } from './volatility.ts';
import { winExportHandler } from './winexport.ts';
import { zeekHandler } from './zeek.ts';

/**
 * Every evidence handler, asked in order; the first whose detect() accepts a file
 * imports it. Binary EVTX is recognised by its signature, so it goes first; Zeek
 * before the Windows exports because both read JSON lines.
 */
export const HANDLERS: readonly EvidenceHandler[] = [evtxHandler, zeekHandler, volatilityHandler, winExportHandler];
