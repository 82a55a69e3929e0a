// Worker entry for ChunkPool: parses one chunk per message and posts the plain-data result.

import { parentPort } from 'node:worker_threads';
import { type ChunkOptions, parseChunk } from './chunk.ts';

interface ChunkJob {
  id: number;
  bytes: Uint8Array;
  index: number;
  fileOffset: number;
  options: ChunkOptions;
}

parentPort?.on('message', (job: ChunkJob) => {
  try {
    parentPort?.postMessage({ id: job.id, result: parseChunk(job.bytes, job.index, job.fileOffset, job.options) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: `chunk ${job.index} at file offset ${job.fileOffset}: ${String(error)}` });
  }
});
