export { parseContentRange, type ContentRange } from './content-range';
export { type FetchPlan, planFetch, type PlannedPiece, type Segment, type SegmentPart } from './fetch-plan';
export { webSeedFileUrls } from './file-urls';
export { parseRetryAfter } from './retry-after';
export { absoluteTarget, redirectTarget, type RequestTarget } from './request-target';
export { DEFAULT_MIN_RUN_BYTES, nextRun, type PieceRun, type RunLimits } from './run-planner';
export { WebSeed, type WebSeedFetch, type WebSeedFetchResult, type WebSeedStats } from './web-seed';
export { WebSeedError, type WebSeedErrorCode } from './web-seed-error';
export { DEFAULT_WEB_SEED_OPTIONS, resolveWebSeedOptions, type WebSeedOptions } from './web-seed-options';
