// Failures shown in the banner under the top bar until the user dismisses them.

import { create } from 'zustand';
import { describeError } from '../api/errors.ts';

export interface ShownError {
  id: number;
  text: string;
}

interface ErrorState {
  errors: ShownError[];
  dismiss(id: number): void;
}

let nextId = 1;

export const useErrorStore = create<ErrorState>()((set) => ({
  errors: [],
  dismiss: (id) => set((state) => ({ errors: state.errors.filter((error) => error.id !== id) })),
}));

/** Shows `error` in the banner as `<context>: <message>`; repeats of the latest text are not added again. */
export function reportError(context: string, error: unknown): void {
  const text = `${context}: ${describeError(error)}`;
  console.error(text);
  useErrorStore.setState((state) => {
    if (state.errors.at(-1)?.text === text) return state;
    return { errors: [...state.errors.slice(-4), { id: nextId++, text }] };
  });
}
