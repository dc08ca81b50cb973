export { HashPoolClosedError, HashWorkerCrashedError } from './errors';
export type { HashInput, HashJob, HashResult, HashResultFor, HybridJob, HybridResult, Sha1Job, Sha1Result, V2Job, V2Result } from './hash-job';
export { HashPool, type HashPoolOptions, type HashTicket } from './hash-pool';
