// The bar across the top: which case is open, how many events it holds, the display
// time zone, and the import button.

import { formatCount } from '../format/numbers.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { useImportStore } from '../state/importing.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { knownZones, resolveZone } from '../time/zones.ts';

const zones = knownZones();

function TimeZoneSelect() {
  const zone = useTimeZoneStore((state) => state.zone);
  const setZone = useTimeZoneStore((state) => state.setZone);
  return (
    <label className="field">
      <span>Time zone</span>
      <select data-testid="timezone-select" value={zone} onChange={(event) => setZone(event.target.value)}>
        <option value="UTC">UTC</option>
        <option value="local">Local ({resolveZone('local')})</option>
        {/* A zone set elsewhere under an alias (Asia/Kolkata where the list has Asia/Calcutta) still shows. */}
        {zone !== 'UTC' && zone !== 'local' && !zones.includes(zone) && <option value={zone}>{zone}</option>}
        {zones
          .filter((name) => name !== 'UTC')
          .map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
      </select>
    </label>
  );
}

export function TopBar() {
  const info = useCaseStore((state) => state.info);
  const openDialog = useImportStore((state) => state.openDialog);
  return (
    <header className="topbar">
      <div className="brand">
        <img src="./favicon.svg" alt="" width="20" height="20" />
        Casebook
      </div>
      <div className="case-path mono" data-testid="case-path" title={info?.path}>
        {info?.path ?? 'no case loaded'}
      </div>
      <div className="case-events" data-testid="case-events">
        {info ? `${formatCount(info.events)} events` : ''}
      </div>
      <TimeZoneSelect />
      <button type="button" className="primary" data-testid="import-open" onClick={openDialog}>
        Import…
      </button>
    </header>
  );
}
