export { parseRawQuery } from './raw-query';
export type { TestTrackerPeer } from './test-swarms';
export { type RecordedAnnounce, startTestTracker, type TestTracker, type TestTrackerOptions } from './test-tracker';
