// The display time-zone setting: UTC, the machine's local zone, or an IANA zone name.

export type ZoneSetting = 'UTC' | 'local' | (string & {});

/** The IANA name the setting stands for; `local` resolves to the zone the runtime reports. */
export function resolveZone(setting: ZoneSetting): string {
  if (setting === 'local') return Intl.DateTimeFormat().resolvedOptions().timeZone;
  return setting;
}

/** True when Intl knows the zone name. */
export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Text for the grid header and the selector: `UTC`, `local (Europe/Berlin)` or the IANA name. */
export function zoneLabel(setting: ZoneSetting): string {
  if (setting === 'local') return `local (${resolveZone('local')})`;
  return setting;
}

/** Every zone the runtime knows, for the selector; UTC first. */
export function knownZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}
