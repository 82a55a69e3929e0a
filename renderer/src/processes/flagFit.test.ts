import { describe, expect, it } from 'vitest';
import { COUNT_BADGE_WIDTH, FLAG_GAP, fitFlagChips, MORE_BADGE_WIDTH } from './flagFit.ts';

// About the rendered widths of "⚑ office spawns shell", "⚑ encoded powershell" and "⚑ malfind",
// and of their short forms "⚑ office", "⚑ encoded" and "⚑ malfind".
const FULL = [112, 118, 60];
const SHORT = [50, 62, 60];
const ALL = 112 + 118 + 60 + 2 * FLAG_GAP;

describe('fitFlagChips', () => {
  it('shows every full chip when they fit', () => {
    expect(fitFlagChips(FULL, SHORT, ALL)).toEqual({ chipCount: 3, form: 'full' });
    expect(fitFlagChips(FULL, SHORT, 1000)).toEqual({ chipCount: 3, form: 'full' });
  });

  it('returns nothing to show without flags', () => {
    expect(fitFlagChips([], [], 500).chipCount).toBe(0);
  });

  it('keeps a badge for the full chips that do not fit', () => {
    // Two chips and the badge need 112 + 118 + 26 and two gaps.
    const two = 112 + 118 + MORE_BADGE_WIDTH + 2 * FLAG_GAP;
    expect(fitFlagChips(FULL, SHORT, ALL - 1)).toEqual({ chipCount: 2, form: 'full' });
    expect(fitFlagChips(FULL, SHORT, two)).toEqual({ chipCount: 2, form: 'full' });
    expect(fitFlagChips(FULL, SHORT, two - 1)).toEqual({ chipCount: 1, form: 'full' });
  });

  it('turns to short chips when no full chip fits', () => {
    const oneFull = 112 + MORE_BADGE_WIDTH + FLAG_GAP;
    expect(fitFlagChips(FULL, SHORT, oneFull - 1)).toEqual({ chipCount: 1, form: 'short' });
    expect(fitFlagChips(FULL, SHORT, 50 + MORE_BADGE_WIDTH + FLAG_GAP)).toEqual({ chipCount: 1, form: 'short' });
  });

  it('shows every short chip when they fit', () => {
    // A first chip with a long full label: "⚑ hidden from pslist" and "⚑ malfind".
    const full = [125, 60];
    const short = [55, 60];
    expect(fitFlagChips(full, short, 55 + 60 + FLAG_GAP)).toEqual({ chipCount: 2, form: 'short' });
    expect(fitFlagChips(full, short, 55 + 60 + FLAG_GAP - 1)).toEqual({ chipCount: 1, form: 'short' });
  });

  it('falls back to the count badge', () => {
    const oneShort = 50 + MORE_BADGE_WIDTH + FLAG_GAP;
    expect(fitFlagChips(FULL, SHORT, oneShort - 1).chipCount).toBe(0);
    expect(fitFlagChips(FULL, SHORT, COUNT_BADGE_WIDTH).chipCount).toBe(0);
  });

  it('fits a single flag without a badge', () => {
    expect(fitFlagChips([120], [55], 120)).toEqual({ chipCount: 1, form: 'full' });
    expect(fitFlagChips([120], [55], 119)).toEqual({ chipCount: 1, form: 'short' });
    expect(fitFlagChips([120], [55], 54).chipCount).toBe(0);
  });

  it('tolerates sub-pixel widths', () => {
    expect(fitFlagChips([60.3, 60.3], [40, 40], 124.4)).toEqual({ chipCount: 2, form: 'full' });
    expect(fitFlagChips([60.3, 60.3], [40, 40], 123.5)).toEqual({ chipCount: 1, form: 'full' });
  });
});
