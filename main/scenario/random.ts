/**
 * Deterministic pseudo-random numbers (mulberry32), so the same seed always writes
 * byte-identical evidence. Not for anything security-related.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Return a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Return an integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Return true with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Return a float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Return an exponentially distributed value with the given mean (gaps between random arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Pick an item with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let point = this.next() * total;
    for (const item of items) {
      point -= weight(item);
      if (point < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** Return `length` lower-case hexadecimal digits. */
  hex(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return text;
  }

  /** Return a random GUID in registry form, upper case: `{0A1B...}`. */
  guid(): string {
    const h = this.hex(32).toUpperCase();
    return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}}`;
  }

  /** Return a Zeek-style connection uid: `C` plus 17 base-62 characters. */
  uid(prefix = 'C'): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let text = prefix;
    for (let i = 0; i < 17; i++) text += alphabet[Math.floor(this.next() * alphabet.length)];
    return text;
  }
}
