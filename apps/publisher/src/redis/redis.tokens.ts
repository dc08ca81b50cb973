/** Injection token for the shared ioredis client (queues and rollout state). */
export const REDIS = Symbol('REDIS');
