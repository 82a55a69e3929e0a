// Bulk writer for one import run: unified events and per-source typed tables go
// through DuckDB appenders on the import's own connection, inside its transaction.

import { type DuckDBAppender, type DuckDBConnection, DuckDBIntervalValue, DuckDBTimestampValue, LIST, VARCHAR } from '@duckdb/node-api';
import type { UnifiedEvent } from '../../shared/events.ts';
import type { TypedColumn, TypedColumnType, TypedRow } from '../ingest/handler.ts';
import { EVENT_COLUMNS } from './schema.ts';

const VARCHAR_LIST = LIST(VARCHAR);

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Table names of typed tables are restricted to `[a-z0-9_]` so they need no quoting in SQL consoles. */
export function typedTableName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned.length > 0 ? cleaned.slice(0, 60) : 'unnamed';
}

function appendTyped(appender: DuckDBAppender, type: TypedColumnType, value: unknown): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (type) {
    case 'VARCHAR':
      appender.appendVarchar(typeof value === 'string' ? value : String(value));
      return;
    case 'BIGINT':
      appender.appendBigInt(BigInt(value as bigint | number));
      return;
    case 'UBIGINT':
      appender.appendUBigInt(BigInt(value as bigint | number));
      return;
    case 'INTEGER':
      appender.appendInteger(Number(value));
      return;
    case 'USMALLINT':
      appender.appendUSmallInt(Number(value));
      return;
    case 'DOUBLE':
      appender.appendDouble(Number(value));
      return;
    case 'BOOLEAN':
      appender.appendBoolean(Boolean(value));
      return;
    case 'TIMESTAMP':
      appender.appendTimestamp(new DuckDBTimestampValue(BigInt(value as bigint)));
      return;
    case 'INTERVAL':
      appender.appendInterval(new DuckDBIntervalValue(0, 0, BigInt(value as bigint)));
      return;
    default: {
      // Lists: convert each element by the element type through appendValue.
      const items = (value as unknown[]).map((item) => toListItem(type.slice(0, -2) as TypedColumnType, item));
      appender.appendValue(items as never);
    }
  }
}

function toListItem(type: TypedColumnType, item: unknown): unknown {
  if (item === null || item === undefined) return null;
  switch (type) {
    case 'TIMESTAMP':
      return new DuckDBTimestampValue(BigInt(item as bigint));
    case 'INTERVAL':
      return new DuckDBIntervalValue(0, 0, BigInt(item as bigint));
    case 'BIGINT':
    case 'UBIGINT':
      return BigInt(item as bigint);
    case 'DOUBLE':
      return Number(item);
    case 'BOOLEAN':
      return Boolean(item);
    default:
      return String(item);
  }
}

interface TypedTableState {
  name: string;
  /** Columns in table order, after event_id and evidence_id. */
  columns: TypedColumn[];
  index: Map<string, number>;
  appender: DuckDBAppender | null;
}

export class CaseWriter {
  private readonly connection: DuckDBConnection;
  private events: DuckDBAppender | null = null;
  private readonly typedTables = new Map<string, TypedTableState>();
  private nextEventId: bigint;
  private pending = 0;
  private readonly flushEvery: number;

  constructor(connection: DuckDBConnection, firstEventId: bigint, flushEvery = 50_000) {
    this.connection = connection;
    this.nextEventId = firstEventId;
    this.flushEvery = flushEvery;
  }

  async open(): Promise<void> {
    this.events = await this.connection.createAppender('events');
    const reader = await this.connection.runAndReadAll(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'main' AND (table_name LIKE 'zeek\\_%' ESCAPE '\\' OR table_name LIKE 'vol\\_%' ESCAPE '\\' OR table_name LIKE 'win\\_%' ESCAPE '\\')
       ORDER BY table_name, ordinal_position`,
    );
    for (const [table, column, type] of reader.getRows() as [string, string, string][]) {
      if (column === 'event_id' || column === 'evidence_id') continue;
      const state: TypedTableState = this.typedTables.get(table) ?? { name: table, columns: [], index: new Map(), appender: null };
      state.index.set(column, state.columns.length);
      state.columns.push({ name: column, type: type as TypedColumnType });
      this.typedTables.set(table, state);
    }
  }

  get eventIdCursor(): bigint {
    return this.nextEventId;
  }

  /** Append one event (and its typed row); returns the event id it was given. */
  async add(evidenceId: number, event: UnifiedEvent, typed?: TypedRow): Promise<bigint> {
    const eventId = this.nextEventId;
    this.nextEventId += 1n;
    this.appendEvent(eventId, evidenceId, event);
    if (typed) await this.appendTypedRow(eventId, evidenceId, typed);
    this.pending += 1;
    if (this.pending >= this.flushEvery) this.flush();
    return eventId;
  }

  private appendEvent(eventId: bigint, evidenceId: number, event: UnifiedEvent): void {
    const appender = this.events!;
    const record = event as unknown as Record<string, unknown>;
    for (const column of EVENT_COLUMNS) {
      switch (column.name) {
        case 'event_id':
          appender.appendBigInt(eventId);
          break;
        case 'evidence_id':
          appender.appendInteger(evidenceId);
          break;
        case 'ts':
          if (event.ts_micros === null) appender.appendNull();
          else appender.appendTimestamp(new DuckDBTimestampValue(event.ts_micros));
          break;
        case 'ts_nanos':
          appender.appendSmallInt(event.ts_nanos ?? 0);
          break;
        case 'dns_answers':
          if (event.dns_answers == null) appender.appendNull();
          else appender.appendList(event.dns_answers, VARCHAR_LIST);
          break;
        default: {
          const value = record[column.name];
          if (value === null || value === undefined) appender.appendNull();
          else if (column.type === 'BIGINT') appender.appendBigInt(BigInt(value as number));
          else if (column.type === 'INTEGER') appender.appendInteger(value as number);
          else appender.appendVarchar(String(value));
        }
      }
    }
    appender.endRow();
  }

  private async tableFor(row: TypedRow): Promise<TypedTableState> {
    const name = typedTableName(row.table);
    let state = this.typedTables.get(name);
    if (!state) {
      const ddl = row.columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`);
      await this.connection.run(
        `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(name)} (event_id BIGINT, evidence_id INTEGER${ddl.length ? `, ${ddl.join(', ')}` : ''})`,
      );
      state = { name, columns: [], index: new Map(), appender: null };
      for (const column of row.columns) {
        if (state.index.has(column.name)) continue;
        state.index.set(column.name, state.columns.length);
        state.columns.push(column);
      }
      this.typedTables.set(name, state);
    }
    return state;
  }

  /**
   * Columns are matched by name. A column the table lacks is added; a column whose type
   * differs from the table's goes to a sibling column named `name:TYPE`, so no value is
   * coerced or lost when two files disagree on a field's type.
   */
  private async appendTypedRow(eventId: bigint, evidenceId: number, row: TypedRow): Promise<void> {
    const state = await this.tableFor(row);
    const targets: number[] = [];
    const missing: TypedColumn[] = [];
    for (const column of row.columns) {
      let position = state.index.get(column.name);
      let target = column;
      if (position !== undefined && state.columns[position]!.type !== column.type) {
        target = { name: `${column.name}:${column.type}`, type: column.type };
        position = state.index.get(target.name);
      }
      if (position === undefined) {
        missing.push(target);
        position = state.columns.length + missing.length - 1;
      }
      targets.push(position);
    }
    if (missing.length > 0) {
      if (state.appender) {
        state.appender.flushSync();
        state.appender.closeSync();
        state.appender = null;
      }
      for (const column of missing) {
        await this.connection.run(`ALTER TABLE ${quoteIdentifier(state.name)} ADD COLUMN ${quoteIdentifier(column.name)} ${column.type}`);
        state.index.set(column.name, state.columns.length);
        state.columns.push(column);
      }
    }
    if (!state.appender) state.appender = await this.connection.createAppender(state.name);
    const values: unknown[] = new Array(state.columns.length).fill(null);
    row.values.forEach((value, i) => {
      values[targets[i]!] = value;
    });
    const appender = state.appender;
    appender.appendBigInt(eventId);
    appender.appendInteger(evidenceId);
    state.columns.forEach((column, i) => {
      appendTyped(appender, column.type, values[i]);
    });
    appender.endRow();
  }

  flush(): void {
    this.events?.flushSync();
    for (const state of this.typedTables.values()) state.appender?.flushSync();
    this.pending = 0;
  }

  close(): void {
    this.flush();
    this.events?.closeSync();
    this.events = null;
    for (const state of this.typedTables.values()) {
      state.appender?.closeSync();
      state.appender = null;
    }
  }
}
