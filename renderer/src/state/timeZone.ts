// The display time zone, kept in localStorage so it survives restarts.

import { create } from 'zustand';
import { isValidZone, type ZoneSetting } from '../time/zones.ts';

const STORAGE_KEY = 'casebook.timeZone';

function storedZone(): ZoneSetting {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'local' || (stored && isValidZone(stored))) return stored;
  } catch {
    // Storage can be switched off; UTC is the default then.
  }
  return 'UTC';
}

interface TimeZoneState {
  zone: ZoneSetting;
  setZone(zone: ZoneSetting): void;
}

export const useTimeZoneStore = create<TimeZoneState>()((set) => ({
  zone: storedZone(),
  setZone: (zone) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, zone);
    } catch {
      // Not persisted, but the choice still applies to this window.
    }
    set({ zone });
  },
}));
