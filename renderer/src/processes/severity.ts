// Ordering and glyphs of flag severities, shared by the tree rows and the details pane.

import type { FlagSeverity, ProcessFlag } from '../../../shared/processes.ts';

const SEVERITY_RANK: Record<FlagSeverity, number> = { high: 0, medium: 1, low: 2 };

/** Returns 0 for high, 1 for medium and 2 for low, so a smaller rank is more severe. */
export function severityRank(severity: FlagSeverity): number {
  return SEVERITY_RANK[severity];
}

/** Returns the highest severity among the flags, or null without flags. */
export function topSeverity(flags: readonly ProcessFlag[]): FlagSeverity | null {
  let top: FlagSeverity | null = null;
  for (const flag of flags) {
    if (top === null || SEVERITY_RANK[flag.severity] < SEVERITY_RANK[top]) top = flag.severity;
  }
  return top;
}

/** Returns the flags sorted with the most severe first. Flags of one severity keep their order. */
export function bySeverity(flags: readonly ProcessFlag[]): ProcessFlag[] {
  return [...flags].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** Returns a filled flag glyph for high and medium and an outlined one for low, so low flags read as weaker at a glance. */
export function severityGlyph(severity: FlagSeverity): string {
  return severity === 'low' ? '⚐' : '⚑';
}
