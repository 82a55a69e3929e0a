// The pane beside the tree: everything known about the opened process, where each
// source saw it, where sources disagree, its flags, relatives, network and file
// activity, and the jump to its events on the timeline.

import { useEffect, useState } from 'react';
import type { TimelineRow } from '../../../shared/events.ts';
import { PROCESS_SOURCES, type ProcessDetail, type ProcessNode } from '../../../shared/processes.ts';
import { api } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { CopyButton } from '../details/CopyButton.tsx';
import { formatCount } from '../format/numbers.ts';
import { useSelectionStore } from '../state/selection.ts';
import { MAX_PROCESS_FILTER_EVENTS, useTimelineStore } from '../state/timeline.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { useViewStore } from '../state/view.ts';
import { formatEventTime } from '../time/format.ts';
import { resolveZone } from '../time/zones.ts';
import { formatEndpoint } from '../timeline/columns.ts';
import { flagLabel, processFilterLabel, SOURCE_LABELS } from './labels.ts';
import { type DetailPlacement, placeDetail } from './placement.ts';
import { bySeverity, severityGlyph } from './severity.ts';
import { useProcessStore } from './store.ts';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; detail: ProcessDetail };

function nodeText(node: ProcessNode): string {
  return `${node.name} (PID ${node.pid ?? 'unknown'})`;
}

/** Renders a button that selects a related process in the tree and opens its details. */
function ProcessLink(props: { node: ProcessNode; testId?: string }) {
  const reveal = useProcessStore((state) => state.reveal);
  return (
    <button type="button" className="link" data-testid={props.testId} onClick={() => void reveal(props.node)}>
      {nodeText(props.node)}
    </button>
  );
}

/** Opens an event's details in the timeline view. */
function EventLink(props: { eventId: number }) {
  return (
    <button
      type="button"
      className="link mono"
      title="Show this event's details in the timeline view"
      onClick={() => {
        useSelectionStore.getState().select(props.eventId);
        useViewStore.getState().show('timeline');
      }}
    >
      {props.eventId}
    </button>
  );
}

function Field(props: { name: string; value: string | null; mono?: boolean; copy?: boolean }) {
  if (props.value === null || props.value === '') return null;
  return (
    <>
      <dt>{props.name}</dt>
      <dd className={props.mono ? 'mono' : undefined} data-field={props.name}>
        {props.value}
        {props.copy && <CopyButton text={props.value} label={props.name.toLowerCase()} />}
      </dd>
    </>
  );
}

function Flags(props: { detail: ProcessDetail }) {
  const { flags } = props.detail.node;
  if (flags.length === 0) return null;
  return (
    <section aria-label="Flags">
      <h3>Flags</h3>
      <ul className="process-flag-list" data-testid="process-flags">
        {bySeverity(flags).map((flag) => (
          <li key={flag.code} data-flag={flag.code} data-severity={flag.severity}>
            <span className={`flag-marker severity-${flag.severity}`}>
              {severityGlyph(flag.severity)} {flag.severity}: {flagLabel(flag.code)}
            </span>
            <div>{flag.explanation}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function JumpButton(props: { detail: ProcessDetail }) {
  const { node, eventIds } = props.detail;
  const count = eventIds.length;
  return (
    <button
      type="button"
      className="primary"
      data-testid="process-jump"
      disabled={count === 0}
      title={count === 0 ? 'No events are attributed to this process' : undefined}
      onClick={() => {
        useTimelineStore.getState().setProcessFilter(processFilterLabel(node), eventIds);
        useViewStore.getState().show('timeline');
      }}
    >
      Show {formatCount(Math.min(count, MAX_PROCESS_FILTER_EVENTS))} event{count === 1 ? '' : 's'} on timeline
    </button>
  );
}

function Sightings(props: { detail: ProcessDetail; zone: string }) {
  const { sightings } = props.detail;
  if (sightings.length === 0) return null;
  return (
    <section aria-label="Sightings">
      <h3>Seen by</h3>
      <div className="table-scroll">
        <table className="small-table" data-testid="process-sightings">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col">PPID</th>
              <th scope="col">Image or command line</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {sightings.map((sighting, index) => (
              // Two sightings from one source (a Sysmon start and end) may share every field.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
              <tr key={index} data-source={sighting.source}>
                <td title={SOURCE_LABELS[sighting.source].title}>{SOURCE_LABELS[sighting.source].label}</td>
                <td className="mono nowrap">{formatEventTime(sighting.start, props.zone)}</td>
                <td className="mono nowrap">{formatEventTime(sighting.end, props.zone)}</td>
                <td className="num">{sighting.ppid ?? ''}</td>
                <td className="mono wrap">{sighting.commandLine ?? sighting.image ?? ''}</td>
                <td>{sighting.eventId !== null && <EventLink eventId={sighting.eventId} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function EventTable(props: { title: string; testId: string; rows: TimelineRow[]; zone: string; network: boolean }) {
  const { rows, zone } = props;
  return (
    <section aria-label={props.title}>
      <h3>
        {props.title} <span className="secondary">({formatCount(rows.length)})</span>
      </h3>
      {rows.length === 0 ? (
        <p className="secondary">None recorded.</p>
      ) : (
        <div className="table-scroll">
          <table className="small-table" data-testid={props.testId}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {props.network && <th scope="col">Source</th>}
                {props.network && <th scope="col">Destination</th>}
                <th scope="col">{props.network ? 'Message' : 'Event'}</th>
                <th scope="col">ID</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.event_id}>
                  <td className="mono nowrap">{formatEventTime(row.ts, zone)}</td>
                  {props.network && <td className="mono nowrap">{formatEndpoint(row.src_ip, row.src_port)}</td>}
                  {props.network && <td className="mono nowrap">{formatEndpoint(row.dst_ip, row.dst_port)}</td>}
                  <td className="wrap">{row.message}</td>
                  <td>
                    <EventLink eventId={row.event_id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DetailBody(props: { detail: ProcessDetail; zone: string }) {
  const { detail, zone } = props;
  const { node } = detail;
  return (
    <>
      <Flags detail={detail} />
      <div className="process-actions">
        <JumpButton detail={detail} />
      </div>
      <dl className="citation process-fields">
        <Field name="Host" value={node.host} />
        <Field name="PID" value={node.pid === null ? null : String(node.pid)} />
        <Field name="PPID" value={node.ppid === null ? null : String(node.ppid)} />
        <dt>Parent</dt>
        <dd data-field="Parent">{detail.parent ? <ProcessLink node={detail.parent} testId="process-parent" /> : 'not in the case'}</dd>
        <Field name="Image" value={node.image} mono />
        <Field name="Command line" value={node.commandLine} mono copy />
        <Field name="User" value={node.user} />
        <Field name="Integrity level" value={detail.integrityLevel} />
        <Field name="Hashes" value={detail.hashes} mono copy />
        <Field name="Start" value={node.start === null ? null : formatEventTime(node.start, zone)} mono />
        <Field name="End" value={node.end === null ? null : formatEventTime(node.end, zone)} mono />
        <Field name="ProcessGuid" value={node.guid} mono />
        <Field
          name="Sources"
          value={PROCESS_SOURCES.filter((source) => node.sources.includes(source))
            .map((source) => SOURCE_LABELS[source].label)
            .join(', ')}
        />
      </dl>
      {detail.conflicts.length > 0 && (
        <section aria-label="Conflicts">
          <h3>Sources disagree</h3>
          <ul className="process-conflicts" data-testid="process-conflicts">
            {detail.conflicts.map((conflict) => (
              <li key={conflict}>{conflict}</li>
            ))}
          </ul>
        </section>
      )}
      <Sightings detail={detail} zone={zone} />
      <section aria-label="Children">
        <h3>
          Children <span className="secondary">({formatCount(detail.children.length)})</span>
        </h3>
        {detail.children.length === 0 ? (
          <p className="secondary">None recorded.</p>
        ) : (
          <ul className="process-children" data-testid="process-children">
            {detail.children.map((child) => (
              <li key={child.id}>
                <ProcessLink node={child} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <EventTable title="Network" testId="process-network" rows={detail.network} zone={zone} network />
      <EventTable title="Files" testId="process-files" rows={detail.files} zone={zone} network={false} />
    </>
  );
}

/** Says that the tree beside the pane does not show this process, and offers to show it. */
function PlacementNotice(props: { node: ProcessNode; placement: DetailPlacement }) {
  const { node, placement } = props;
  if (placement.kind === 'shown') return null;
  const reveal = useProcessStore.getState().reveal;
  const text =
    placement.kind === 'other-host'
      ? `Not in the tree shown: this process ran on ${node.host}${placement.treeHost === null ? '' : `, and the tree shows ${placement.treeHost}`}.`
      : `Not in the tree shown: the search "${placement.query}" hides it.`;
  return (
    <div className="stale-notice" role="status" data-testid="process-details-placement" data-placement={placement.kind}>
      <span>{text}</span>
      <button type="button" data-testid="process-details-show" onClick={() => void reveal(node)}>
        {placement.kind === 'other-host' ? 'Show in tree' : 'Clear search and show'}
      </button>
    </div>
  );
}

export function ProcessDetails() {
  const detailId = useProcessStore((state) => state.detailId);
  const forest = useProcessStore((state) => state.forest);
  const treeHost = useProcessStore((state) => state.host);
  const search = useProcessStore((state) => state.search);
  const setting = useTimeZoneStore((state) => state.zone);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  useEffect(() => {
    if (detailId === null) return;
    let current = true;
    setLoaded({ state: 'loading' });
    api.processDetail(detailId).then(
      (detail) => current && setLoaded({ state: 'ready', detail }),
      (error: unknown) => current && setLoaded({ state: 'error', message: describeError(error) }),
    );
    return () => {
      current = false;
    };
  }, [detailId]);

  if (detailId === null) return null;
  const detail = loaded.state === 'ready' && loaded.detail.node.id === detailId ? loaded.detail : null;
  // The loaded detail names the process on any host, but the forest only on the host it shows.
  const node = detail?.node ?? forest?.byId.get(detailId);
  const placement = node ? placeDetail(node, treeHost, search) : null;
  const away = placement !== null && placement.kind !== 'shown';
  return (
    <aside
      className={`details process-details${away ? ' details-away' : ''}`}
      data-testid="process-details"
      data-placement={placement?.kind}
      aria-label={`Process ${node ? nodeText(node) : detailId}`}
    >
      <div className="section-head">
        <h2>{node ? nodeText(node) : `Process ${detailId}`}</h2>
        <button
          type="button"
          data-testid="process-details-close"
          aria-label="Close process details"
          onClick={() => useProcessStore.setState({ detailId: null })}
        >
          ✕
        </button>
      </div>
      {node && placement && <PlacementNotice node={node} placement={placement} />}
      {loaded.state === 'loading' && <p className="secondary">Loading…</p>}
      {loaded.state === 'error' && (
        <p className="error" role="alert">
          Could not load process {detailId}: {loaded.message}
        </p>
      )}
      {detail && <DetailBody detail={detail} zone={resolveZone(setting)} />}
    </aside>
  );
}
