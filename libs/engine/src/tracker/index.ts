export { announce, scrape } from './announce';
export { TrackerError, type TrackerErrorCode } from './tracker-error';
export type { AnnounceParams, AnnounceResult, ScrapeCounts, ScrapeResult, TrackerEvent, TrackerRequestOptions } from './types';
export { UdpConnectionCache } from './udp/connection-cache';
