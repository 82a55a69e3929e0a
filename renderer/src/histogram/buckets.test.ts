import { describe, expect, it } from 'vitest';
import type { TimelineHistogram } from '../../../shared/api.ts';
import { brushedRange, bucketStart, describeWidth, labelIndexes } from './buckets.ts';

const minutes: TimelineHistogram = { from: '2024-03-01T10:00:00.000000Z', bucketSeconds: 60, counts: [2, 1, 0, 0, 0, 1], outside: 0 };

describe('histogram buckets', () => {
  it('computes bucket starts from the first bucket', () => {
    expect(bucketStart(minutes, 0)).toBe('2024-03-01T10:00:00Z');
    expect(bucketStart(minutes, 5)).toBe('2024-03-01T10:05:00Z');
  });

  it('turns a brushed span into an exclusive range', () => {
    expect(brushedRange(minutes, 1, 3)).toEqual({ from: '2024-03-01T10:01:00Z', to: '2024-03-01T10:04:00Z' });
    expect(brushedRange(minutes, 3, 1)).toEqual({ from: '2024-03-01T10:01:00Z', to: '2024-03-01T10:04:00Z' });
  });

  it('clamps a brush that runs past either end', () => {
    expect(brushedRange(minutes, -4, 99)).toEqual({ from: '2024-03-01T10:00:00Z', to: '2024-03-01T10:06:00Z' });
  });

  it('spaces labels evenly', () => {
    expect(labelIndexes(6, 3)).toEqual([0, 2, 4]);
    expect(labelIndexes(120, 6)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(labelIndexes(0, 6)).toEqual([]);
  });

  it('describes widths in the largest whole unit', () => {
    expect(describeWidth(1)).toBe('1 s');
    expect(describeWidth(900)).toBe('15 min');
    expect(describeWidth(21_600)).toBe('6 h');
    expect(describeWidth(604_800)).toBe('7 d');
  });
});
