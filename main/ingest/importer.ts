// One import run: walk the inputs, hash and record every evidence file, hand each to
// the handler that recognises its content, and write the records in one transaction.
// A file that fails is recorded with its error and the run goes on; a cancelled or
// crashed run commits nothing, so the case stays as it was before the run.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { EvidenceStatus, ImportFileResult, ImportProgress } from '../../shared/api.ts';
import type { UnifiedEvent } from '../../shared/events.ts';
import type { CaseStore } from '../case/store.ts';
import { ensureTimelineOrder } from '../case/timeline-order.ts';
import { CaseWriter } from '../case/writer.ts';
import { log } from '../log.ts';
import { APP_VERSION } from '../version.ts';
import { type BundleFile, BundleWalker, openContent } from './bundle.ts';
import type { EvidenceHandler, ImportIssue, ImportSink, RecordIdentity, TypedRow } from './handler.ts';
import { RecordIdentityIndex } from './record-identities.ts';

const SAMPLE_BYTES = 64 * 1024;
/** Records buffered before the handler is asked to wait for a bulk write. */
const SINK_BATCH = 2_000;
/** Issues kept per file in import_issues; the counts stay exact beyond that. */
const MAX_STORED_ISSUES = 1_000;
/** Issues quoted in the evidence row and the import report. */
const MAX_MESSAGES = 20;

export interface ImportOptions {
  handlers: readonly EvidenceHandler[];
}

async function readSample(file: BundleFile): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = openContent(file);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= SAMPLE_BYTES) break;
    }
  } catch {
    // A damaged file still gets a sample of what could be read; its handler reports the damage.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, SAMPLE_BYTES);
}

function describeStart(sample: Uint8Array): string {
  const text = Buffer.from(sample.subarray(0, 24)).toString('latin1');
  return JSON.stringify(text.replace(/[^\x20-\x7e]/g, '.'));
}

interface BufferedRecord {
  event: UnifiedEvent | (() => UnifiedEvent);
  typed?: TypedRow | undefined;
  identity?: RecordIdentity | undefined;
}

class FileSink implements ImportSink {
  readonly signal: AbortSignal;
  records = 0;
  errors = 0;
  warnings = 0;
  /** Records not stored because the case already has them, counted by the evidence id whose copy is stored. */
  readonly duplicatesOf = new Map<number, number>();
  duplicates = 0;
  recoveredDuplicates = 0;
  readonly messages: string[] = [];
  private buffer: BufferedRecord[] = [];
  private readonly storedIssues: ImportIssue[] = [];
  private readonly writer: CaseWriter;
  private readonly identities: RecordIdentityIndex;
  private readonly evidenceId: number;
  private readonly onRecords: (count: number) => void;

  constructor(
    writer: CaseWriter,
    identities: RecordIdentityIndex,
    evidenceId: number,
    signal: AbortSignal,
    onRecords: (count: number) => void,
  ) {
    this.writer = writer;
    this.identities = identities;
    this.evidenceId = evidenceId;
    this.signal = signal;
    this.onRecords = onRecords;
  }

  add(event: UnifiedEvent | (() => UnifiedEvent), typed?: TypedRow, identity?: RecordIdentity): boolean {
    this.buffer.push({ event, typed, identity });
    return this.buffer.length >= SINK_BATCH;
  }

  async drain(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    await this.identities.prepare(this.identitiesOf(batch), () => this.writer.settled());
    let stored = 0;
    for (const item of batch) {
      if (item.identity) {
        const owner = this.identities.claim(item.identity, this.evidenceId);
        if (owner !== null) {
          this.duplicates += 1;
          if (item.identity.recovered) this.recoveredDuplicates += 1;
          this.duplicatesOf.set(owner, (this.duplicatesOf.get(owner) ?? 0) + 1);
          continue;
        }
      }
      const event = typeof item.event === 'function' ? item.event() : item.event;
      this.writer.add(this.evidenceId, event, item.typed, item.identity);
      stored += 1;
    }
    this.records += stored;
    this.onRecords(stored);
    if (this.writer.full) await this.writer.flush();
    // Give the event loop a turn so the UI and progress polling stay responsive.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.signal.throwIfAborted();
  }

  private *identitiesOf(batch: BufferedRecord[]): Generator<RecordIdentity> {
    for (const item of batch) if (item.identity) yield item.identity;
  }

  issue(issue: ImportIssue): void {
    if (issue.severity === 'error') this.errors += 1;
    else this.warnings += 1;
    if (this.messages.length < MAX_MESSAGES) this.messages.push(`${issue.severity} at ${issue.position}: ${issue.message}`);
    if (this.storedIssues.length < MAX_STORED_ISSUES) this.storedIssues.push(issue);
  }

  async saveIssues(connection: DuckDBConnection): Promise<void> {
    if (this.storedIssues.length === 0) return;
    const appender = await connection.createAppender('import_issues');
    for (const issue of this.storedIssues) {
      appender.appendInteger(this.evidenceId);
      appender.appendVarchar(issue.severity);
      appender.appendVarchar(issue.position);
      appender.appendVarchar(issue.message);
      appender.endRow();
    }
    appender.closeSync();
  }
}

export class ImportRun {
  readonly importId: number;
  private readonly store: CaseStore;
  private readonly inputs: string[];
  private readonly handlers: readonly EvidenceHandler[];
  private readonly abort = new AbortController();
  private readonly startedAt = Date.now();
  readonly progress: ImportProgress;

  constructor(store: CaseStore, importId: number, inputs: string[], options: ImportOptions) {
    this.store = store;
    this.importId = importId;
    this.inputs = inputs;
    this.handlers = options.handlers;
    this.progress = {
      importId,
      state: 'running',
      filesDone: 0,
      filesSeen: 0,
      records: 0,
      bytes: 0,
      rate: 0,
      currentFile: null,
      error: null,
      files: [],
    };
  }

  cancel(): void {
    this.abort.abort(new Error('import cancelled by the user'));
  }

  private countRecords(count: number): void {
    this.progress.records += count;
    const seconds = (Date.now() - this.startedAt) / 1000;
    this.progress.rate = seconds > 0 ? Math.round(this.progress.records / seconds) : 0;
  }

  /** Run the import to the end; resolves with the final progress (state done, cancelled or failed). */
  async run(): Promise<ImportProgress> {
    const connection = await this.store.connect();
    const walker = new BundleWalker(this.abort.signal);
    let began = false;
    try {
      await connection.run('BEGIN TRANSACTION');
      began = true;
      const next = await connection.runAndReadAll(
        'SELECT coalesce(max(event_id), -1) + 1, (SELECT coalesce(max(evidence_id), 0) FROM evidence) FROM events',
      );
      const [firstEvent, lastEvidence] = next.getRows()[0] as [bigint, number];
      const writer = new CaseWriter(connection, BigInt(firstEvent), this.store.stagingDir);
      await writer.open();
      const identities = new RecordIdentityIndex(connection);
      await identities.open();
      let evidenceId = Number(lastEvidence);
      const containerIds = new Map<string, number>();
      for await (const entry of walker.walk(this.inputs)) {
        this.abort.signal.throwIfAborted();
        evidenceId += 1;
        this.progress.filesSeen += 1;
        this.progress.currentFile = entry.path;
        const containerId = entry.container ? (containerIds.get(entry.container) ?? null) : null;
        let result: ImportFileResult;
        if (entry.type === 'problem') {
          result = {
            path: entry.path,
            kind: 'unknown',
            status: 'failed',
            records: 0,
            errors: 1,
            duplicates: 0,
            sha256: '',
            messages: [entry.message],
          };
          await this.insertEvidence(connection, evidenceId, entry.path, entry.path, containerId, 0, null, result, 0);
        } else if (entry.type === 'container') {
          containerIds.set(entry.path, evidenceId);
          result = {
            path: entry.path,
            kind: entry.kind,
            status: 'imported',
            records: 0,
            errors: 0,
            duplicates: 0,
            sha256: entry.sha256,
            messages: [],
          };
          await this.insertEvidence(connection, evidenceId, entry.path, entry.diskPath, containerId, entry.size, null, result, 0);
          this.progress.bytes += entry.container ? 0 : entry.size;
        } else {
          result = await this.importFile(connection, writer, identities, evidenceId, entry, containerId);
          this.progress.bytes += entry.container ? 0 : entry.size;
        }
        this.progress.files.push(result);
        this.progress.filesDone += 1;
      }
      await writer.finish();
      await connection.run('COMMIT');
      began = false;
      // Sort the new events into the timeline's ordered copy now, so that the first view
      // after the import does not wait for it. The events are committed either way.
      this.progress.currentFile = 'sorting the timeline';
      await this.store.memory
        .run(() => ensureTimelineOrder(connection))
        .catch((error: unknown) => {
          log.warn('timeline order not rebuilt after import; the first timeline query will retry', {
            importId: this.importId,
            error: (error as Error).message,
          });
        });
      this.progress.state = 'done';
    } catch (error) {
      if (began) await connection.run('ROLLBACK');
      const cancelled = this.abort.signal.aborted;
      this.progress.state = cancelled ? 'cancelled' : 'failed';
      this.progress.error = cancelled
        ? 'import cancelled: nothing from this run was kept'
        : `import failed, nothing from this run was kept: ${(error as Error).message}`;
    } finally {
      this.progress.currentFile = null;
      await walker.dispose();
      await this.recordRun(connection);
      connection.closeSync();
      if (this.progress.state === 'done') this.store.markChanged();
    }
    return this.progress;
  }

  private async importFile(
    connection: DuckDBConnection,
    writer: CaseWriter,
    identities: RecordIdentityIndex,
    evidenceId: number,
    file: BundleFile,
    containerId: number | null,
  ): Promise<ImportFileResult> {
    const base = { path: file.path, sha256: file.sha256, duplicates: 0, errors: 0, records: 0 };
    const previous = await connection.runAndReadAll(
      `SELECT evidence_id, records, path FROM evidence WHERE sha256 = $1 AND status IN ('imported', 'partial') AND parser IS NOT NULL ORDER BY evidence_id LIMIT 1`,
      [file.sha256],
    );
    const earlier = previous.getRows()[0];
    const sample = await readSample(file);
    const handler = this.handlers.find((candidate) => candidate.detect({ path: file.path, name: file.name, head: sample }));
    if (earlier) {
      const result: ImportFileResult = {
        ...base,
        kind: handler?.kind ?? 'unknown',
        status: 'duplicate',
        duplicates: Number(earlier[1]),
        messages: [`same SHA-256 as ${String(earlier[2])} (evidence ${Number(earlier[0])}), already in this case: not imported again`],
      };
      await this.insertEvidence(
        connection,
        evidenceId,
        file.path,
        file.diskPath,
        containerId,
        file.size,
        handler?.parser ?? null,
        result,
        0,
      );
      return result;
    }
    if (!handler) {
      const reason = sample.length === 0 ? 'empty file' : `no parser recognises this content (starts with ${describeStart(sample)})`;
      const result: ImportFileResult = { ...base, kind: 'unknown', status: 'skipped', messages: [reason] };
      await this.insertEvidence(connection, evidenceId, file.path, file.diskPath, containerId, file.size, null, result, 0);
      return result;
    }
    const sink = new FileSink(writer, identities, evidenceId, this.abort.signal, (count) => this.countRecords(count));
    let notes: string[] = [];
    let recovered = 0;
    try {
      const outcome = await handler.run(
        { path: file.path, name: file.name, size: file.size, open: () => openContent(file), contentFile: file.gzip ? null : file.diskPath },
        sink,
      );
      await sink.drain();
      notes = outcome.notes ?? [];
      recovered = outcome.recovered ?? 0;
    } catch (error) {
      if (this.abort.signal.aborted) throw error;
      await sink.drain().catch(() => undefined);
      sink.issue({ severity: 'error', position: 'file', message: `parser ${handler.parser} stopped: ${(error as Error).message}` });
    }
    await sink.saveIssues(connection);
    let status: EvidenceStatus = 'imported';
    if (sink.errors > 0) status = sink.records > 0 ? 'partial' : 'failed';
    else if (sink.records === 0 && sink.duplicates > 0) status = 'duplicate';
    recovered -= sink.recoveredDuplicates;
    const result: ImportFileResult = {
      ...base,
      kind: handler.kind,
      status,
      records: sink.records,
      ...(recovered > 0 ? { recovered } : {}),
      errors: sink.errors,
      duplicates: sink.duplicates,
      messages: [...notes, ...(await this.describeDuplicates(connection, evidenceId, sink.duplicatesOf)), ...sink.messages],
    };
    await this.insertEvidence(
      connection,
      evidenceId,
      file.path,
      file.diskPath,
      containerId,
      file.size,
      handler.parser,
      result,
      sink.warnings,
    );
    return result;
  }

  /** Describe, one message per evidence file, which files already brought records of this one. */
  private async describeDuplicates(connection: DuckDBConnection, evidenceId: number, duplicatesOf: Map<number, number>): Promise<string[]> {
    if (duplicatesOf.size === 0) return [];
    const owners = [...duplicatesOf.keys()].sort((a, b) => a - b);
    const reader = await connection.runAndReadAll(`SELECT evidence_id, path FROM evidence WHERE evidence_id IN (${owners.join(', ')})`);
    const paths = new Map((reader.getRows() as [number, string][]).map(([id, path]) => [Number(id), path]));
    const messages = owners
      .slice(0, MAX_MESSAGES)
      .map((owner) =>
        owner === evidenceId
          ? `${duplicatesOf.get(owner)} records repeat earlier records of this file: stored once`
          : `${duplicatesOf.get(owner)} records already in the case from ${paths.get(owner) ?? 'an earlier file'} (evidence ${owner}): not stored again`,
      );
    if (owners.length > MAX_MESSAGES) messages.push(`duplicates of ${owners.length - MAX_MESSAGES} more evidence files not listed`);
    return messages;
  }

  private async insertEvidence(
    connection: DuckDBConnection,
    evidenceId: number,
    path: string,
    diskPath: string,
    containerId: number | null,
    size: number,
    parser: string | null,
    result: ImportFileResult,
    warnings: number,
  ): Promise<void> {
    await connection.run(
      `INSERT INTO evidence VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, from_json($15, '["VARCHAR"]'), now()::TIMESTAMP)`,
      [
        evidenceId,
        this.importId,
        path,
        diskPath,
        containerId,
        BigInt(size),
        result.sha256,
        result.kind,
        parser,
        result.status,
        BigInt(result.records),
        BigInt(result.errors),
        BigInt(warnings),
        BigInt(result.duplicates),
        JSON.stringify(result.messages),
      ],
    );
  }

  private async recordRun(connection: DuckDBConnection): Promise<void> {
    const errors = this.progress.files.reduce((sum, file) => sum + file.errors, 0);
    const records = this.progress.state === 'done' ? this.progress.records : 0;
    await connection.run(
      `INSERT INTO import_runs VALUES ($1, make_timestamp($2::BIGINT), now()::TIMESTAMP, $3, from_json($4, '["VARCHAR"]'), $5, $6, $7, $8)`,
      [
        this.importId,
        BigInt(this.startedAt) * 1000n,
        this.progress.state,
        JSON.stringify(this.inputs),
        this.progress.files.length,
        BigInt(records),
        BigInt(errors),
        APP_VERSION,
      ],
    );
  }
}
