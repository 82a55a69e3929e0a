import { describe, expect, it } from 'vitest';
import { activeConditions, histogramTotal, membershipQuery } from './membership.ts';

describe('membershipQuery', () => {
  it('narrows a query to the event', () => {
    expect(membershipQuery({ search: 'powershell', from: '2024-03-12T00:00:00Z' }, 42)).toEqual({
      search: 'powershell',
      from: '2024-03-12T00:00:00Z',
      eventIds: [42],
    });
  });

  it('narrows an empty query', () => {
    expect(membershipQuery({}, 7)).toEqual({ eventIds: [7] });
  });

  it('keeps an event the process filter lists', () => {
    expect(membershipQuery({ eventIds: [3, 7, 9], search: 'x' }, 7)).toEqual({ eventIds: [7], search: 'x' });
  });

  it('returns null for an event the process filter leaves out', () => {
    expect(membershipQuery({ eventIds: [3, 9] }, 7)).toBeNull();
    expect(membershipQuery({ eventIds: [] }, 7)).toBeNull();
  });
});

describe('histogramTotal', () => {
  it('adds the buckets and the events outside them', () => {
    expect(histogramTotal({ from: '2024-03-12T00:00:00.000000Z', bucketSeconds: 60, counts: [1, 0, 2], outside: 4 })).toBe(7);
  });

  it('counts an event without a time', () => {
    expect(histogramTotal({ from: null, bucketSeconds: 1, counts: [], outside: 1 })).toBe(1);
  });

  it('returns 0 for an empty result', () => {
    expect(histogramTotal({ from: null, bucketSeconds: 1, counts: [], outside: 0 })).toBe(0);
  });
});

describe('activeConditions', () => {
  it('names nothing for the whole timeline', () => {
    expect(activeConditions({})).toEqual([]);
  });

  it('names every part in a fixed order', () => {
    expect(
      activeConditions({
        eventIds: [1],
        filters: [
          { column: 'source', op: 'equals', value: 'evtx' },
          { column: 'host', op: 'contains', value: 'WS01' },
        ],
        to: '2024-03-13T00:00:00Z',
        search: '-Enc',
      }),
    ).toEqual(['search "-Enc"', 'time range', '2 column filters', 'process filter']);
  });

  it('names one column filter and an open-ended range', () => {
    expect(activeConditions({ from: '2024-03-12T00:00:00Z', filters: [{ column: 'log', op: 'blank', value: '' }] })).toEqual([
      'time range',
      'column filter',
    ]);
  });
});
