import { describe, expect, it } from 'vitest';
import { FilterModelError, toColumnFilters } from './filterModel.ts';

describe('toColumnFilters', () => {
  it('translates a single text condition', () => {
    expect(toColumnFilters({ src_ip: { filterType: 'text', type: 'equals', filter: '10.1.0.5' } })).toEqual([
      { column: 'src_ip', op: 'equals', value: '10.1.0.5' },
    ]);
  });

  it('translates every supported operator', () => {
    const ops = ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith'] as const;
    for (const op of ops) {
      expect(toColumnFilters({ message: { filterType: 'text', type: op, filter: 'GET' } })).toEqual([
        { column: 'message', op, value: 'GET' },
      ]);
    }
  });

  it('gives blank and notBlank an empty value', () => {
    expect(toColumnFilters({ host: { filterType: 'text', type: 'blank' }, user_name: { filterType: 'text', type: 'notBlank' } })).toEqual([
      { column: 'host', op: 'blank', value: '' },
      { column: 'user_name', op: 'notBlank', value: '' },
    ]);
  });

  it('skips a condition whose value is still empty', () => {
    expect(toColumnFilters({ host: { filterType: 'text', type: 'contains', filter: '' } })).toEqual([]);
    expect(toColumnFilters({ host: { filterType: 'text', type: 'contains', filter: null } })).toEqual([]);
    expect(toColumnFilters({ host: { filterType: 'text', type: 'empty' } })).toEqual([]);
    expect(toColumnFilters({ host: null })).toEqual([]);
  });

  it('keeps the value text exactly', () => {
    expect(toColumnFilters({ url: { filterType: 'text', type: 'contains', filter: ' /A b ' } })).toEqual([
      { column: 'url', op: 'contains', value: ' /A b ' },
    ]);
    expect(toColumnFilters({ dst_port: { filterType: 'text', type: 'equals', filter: 443 } })).toEqual([
      { column: 'dst_port', op: 'equals', value: '443' },
    ]);
  });

  it('flattens conditions joined by AND', () => {
    const model = {
      message: {
        filterType: 'text',
        operator: 'AND' as const,
        conditions: [
          { filterType: 'text', type: 'contains', filter: 'GET' },
          { filterType: 'text', type: 'notContains', filter: 'favicon' },
        ],
      },
    };
    expect(toColumnFilters(model)).toEqual([
      { column: 'message', op: 'contains', value: 'GET' },
      { column: 'message', op: 'notContains', value: 'favicon' },
    ]);
  });

  it('accepts OR with only one complete condition', () => {
    const model = {
      host: {
        operator: 'OR' as const,
        conditions: [
          { type: 'startsWith', filter: 'ws-' },
          { type: 'contains', filter: '' },
        ],
      },
    };
    expect(toColumnFilters(model)).toEqual([{ column: 'host', op: 'startsWith', value: 'ws-' }]);
  });

  it('rejects conditions joined by OR', () => {
    const model = {
      host: {
        operator: 'OR' as const,
        conditions: [
          { type: 'equals', filter: 'a' },
          { type: 'equals', filter: 'b' },
        ],
      },
    };
    expect(() => toColumnFilters(model)).toThrow(FilterModelError);
    expect(() => toColumnFilters(model)).toThrow(/OR/);
  });

  it('rejects an unknown column', () => {
    expect(() => toColumnFilters({ command_line: { type: 'contains', filter: 'x' } })).toThrow(/command_line/);
  });

  it('rejects an operator the API lacks', () => {
    expect(() => toColumnFilters({ src_port: { type: 'greaterThan', filter: '1024' } })).toThrow(/greaterThan/);
  });
});
