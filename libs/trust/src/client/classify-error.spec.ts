import { TrustError } from '../trust-error';
import { classifyTufError } from './classify-error';

class BadVersionError extends Error {}
class PersistError extends Error {}
class DownloadHTTPError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

describe('classifyTufError', () => {
  it.each([
    [new Error('Unable to load targets error Error: Version 3 of targets does not match snapshot version 4'), 'bad-version'],
    [new BadVersionError("Snapshot version doesn't match timestamp"), 'bad-version'],
    [new BadVersionError('New snapshot version 1 is less than current version 2'), 'rollback'],
    [new Error('Unable to load snapshot metadata error Error: snapshot.json is expired'), 'expired'],
    [new Error('Unable to load snapshot metadata error Error: Expected length 10 but got 11'), 'hash-mismatch'],
    [new PersistError('Failed to persist metadata timestamp error: EACCES'), 'io'],
    [new SyntaxError('Unexpected token } in JSON at position 4'), 'invalid-metadata'],
    [new TypeError('signatures is not an array'), 'invalid-metadata'],
    [new DownloadHTTPError('GET http://x/timestamp.json: HTTP 403', 403), 'not-found'],
    [new DownloadHTTPError('GET http://x/timestamp.json: HTTP 503', 503), 'network'],
    [new Error('Unable to load targets error Error: GET http://x/2.targets.json: ETIMEDOUT'), 'network'],
  ])('%s -> %s', (error, code) => {
    const classified = classifyTufError(error, 'refreshing metadata', undefined);
    expect(classified).toBeInstanceOf(TrustError);
    expect(classified.code).toBe(code);
    expect(classified.message).toMatch(/^refreshing metadata: /);
    expect(classified.cause).toBe(error);
  });

  it('names the URL and status of the request that failed inside a wrapped error', () => {
    const error = new Error('Unable to load targets error Error: GET http://repo/metadata/2.targets.json: HTTP 404');
    const classified = classifyTufError(error, 'refreshing metadata', { url: 'http://repo/metadata/2.targets.json', status: 404, message: 'HTTP 404' });
    expect({ code: classified.code, message: classified.message }).toEqual({ code: 'not-found', message: 'refreshing metadata: GET http://repo/metadata/2.targets.json: HTTP 404' });
  });

  it('passes TrustErrors through', () => {
    const error = new TrustError('not-found', 'x');
    expect(classifyTufError(error, 'c', undefined)).toBe(error);
  });
});
