/**
 * Why the tracker refuses a request. Refusals are values, not exceptions: the transports turn them into a
 * bencoded `failure reason` with a 4xx status (HTTP) or an error datagram (UDP).
 */
export type FailureCode =
  | 'malformed-request'
  | 'request-too-large'
  | 'unknown-passkey'
  | 'passkey-required'
  | 'unregistered-info-hash'
  | 'not-found'
  | 'unavailable';

export interface TrackerFailure {
  readonly failure: FailureCode;
  /** Sent to the client as `failure reason`; says what to fix. */
  readonly reason: string;
}

export function failure(code: FailureCode, reason: string): TrackerFailure {
  return { failure: code, reason };
}

export function isFailure(value: unknown): value is TrackerFailure {
  return typeof value === 'object' && value !== null && 'failure' in value && 'reason' in value;
}

/**
 * Broken requests get a 4xx. Refusals of well-formed requests get 200 like opentracker's, because
 * libtorrent and Transmission show a `failure reason` to the user only from a 200 response.
 */
const statusByCode: Readonly<Record<FailureCode, number>> = {
  'malformed-request': 400,
  'request-too-large': 414,
  'unknown-passkey': 200,
  'passkey-required': 200,
  'unregistered-info-hash': 200,
  'not-found': 404,
  unavailable: 503,
};

export function httpStatusOf(value: TrackerFailure): number {
  return statusByCode[value.failure];
}
