export { announce, scrape } from './announce';
export { Announcer, type AnnouncerOptions, type TransferStats } from './announcer/announcer';
export { DEFAULT_SCHEDULE, type ScheduleOptions } from './announcer/schedule';
export { realTimers, type TimerHandle, type Timers } from './announcer/timers';
export { TrackerError, type TrackerErrorCode } from './tracker-error';
export type { AnnounceParams, AnnounceResult, ScrapeCounts, ScrapeResult, TrackerEvent, TrackerRequestOptions } from './types';
export { UdpConnectionCache } from './udp/connection-cache';
export { redactTrackerUrl, trackerUrlForLog } from './redact-url';
