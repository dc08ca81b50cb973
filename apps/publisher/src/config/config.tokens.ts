/** Injection token for the validated PublisherConfig. */
export const PUBLISHER_CONFIG = Symbol('PUBLISHER_CONFIG');
/** The Redis URL (string) the publisher resolved at boot, for clients that need their own connection (BullMQ). */
export const REDIS_URL = Symbol('REDIS_URL');
