import { describe, expect, it } from 'vitest';
import { rowsPerPage, rowWindow, scrollToReveal } from './windowing.ts';

describe('rowWindow', () => {
  it('covers the viewport plus overscan', () => {
    // 24 px rows, 240 px viewport scrolled to row 100: rows 100-109 are visible.
    expect(rowWindow(2400, 240, 24, 10_000, 5)).toEqual({ start: 95, end: 115 });
  });

  it('includes a partly visible row at either edge', () => {
    // Scrolled 12 px into row 100: rows 100 through 110 intersect the viewport.
    expect(rowWindow(2412, 240, 24, 10_000, 0)).toEqual({ start: 100, end: 111 });
  });

  it('clamps at the start and the end', () => {
    expect(rowWindow(0, 240, 24, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(rowWindow(24 * 9_995, 240, 24, 10_000, 5)).toEqual({ start: 9_990, end: 10_000 });
  });

  it('renders a few rows before the viewport is measured', () => {
    expect(rowWindow(0, 0, 24, 100, 5)).toEqual({ start: 0, end: 6 });
  });

  it('renders nothing without rows', () => {
    expect(rowWindow(500, 240, 24, 0, 5)).toEqual({ start: 0, end: 0 });
  });

  it('survives a scroll offset past the end after rows were removed', () => {
    expect(rowWindow(24 * 500, 240, 24, 20, 2)).toEqual({ start: 17, end: 20 });
  });
});

describe('scrollToReveal', () => {
  it('leaves a fully visible row alone', () => {
    expect(scrollToReveal(5, 0, 240, 24)).toBeNull();
    expect(scrollToReveal(9, 0, 240, 24)).toBeNull();
  });

  it('scrolls up to a row above the viewport', () => {
    expect(scrollToReveal(3, 240, 240, 24)).toBe(72);
  });

  it('scrolls down just enough for a row below the viewport', () => {
    // Row 10 spans 240-264, so the viewport must start at 24.
    expect(scrollToReveal(10, 0, 240, 24)).toBe(24);
  });

  it('scrolls to a partly hidden row at the top edge', () => {
    expect(scrollToReveal(4, 100, 240, 24)).toBe(96);
  });
});

describe('rowsPerPage', () => {
  it('counts whole rows and never returns zero', () => {
    expect(rowsPerPage(250, 24)).toBe(10);
    expect(rowsPerPage(0, 24)).toBe(1);
  });
});
