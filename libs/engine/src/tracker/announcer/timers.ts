/** Opaque handle of a scheduled callback. */
export type TimerHandle = unknown;

/** Scheduling, injected so tests drive time by hand (testing/manual-timers.ts) instead of waiting. */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's timers, unref'd: a pending re-announce never keeps a process alive on its own. */
export const realTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
