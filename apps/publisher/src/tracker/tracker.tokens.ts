/** The tracker's own ioredis client (TRACKER_REDIS_URL, else the publisher's Redis). */
export const TRACKER_REDIS = Symbol('TRACKER_REDIS');
/** RedisSwarmStore: SwarmStore and TrackerRegistry (releases register info hashes, agents passkeys). */
export const TRACKER_STORE = Symbol('TRACKER_STORE');
export const TRACKER_CONFIG = Symbol('TRACKER_CONFIG');
export const TRACKER_UDP_SECRET = Symbol('TRACKER_UDP_SECRET');
