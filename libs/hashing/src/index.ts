export { HashPoolClosedError, HashReadError, type HashReadReason, HashWorkerCrashedError } from './errors';
export type { FileRange, HashInput, JobBytes, HashJob, HashResult, HashResultFor, HybridJob, HybridResult, Sha1Job, Sha1Result, V2Job, V2Result } from './hash-job';
export { HashPool, type HashPoolOptions, type HashTicket } from './hash-pool';
