// A binary min-heap ordered by time, then by insertion order, so items due at the same
// microsecond come out in the order they went in and every run is repeatable.

interface Entry<T> {
  time: number;
  seq: number;
  item: T;
}

export class TimeHeap<T> {
  private readonly entries: Entry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.entries.length;
  }

  /** Time of the earliest item, or Infinity when empty. */
  peekTime(): number {
    return this.entries[0]?.time ?? Number.POSITIVE_INFINITY;
  }

  push(time: number, item: T): void {
    const entries = this.entries;
    entries.push({ time, seq: this.seq++, item });
    let index = entries.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(entries[index]!, entries[parent]!)) break;
      [entries[index], entries[parent]] = [entries[parent]!, entries[index]!];
      index = parent;
    }
  }

  pop(): { time: number; item: T } | undefined {
    const entries = this.entries;
    const top = entries[0];
    if (!top) return undefined;
    const last = entries.pop()!;
    if (entries.length > 0) {
      entries[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < entries.length && before(entries[left]!, entries[smallest]!)) smallest = left;
        if (right < entries.length && before(entries[right]!, entries[smallest]!)) smallest = right;
        if (smallest === index) break;
        [entries[index], entries[smallest]] = [entries[smallest]!, entries[index]!];
        index = smallest;
      }
    }
    return { time: top.time, item: top.item };
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
