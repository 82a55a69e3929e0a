import { describe, expect, it } from 'vitest';
import type { ProcessFlag } from '../../../shared/processes.ts';
import { bySeverity, severityGlyph, topSeverity } from './severity.ts';

const flag = (code: string, severity: ProcessFlag['severity']): ProcessFlag => ({ code, severity, explanation: code });

describe('topSeverity', () => {
  it('returns null without flags', () => {
    expect(topSeverity([])).toBeNull();
  });

  it('returns the highest severity', () => {
    expect(topSeverity([flag('a', 'low'), flag('b', 'medium')])).toBe('medium');
    expect(topSeverity([flag('a', 'low'), flag('b', 'high'), flag('c', 'medium')])).toBe('high');
    expect(topSeverity([flag('a', 'low')])).toBe('low');
  });
});

describe('bySeverity', () => {
  it('puts the most severe first and keeps order within a severity', () => {
    const flags = [flag('a', 'low'), flag('b', 'high'), flag('c', 'medium'), flag('d', 'high')];
    expect(bySeverity(flags).map((entry) => entry.code)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('leaves its input unchanged', () => {
    const flags = [flag('a', 'low'), flag('b', 'high')];
    bySeverity(flags);
    expect(flags.map((entry) => entry.code)).toEqual(['a', 'b']);
  });
});

describe('severityGlyph', () => {
  it('outlines only low flags', () => {
    expect(severityGlyph('high')).toBe('⚑');
    expect(severityGlyph('medium')).toBe('⚑');
    expect(severityGlyph('low')).toBe('⚐');
  });
});
