// The right-hand pane: every unified field of the selected event, its evidence
// citation, and the original record exactly as stored.

import { useEffect, useMemo, useState } from 'react';
import type { EventDetail } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { useSelectionStore } from '../state/selection.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { formatEventTime } from '../time/format.ts';
import { resolveZone, zoneLabel } from '../time/zones.ts';
import { CopyButton } from './CopyButton.tsx';
import { activeConditions } from './membership.ts';
import { prettyJson } from './prettyJson.ts';
import { type Membership, useResultMembership } from './useResultMembership.ts';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; detail: EventDetail };

function fieldText(value: EventDetail['fields'][string]): string {
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function FieldTable(props: { detail: EventDetail; zone: string; zoneText: string }) {
  const { detail, zone, zoneText } = props;
  const entries = Object.entries(detail.fields).filter(([, value]) => value !== null);
  return (
    <table className="fields" data-testid="details-fields">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name} data-field={name}>
            <th scope="row">{name}</th>
            <td className={name === 'ts' ? 'mono' : undefined}>
              {name === 'ts' && typeof value === 'string' ? (
                <>
                  {value}
                  {zone !== 'UTC' && <div className="secondary">{`${formatEventTime(value, zone)} (${zoneText})`}</div>}
                </>
              ) : (
                fieldText(value as EventDetail['fields'][string])
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Citation(props: { detail: EventDetail }) {
  const { evidence, row } = props.detail;
  return (
    <dl className="citation" data-testid="details-evidence">
      <dt>File</dt>
      <dd className="mono" data-testid="details-evidence-path">
        {evidence.path}
      </dd>
      <dt>SHA-256</dt>
      <dd className="mono hash">
        <span data-testid="details-evidence-sha256">{evidence.sha256}</span>
        <CopyButton text={evidence.sha256} label="SHA-256" />
      </dd>
      <dt>Locator</dt>
      <dd className="mono" data-testid="details-locator">
        {row.locator}
      </dd>
    </dl>
  );
}

function OriginalRecord(props: { data: string }) {
  const pretty = useMemo(() => prettyJson(props.data), [props.data]);
  return (
    <section aria-label="Original record">
      <div className="section-head">
        <h3>Original record</h3>
        <CopyButton text={pretty} label="original record" testId="details-copy-record" />
      </div>
      <pre className="record" data-testid="details-record">
        {pretty}
      </pre>
    </section>
  );
}

/**
 * Returns true inside a text field or a grid popup such as a column's filter menu. Escape
 * there clears the field or closes the popup, and the details pane stays open.
 */
function ownsEscape(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input, textarea, select, .ag-popup') !== null;
}

/** Tells that the timeline's current results leave the shown event out, and which conditions are set. */
function MembershipNotice(props: { membership: Membership }) {
  const { membership } = props;
  if (membership.state === 'error') {
    return (
      <p className="secondary" data-testid="details-membership-error">
        Could not check whether this event is in the current results: {membership.message}
      </p>
    );
  }
  if (membership.state !== 'out') return null;
  const conditions = activeConditions(membership.query);
  return (
    <div className="stale-notice" role="status" data-testid="details-not-in-results">
      <span>
        Not in the timeline's current results
        {conditions.length > 0 ? ` (${conditions.join(', ')})` : ''}. The details stay for reference.
      </span>
    </div>
  );
}

export function DetailsPane() {
  const eventId = useSelectionStore((state) => state.eventId);
  const select = useSelectionStore((state) => state.select);
  const setting = useTimeZoneStore((state) => state.zone);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const membership = useResultMembership(eventId);

  useEffect(() => {
    if (eventId === null) return;
    let current = true;
    setLoaded({ state: 'loading' });
    api.eventDetail(eventId).then(
      (detail) => current && setLoaded({ state: 'ready', detail }),
      (error: unknown) => current && setLoaded({ state: 'error', message: describeError(error) }),
    );
    return () => {
      current = false;
    };
  }, [eventId]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !ownsEscape(event.target)) select(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [select]);

  if (eventId === null) return null;
  return (
    <aside
      className={`details${membership.state === 'out' ? ' details-away' : ''}`}
      data-testid="details-pane"
      data-membership={membership.state}
      aria-label={`Event ${eventId}`}
    >
      <div className="section-head">
        <h2>Event {eventId}</h2>
        <button type="button" data-testid="details-close" aria-label="Close details (Escape)" onClick={() => select(null)}>
          ✕
        </button>
      </div>
      <MembershipNotice membership={membership} />
      {loaded.state === 'loading' && <p className="secondary">Loading…</p>}
      {loaded.state === 'error' && (
        <p className="error" role="alert">
          Could not load event {eventId}: {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && loaded.detail.row.event_id === eventId && (
        <>
          <Citation detail={loaded.detail} />
          <FieldTable detail={loaded.detail} zone={resolveZone(setting)} zoneText={zoneLabel(setting)} />
          <OriginalRecord data={loaded.detail.data} />
        </>
      )}
    </aside>
  );
}
