// One line of the process tree: indentation, expander, name and flags, PID,
// start time, source badges, user and command line.

import { memo } from 'react';
import { PROCESS_SOURCES, type ProcessNode } from '../../../shared/processes.ts';
import { formatEventTime } from '../time/format.ts';
import { FlagStrip } from './FlagStrip.tsx';
import { Highlighted } from './Highlighted.tsx';
import { SOURCE_LABELS } from './labels.ts';
import { topSeverity } from './severity.ts';
import type { TreeRow } from './tree.ts';

/** Row height in CSS pixels; the windowing relies on every row having exactly this height. */
export const ROW_HEIGHT = 24;
/** Indentation per tree level in CSS pixels. */
const INDENT = 16;

function expanderGlyph(row: TreeRow): string {
  if (!row.hasChildren) return '';
  return row.expanded ? '▾' : '▸';
}

export function rowElementId(id: number): string {
  return `process-row-${id}`;
}

interface ProcessRowProps {
  row: TreeRow;
  node: ProcessNode;
  top: number;
  selected: boolean;
  /** The applied search query, or '' without a search. */
  query: string;
  matched: boolean;
  zone: string;
  onToggle(id: number): void;
  onOpen(id: number): void;
}

export const ProcessRow = memo(function ProcessRow(props: ProcessRowProps) {
  const { row, node, query, zone } = props;
  const severity = topSeverity(node.flags);
  const pidMatched = query !== '' && node.pid !== null && String(node.pid) === query;
  const classes = ['process-row'];
  if (props.selected) classes.push('selected');
  if (props.matched) classes.push('matched');
  if (severity) classes.push(`flagged-${severity}`);
  return (
    // The tree keeps focus and points at the selected row with aria-activedescendant, as the
    // ARIA tree view pattern allows, because a focused row would lose focus when it scrolls
    // out of the rendered window. So rows take no focus and the tree handles the keys.
    // biome-ignore lint/a11y/useFocusableInteractive: see above
    // biome-ignore lint/a11y/useKeyWithClickEvents: see above
    <div
      role="treeitem"
      id={rowElementId(node.id)}
      className={classes.join(' ')}
      style={{ top: props.top, height: ROW_HEIGHT }}
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={props.selected}
      aria-posinset={row.position}
      aria-setsize={row.siblings}
      data-testid={`process-node-${node.id}`}
      data-pid={node.pid ?? ''}
      data-severity={severity ?? undefined}
      onClick={() => props.onOpen(node.id)}
    >
      <span className="process-name-cell" style={{ paddingLeft: row.depth * INDENT }}>
        {/* The expander is for the mouse; keyboard users press Right and Left on the row. */}
        <span
          className="twisty"
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            if (row.hasChildren) props.onToggle(node.id);
          }}
        >
          {expanderGlyph(row)}
        </span>
        <span className="process-name" title={node.image ?? node.name}>
          <Highlighted text={node.name} query={query} />
        </span>
        {node.flags.length > 0 && <FlagStrip flags={node.flags} />}
      </span>
      <span className="process-pid mono">{pidMatched ? <mark>{node.pid}</mark> : (node.pid ?? '—')}</span>
      <span className="process-start mono">{formatEventTime(node.start, zone)}</span>
      <span className="process-sources">
        {PROCESS_SOURCES.map((source) =>
          node.sources.includes(source) ? (
            <span key={source} className={`source-badge source-${source}`} title={SOURCE_LABELS[source].title} data-source={source}>
              {SOURCE_LABELS[source].label}
            </span>
          ) : (
            <span key={source} className="source-badge absent" aria-hidden="true" />
          ),
        )}
      </span>
      <span className="process-user">
        <Highlighted text={node.user ?? ''} query={query} />
      </span>
      <span className="process-cmdline mono" title={node.commandLine ?? undefined}>
        <Highlighted text={node.commandLine ?? ''} query={query} />
      </span>
    </div>
  );
});
