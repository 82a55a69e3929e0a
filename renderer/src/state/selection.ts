// The event whose details the right-hand pane shows.

import { create } from 'zustand';

interface SelectionState {
  eventId: number | null;
  select(eventId: number | null): void;
}

export const useSelectionStore = create<SelectionState>()((set) => ({
  eventId: null,
  select: (eventId) => set({ eventId }),
}));
