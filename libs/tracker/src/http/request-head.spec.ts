import fc from 'fast-check';
import { parseRequestHead, type HeadLimits } from './request-head';

const limits: HeadLimits = { maxTargetLength: 100, maxHeadLength: 400, maxHeaders: 5 };
const parse = (text: string) => parseRequestHead(Buffer.from(text, 'latin1'), limits);

describe('parseRequestHead', () => {
  it('reads method, raw target, forwarded-for and keep-alive, and where the next request starts', () => {
    const text = 'GET /announce?info_hash=%00%ff HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\n\r\nGET /next';
    expect(parse(text)).toEqual({ kind: 'request', method: 'GET', target: '/announce?info_hash=%00%ff', forwardedFor: '10.0.0.1, 10.0.0.2', keepAlive: true, length: text.indexOf('GET /next') });
  });

  it.each([
    ['HTTP/1.1 by default', 'GET / HTTP/1.1\r\n\r\n', true],
    ['HTTP/1.1 with Connection: close', 'GET / HTTP/1.1\r\nConnection: Keep-Alive, Close\r\n\r\n', false],
    ['HTTP/1.0 by default', 'HEAD / HTTP/1.0\r\n\r\n', false],
    ['HTTP/1.0 with Connection: keep-alive', 'GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n', true],
  ])('keeps the connection: %s', (_, text, keepAlive) => {
    expect(parse(text)).toMatchObject({ kind: 'request', keepAlive });
  });

  it.each([
    ['no blank line yet', 'GET /announce HTTP/1.1\r\nHost: t\r\n'],
    ['half a request line', 'GET /annou'],
  ])('waits: %s', (_, text) => {
    expect(parse(text)).toEqual({ kind: 'incomplete' });
  });

  it.each([
    ['a POST', 'POST /announce HTTP/1.1\r\n\r\n', 405],
    ['a body', 'GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n', 400],
    ['chunked', 'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['HTTP/2 text', 'GET / HTTP/2.0\r\n\r\n', 505],
    ['no version', 'GET /\r\n\r\n', 400],
    ['a space in the target', 'GET /a b HTTP/1.1\r\n\r\n', 400],
    ['a control character in the target', 'GET /a\x01 HTTP/1.1\r\n\r\n', 400],
    ['an absolute-form target', 'GET http://t/announce HTTP/1.1\r\n\r\n', 400],
    ['a folded header', 'GET / HTTP/1.1\r\nA: b\r\n  c\r\n\r\n', 400],
    ['a header without a colon', 'GET / HTTP/1.1\r\nnonsense\r\n\r\n', 400],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : t\r\n\r\n', 400],
    ['a bare LF inside a value', 'GET / HTTP/1.1\r\nA: b\nc\r\n\r\n', 400],
    ['a bare CR inside a value', 'GET / HTTP/1.1\r\nA: b\rc\r\n\r\n', 400],
    ['too many headers', `GET / HTTP/1.1\r\n${'A: b\r\n'.repeat(6)}\r\n`, 431],
    ['a long target', `GET /${'a'.repeat(100)} HTTP/1.1\r\n\r\n`, 414],
    ['a long target still arriving', `GET /${'a'.repeat(120)}`, 414],
    ['a long head', `GET / HTTP/1.1\r\nA: ${'b'.repeat(400)}\r\n\r\n`, 431],
    ['a long head still arriving', `GET / HTTP/1.1\r\nA: ${'b'.repeat(400)}`, 431],
  ])('refuses %s', (_, text, status) => {
    expect(parse(text)).toMatchObject({ kind: 'refused', status });
  });

  it('never throws, and a request it accepts ends where it says', () => {
    const token = fc.constantFrom('GET', 'HEAD', 'POST', ' ', '/', '?', '\r\n', '\r\n\r\n', 'HTTP/1.1', 'HTTP/1.0', ':', 'Connection: close', 'X-Forwarded-For: 1.2.3.4', '\x00', '\xff', 'a');
    const input = fc.oneof(fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)), fc.array(token, { maxLength: 40 }).map((parts) => Buffer.from(parts.join(''), 'latin1')));
    fc.assert(
      fc.property(input, (bytes) => {
        const head = parseRequestHead(bytes, limits);
        if (head.kind === 'request') expect(bytes.subarray(head.length - 4, head.length).toString('latin1')).toBe('\r\n\r\n');
      }),
      { numRuns: 2000 },
    );
  });
});
