// A hash table from record identity keys (32 hex digits: the first 128 bits of a
// SHA-256) to the evidence id that stored the record. A Map with string keys costs
// about 135 bytes per entry in V8 (1.35 GB at 10 million Windows records). Here an
// entry is 20 bytes of typed arrays (16 for the key, 4 for the owner), and the free
// slots of open addressing bring that to about 60 bytes measured at 1 million keys.

const WORDS_PER_KEY = 4;
const EMPTY = -1;
/** Grow when more than this fraction of slots is used, so probe runs stay short. */
const MAX_LOAD = 0.7;
const HEX_KEY = /^[0-9a-fA-F]{32}$/;

export class IdentityTable {
  private keys: Uint32Array;
  private owners: Int32Array;
  private mask: number;
  private count = 0;
  private readonly scratch = new Uint32Array(WORDS_PER_KEY);

  constructor(initialSlots = 1 << 12) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(initialSlots, 16)));
    this.keys = new Uint32Array(slots * WORDS_PER_KEY);
    this.owners = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Returns the owner of `key`, or undefined when the table does not contain it. */
  get(key: string): number | undefined {
    this.parse(key);
    const slot = this.find(this.keys, this.owners, this.mask);
    const owner = this.owners[slot]!;
    return owner === EMPTY ? undefined : owner;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores `owner` (a non-negative 32-bit integer) for `key`, replacing an earlier owner. */
  set(key: string, owner: number): void {
    if (!Number.isInteger(owner) || owner < 0 || owner > 0x7fffffff)
      throw new RangeError(`invalid owner ${owner}: expected an evidence id`);
    this.parse(key);
    let slot = this.find(this.keys, this.owners, this.mask);
    if (this.owners[slot] === EMPTY) {
      if (this.count + 1 > (this.mask + 1) * MAX_LOAD) {
        this.grow();
        slot = this.find(this.keys, this.owners, this.mask);
      }
      this.keys.set(this.scratch, slot * WORDS_PER_KEY);
      this.count += 1;
    }
    this.owners[slot] = owner;
  }

  /** Reads the 32 hex digits of `key` into the scratch words. */
  private parse(key: string): void {
    if (!HEX_KEY.test(key)) throw new RangeError(`invalid identity key ${JSON.stringify(key)}: expected 32 hex digits`);
    for (let word = 0; word < WORDS_PER_KEY; word++) this.scratch[word] = Number.parseInt(key.slice(word * 8, word * 8 + 8), 16);
  }

  /** Slot of the scratch key in the given arrays, or the empty slot where it would go (linear probing). */
  private find(keys: Uint32Array, owners: Int32Array, mask: number): number {
    const scratch = this.scratch;
    // The key is a hash already, so its first word spreads the slots evenly.
    let slot = scratch[0]! & mask;
    while (owners[slot] !== EMPTY) {
      const base = slot * WORDS_PER_KEY;
      if (keys[base] === scratch[0] && keys[base + 1] === scratch[1] && keys[base + 2] === scratch[2] && keys[base + 3] === scratch[3]) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldOwners = this.owners;
    const slots = (this.mask + 1) * 2;
    this.keys = new Uint32Array(slots * WORDS_PER_KEY);
    this.owners = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    const saved = this.scratch.slice();
    for (let old = 0; old < oldOwners.length; old++) {
      if (oldOwners[old] === EMPTY) continue;
      this.scratch.set(oldKeys.subarray(old * WORDS_PER_KEY, old * WORDS_PER_KEY + WORDS_PER_KEY));
      const slot = this.find(this.keys, this.owners, this.mask);
      this.keys.set(this.scratch, slot * WORDS_PER_KEY);
      this.owners[slot] = oldOwners[old]!;
    }
    this.scratch.set(saved);
  }
}
