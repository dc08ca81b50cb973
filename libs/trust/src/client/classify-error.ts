import { TrustError, type TrustErrorCode } from '../trust-error';
import type { FetchFailure } from './http-fetcher';

// tuf-js throws typed errors from root and timestamp updates but wraps snapshot and targets failures in a
// RuntimeError whose message embeds the original one, so both the class name and the text are matched.
const byMessage: readonly [RegExp, TrustErrorCode][] = [
  [/is expired/, 'expired'],
  [/was signed by \d+\/\d+ keys|failed to verify|no signature for key/, 'bad-signature'],
  [/is less than current version/, 'rollback'],
  [/does not match snapshot version|doesn't match timestamp|Expected version \d+, got \d+/, 'bad-version'],
  [/Expected length|Expected hash|Max length reached|Hash algorithm .* not supported/, 'hash-mismatch'],
  [/Failed to persist metadata/, 'io'],
  [/Unexpected token|is not valid JSON|JSON at position|Unexpected end of JSON|is not defined|must be|is malformed|expected '\w+', got|Unsupported specVersion|Failed to parse specVersion|multiple signatures found/, 'invalid-metadata'],
];

const explanations: Partial<Record<TrustErrorCode, string>> = {
  expired: 'metadata has expired (a freeze attack, or the publisher stopped re-signing)',
  'bad-signature': 'not signed by enough trusted keys',
  rollback: 'older than metadata already trusted (rollback refused)',
  'bad-version': 'version differs from the one the parent metadata names',
  'hash-mismatch': 'bytes differ from the signed length or hash',
  'invalid-metadata': 'malformed metadata',
};

const byClass: Readonly<Record<string, TrustErrorCode>> = {
  ExpiredMetadataError: 'expired',
  UnsignedMetadataError: 'bad-signature',
  LengthOrHashMismatchError: 'hash-mismatch',
  DownloadLengthMismatchError: 'hash-mismatch',
  EqualVersionError: 'bad-version',
  PersistError: 'io',
  SyntaxError: 'invalid-metadata',
  TypeError: 'invalid-metadata',
  ValueError: 'invalid-metadata',
};

/** Turns whatever tuf-js threw into a TrustError with a code and a message saying what was refused. */
export function classifyTufError(error: unknown, context: string, lastFailure: FetchFailure | undefined): TrustError {
  if (error instanceof TrustError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const className = error instanceof Error ? error.constructor.name : '';
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' || /Failed to download|GET https?:\/\//.test(message)) {
    const failure = typeof status === 'number' && lastFailure?.status !== status ? undefined : lastFailure;
    const httpStatus = typeof status === 'number' ? status : failure?.status;
    const code: TrustErrorCode = httpStatus === 404 || httpStatus === 403 ? 'not-found' : 'network';
    const where = failure ? `GET ${failure.url}: ${failure.message}` : message;
    return new TrustError(code, `${context}: ${where}`, { cause: error });
  }
  if (className === 'BadVersionError') {
    const code = /less than current/.test(message) ? 'rollback' : 'bad-version';
    return new TrustError(code, `${context}: ${explanations[code]}: ${message}`, { cause: error });
  }
  const fromMessage = byMessage.find(([pattern]) => pattern.test(message))?.[1];
  const code = fromMessage ?? byClass[className] ?? (isSystemError(error) ? 'io' : 'invalid-metadata');
  const detail = message.replace(/^Unable to load (snapshot metadata|targets) error (\w*Error: )?/, 'loading $1: ').replace('Max length reached', 'more bytes than signed');
  return new TrustError(code, `${context}: ${explanations[code] ?? 'failed'}: ${detail}`, { cause: error });
}

function isSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
