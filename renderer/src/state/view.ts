// Which main view the left navigation shows.

import { create } from 'zustand';

export type ViewName = 'timeline' | 'processes' | 'evidence';

interface ViewState {
  view: ViewName;
  show(view: ViewName): void;
}

export const useViewStore = create<ViewState>()((set) => ({
  view: 'timeline',
  show: (view) => set({ view }),
}));
