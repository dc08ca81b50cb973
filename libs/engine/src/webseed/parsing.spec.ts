import { parseContentRange } from './content-range';
import { parseRetryAfter } from './retry-after';
import { absoluteTarget, redirectTarget } from './request-target';
import { WebSeedError } from './web-seed-error';

describe('parseContentRange', () => {
  it.each([
    ['bytes 0-99/1000', { first: 0, last: 99, total: 1000 }],
    ['bytes 5-5/*', { first: 5, last: 5, total: undefined }],
    ['  BYTES 10-19/20 ', { first: 10, last: 19, total: 20 }],
  ])('%p', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });

  it.each([undefined, '', 'bytes */1000', 'bytes 9-0/10', 'bytes 0-10/10', 'bytes=0-9/10', 'items 0-9/10', 'bytes 0-9', 'bytes -1-9/10', 'bytes 0-99999999999999999/*'])(
    'refuses %p',
    (header) => {
      expect(parseContentRange(header)).toBeUndefined();
    },
  );
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Sat, 21 Nov 2026 20:00:00 GMT');
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 7 ', 7000],
    ['2026', 2_026_000],
    ['Sat, 21 Nov 2026 20:00:30 GMT', 30_000],
    ['Saturday, 21-Nov-26 20:01:00 GMT', 60_000],
    ['Sat Nov 21 20:00:05 2026', 5000],
    ['Sat, 21 Nov 2026 19:00:00 GMT', 0],
  ])('%p is %d ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '2026-11-21', 'Sat, 99 Foo 2026 20:00:00 GMT'])('%p is unreadable', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});

describe('request targets', () => {
  const current = absoluteTarget('http://origin.test:8080/files/rel%201/a.bin?token=1');
  const query = "?X-Amz-Credential=AKIA%2F2026&x=a+b~c'd'|e&X-Amz-Signature=abc";

  it('takes an absolute URL apart without re-encoding its path or query', () => {
    expect(current).toEqual({ protocol: 'http:', hostname: 'origin.test', port: 8080, path: '/files/rel%201/a.bin?token=1', url: 'http://origin.test:8080/files/rel%201/a.bin?token=1' });
    expect(absoluteTarget(`https://[::1]/x${query}`)).toMatchObject({ protocol: 'https:', hostname: '::1', port: 443, path: `/x${query}` });
    expect(absoluteTarget('http://h.test')).toMatchObject({ port: 80, path: '/' });
    expect(absoluteTarget('http://h.test?q=1')).toMatchObject({ path: '/?q=1' });
    // Unicode in a url-list entry goes out as UTF-8 escapes.
    expect(absoluteTarget('http://h.test/é b').path).toBe('/%C3%A9%20b');
  });

  it.each([
    [`https://bucket.s3.test/key${query}`, { protocol: 'https:', hostname: 'bucket.s3.test', port: 443, path: `/key${query}` }],
    [`//cdn.test/key${query}`, { protocol: 'http:', hostname: 'cdn.test', port: 80, path: `/key${query}` }],
    [`/other/key${query}`, { hostname: 'origin.test', port: 8080, path: `/other/key${query}` }],
    [`../b/./c${query}`, { path: `/files/b/c${query}` }],
    [`sibling${query}`, { path: `/files/rel%201/sibling${query}` }],
    [query, { path: `/files/rel%201/a.bin${query}` }],
    [`/k${query}#fragment`, { path: `/k${query}` }],
  ])('resolves Location %p and keeps its query as written', (location, expected) => {
    expect(redirectTarget(current, location)).toMatchObject(expected);
  });

  it('percent-encodes header bytes that cannot go on a request line, byte for byte', () => {
    // Node hands header values over as latin1: 0xE9 is one byte.
    expect(redirectTarget(current, '/a b\u00e9?q=x y').path).toBe('/a%20b%E9?q=x%20y');
  });

  it.each([undefined, '', '  ', 'ftp://h/x', 'mailto:a@b', 'data:,x', 'http://[bad'])('refuses Location %p', (location) => {
    expect(() => redirectTarget(current, location)).toThrow(WebSeedError);
    try {
      redirectTarget(current, location);
    } catch (error) {
      expect((error as WebSeedError).code).toBe('bad-redirect');
    }
  });

  it.each(['ftp://h/x', 'not a url', 'file:///x'])('refuses url-list entry %p as bad-url', (url) => {
    expect(() => absoluteTarget(url)).toThrow(expect.objectContaining({ code: 'bad-url' }));
  });
});
