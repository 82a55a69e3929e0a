// How many flag chips fit beside a process name. The name column has a fixed width, so a
// deep or long-named process with several flags cannot show every chip in full. The first
// fallback is full chips and a "+N" badge for the rest. Next come short chips (the first
// word of the label), alone or with a "+N" badge, and last one count badge for all flags.

/** Widths in CSS pixels. FlagStrip sets the badges and gaps to exactly these. */
export const FLAG_GAP = 4;
export const MORE_BADGE_WIDTH = 26;
export const COUNT_BADGE_WIDTH = 30;

/** Rounding slack for the fractional widths that getBoundingClientRect returns. */
const EPSILON = 0.5;

export interface FlagFit {
  /** Number of chips shown, from the first. With 0, one count badge represents every flag. */
  chipCount: number;
  form: 'full' | 'short';
}

function rowWidth(widths: readonly number[], count: number, badge: number): number {
  let total = badge;
  let items = badge > 0 ? 1 : 0;
  for (let index = 0; index < count; index++) {
    total += widths[index]!;
    items += 1;
  }
  return total + Math.max(items - 1, 0) * FLAG_GAP;
}

/** Returns the maximum number of chips of `widths` that fit, with a "+N" badge when some are left out, or 0. */
function maxChipsThatFit(widths: readonly number[], available: number): number {
  const count = widths.length;
  if (rowWidth(widths, count, 0) <= available + EPSILON) return count;
  for (let chips = count - 1; chips > 0; chips--) {
    if (rowWidth(widths, chips, MORE_BADGE_WIDTH) <= available + EPSILON) return chips;
  }
  return 0;
}

/**
 * Picks the chips for `available` pixels from the widths of each flag's full and short
 * chip, both in display order. Full chips win whenever at least one fits.
 */
export function fitFlagChips(fullWidths: readonly number[], shortWidths: readonly number[], available: number): FlagFit {
  const full = maxChipsThatFit(fullWidths, available);
  if (full > 0) return { chipCount: full, form: 'full' };
  return { chipCount: fullWidths.length === 0 ? 0 : maxChipsThatFit(shortWidths, available), form: 'short' };
}
