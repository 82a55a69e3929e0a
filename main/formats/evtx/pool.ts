// A small worker_threads pool that parses chunks off the calling thread. Each chunk is an
// independent unit (names and templates are chunk-relative), so chunks parse in any order.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkOptions, ChunkResult } from './chunk.ts';

interface Job {
  id: number;
  resolve: (result: ChunkResult) => void;
  reject: (error: Error) => void;
}

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './chunk-worker-boot.mjs' : './chunk-worker.js', import.meta.url);

const sharedPools = new Map<number, ChunkPool>();

export class ChunkPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;

  /** One worker per core. */
  static defaultSize(): number {
    return Math.max(1, availableParallelism());
  }

  constructor(size: number) {
    // From TypeScript sources the boot script registers tsx in the worker first.
    // NOTE: a bundled build must ship chunk-worker as its own entry next to this module.
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerUrl);
      worker.on('message', (message: { id: number; result?: ChunkResult; error?: string }) => {
        const job = this.jobs.get(message.id);
        if (!job) return;
        this.jobs.delete(message.id);
        this.load[i]! -= 1;
        if (this.load[i] === 0) worker.unref();
        if (message.result) job.resolve(message.result);
        else job.reject(new Error(message.error ?? 'chunk worker failed without a message'));
      });
      worker.on('error', (error) => this.failAll(error));
      // An idle worker must not keep the process alive; a busy one must, or an await on its result could end the process.
      worker.unref();
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  private failAll(error: Error): void {
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
  }

  /** Parses one chunk on the least busy worker. The bytes are copied once and moved to the worker. */
  parse(bytes: Uint8Array, index: number, fileOffset: number, options: ChunkOptions): Promise<ChunkResult> {
    const id = this.nextId++;
    let target = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i]! < this.load[target]!) target = i;
    const worker = this.workers[target]!;
    if (this.load[target] === 0) worker.ref();
    this.load[target]! += 1;
    const copy = bytes.slice();
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { id, resolve, reject });
      worker.postMessage({ id, bytes: copy, index, fileOffset, options }, [copy.buffer]);
    });
  }

  /**
   * Returns a pool of `size` workers kept for the life of the process, so only the first
   * file pays the worker start-up (about a second under tsx).
   */
  static shared(size: number): ChunkPool {
    let pool = sharedPools.get(size);
    if (!pool) {
      pool = new ChunkPool(size);
      sharedPools.set(size, pool);
    }
    return pool;
  }

  /** Terminates the shared pools (tests, shutdown). */
  static async closeShared(): Promise<void> {
    const pools = [...sharedPools.values()];
    sharedPools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error('chunk pool closed'));
  }
}
