/** Injection token for the validated PublisherConfig. */
export const PUBLISHER_CONFIG = Symbol('PUBLISHER_CONFIG');
