export { HashPoolClosedError, HashReadError, type HashReadReason, HashWorkerCrashedError } from './errors';
export type { BatchJob, BatchPartResult, BatchResult, FileRange, FillJob, HashInput, HashJob, HashResult, HashResultFor, HybridJob, HybridResult, JobBytes, Sha1Job, Sha1Result, V2Job, V2Result } from './hash-job';
export { fillJobPoolOptions, HashPool, type HashPoolOptions, type HashTicket } from './hash-pool';
