// Translates ag-grid's text filter model into the API's ColumnFilter list. The API
// combines filters with AND only, so a condition joined by OR cannot be expressed and
// is rejected with a message rather than silently widened or narrowed.

import { type ColumnFilter, TEXT_FILTER_OPS, type TextFilterOp } from '../../../shared/api.ts';
import { TIMELINE_COLUMNS, type TimelineColumn } from '../../../shared/events.ts';

/** One condition of ag-grid's text filter (`ISimpleFilterModel` shape). */
export interface TextConditionModel {
  filterType?: string;
  type?: string | null;
  filter?: string | number | null;
}

/** Two or more conditions joined in one column (`ICombinedSimpleModel` shape). */
export interface CombinedConditionModel {
  filterType?: string;
  operator: 'AND' | 'OR';
  conditions: TextConditionModel[];
}

/** `gridApi.getFilterModel()`: column id to that column's model. */
export type GridFilterModel = Record<string, TextConditionModel | CombinedConditionModel | null | undefined>;

export class FilterModelError extends Error {
  override name = 'FilterModelError';
}

const OPS_WITHOUT_VALUE: ReadonlySet<TextFilterOp> = new Set(['blank', 'notBlank']);

function isTimelineColumn(value: string): value is TimelineColumn {
  return (TIMELINE_COLUMNS as readonly string[]).includes(value);
}

function isTextFilterOp(value: unknown): value is TextFilterOp {
  return typeof value === 'string' && (TEXT_FILTER_OPS as readonly string[]).includes(value);
}

function translateCondition(column: TimelineColumn, condition: TextConditionModel): ColumnFilter | null {
  const { type } = condition;
  if (type === null || type === undefined || type === 'empty') return null;
  if (!isTextFilterOp(type)) {
    throw new FilterModelError(`filter "${type}" on column ${column} is not supported: use one of ${TEXT_FILTER_OPS.join(', ')}`);
  }
  if (OPS_WITHOUT_VALUE.has(type)) return { column, op: type, value: '' };
  const value = condition.filter === null || condition.filter === undefined ? '' : String(condition.filter);
  // ag-grid reports a condition whose value box is still empty; it filters nothing yet.
  if (value === '') return null;
  return { column, op: type, value };
}

/**
 * Returns the filters of a grid filter model, in column order of the model. Throws
 * FilterModelError for an unknown column, an unsupported operator, or conditions
 * joined by OR.
 */
export function toColumnFilters(model: GridFilterModel): ColumnFilter[] {
  const filters: ColumnFilter[] = [];
  for (const [columnId, columnModel] of Object.entries(model)) {
    if (!columnModel) continue;
    if (!isTimelineColumn(columnId)) {
      throw new FilterModelError(`column "${columnId}" cannot be filtered: it is not a timeline column`);
    }
    if ('conditions' in columnModel) {
      const conditions = columnModel.conditions
        .map((condition) => translateCondition(columnId, condition))
        .filter((filter): filter is ColumnFilter => filter !== null);
      if (columnModel.operator === 'OR' && conditions.length > 1) {
        throw new FilterModelError(`column ${columnId}: conditions joined by OR are not supported; use AND or one condition`);
      }
      filters.push(...conditions);
      continue;
    }
    const filter = translateCondition(columnId, columnModel);
    if (filter) filters.push(filter);
  }
  return filters;
}
