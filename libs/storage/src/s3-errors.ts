import { StorageError, type StorageErrorCode } from './object-store';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchUpload']);
const ACCESS_DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled', 'ExpiredToken', 'InvalidToken']);
const RETRYABLE_NAMES = new Set(['SlowDown', 'RequestTimeout', 'TimeoutError', 'RequestTimeoutException', 'Throttling', 'ThrottlingException', 'ServiceUnavailable', 'InternalError']);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Maps an AWS SDK error to a StorageError: 404/NoSuchKey → not-found, 403 → access-denied, 416 →
 * bad-range, what the retry strategy retries (throttling, 5xx, timeouts, resets) → unavailable once the
 * attempts are spent, anything else → io. The message names the operation, the key, the S3 error and
 * the attempts made.
 */
export function s3StorageError(error: unknown, operation: string, key: string): StorageError {
  if (error instanceof StorageError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = sdk.$metadata?.httpStatusCode;
  const name = sdk.name ?? 'Error';
  const code = classify(sdk, status);
  const attempts = sdk.$metadata?.attempts;
  const what = [name, status !== undefined ? `HTTP ${status}` : networkCode(sdk)].filter(Boolean).join(', ');
  const message = sdk.message && sdk.message !== name && sdk.message !== 'UnknownError' ? `: ${sdk.message}` : '';
  const tries = code === 'unavailable' && attempts !== undefined ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : '';
  return new StorageError(code, `S3 ${operation} ${key} failed${tries} (${what})${message}`, key, { cause: error });
}

function classify(sdk: SdkErrorShape, status: number | undefined): StorageErrorCode {
  const name = sdk.name ?? '';
  if (name === 'AbortError') return 'aborted';
  if (NOT_FOUND.has(name) || status === 404) return 'not-found';
  if (name === 'InvalidRange' || status === 416) return 'bad-range';
  if (ACCESS_DENIED.has(name) || status === 403 || status === 401) return 'access-denied';
  if (isRetryable(sdk, status)) return 'unavailable';
  return 'io';
}

export function isRetryable(sdk: SdkErrorShape, status = sdk.$metadata?.httpStatusCode, depth = 0): boolean {
  if (RETRYABLE_NAMES.has(sdk.name ?? '') || (status !== undefined && RETRYABLE_STATUS.has(status))) return true;
  if (sdk.code !== undefined && NETWORK_CODES.has(sdk.code)) return true;
  if (wrappedNetworkFailure(sdk.message) !== undefined) return true;
  const cause = sdk.cause;
  return depth < 5 && typeof cause === 'object' && cause !== null && isRetryable(cause as SdkErrorShape, undefined, depth + 1);
}

/**
 * The SDK wraps a thrown value that is not an Error of its realm as `AWS SDK error wrapper for <name>: <message>`,
 * losing `code`; the network failure is then only in the text.
 */
function wrappedNetworkFailure(message: string | undefined): string | undefined {
  if (!message?.startsWith('AWS SDK error wrapper for ')) return undefined;
  const code = /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
  if (code && NETWORK_CODES.has(code)) return code;
  if (/socket hang up/.test(message)) return 'ECONNRESET';
  if (/^AWS SDK error wrapper for (TimeoutError|RequestTimeout)\b/.test(message)) return 'ETIMEDOUT';
  return undefined;
}

function networkCode(sdk: SdkErrorShape, depth = 0): string | undefined {
  if (sdk.code !== undefined) return sdk.code;
  const wrapped = wrappedNetworkFailure(sdk.message);
  if (wrapped !== undefined) return wrapped;
  const cause = sdk.cause;
  return depth < 5 && typeof cause === 'object' && cause !== null ? networkCode(cause as SdkErrorShape, depth + 1) : undefined;
}
