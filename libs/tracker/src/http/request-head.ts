/**
 * The head of one HTTP/1.x request (request line and headers), parsed strictly from raw bytes: the
 * tracker's own server needs only the method, the request target, X-Forwarded-For and whether the
 * connection stays open. Anything ambiguous (bare LF, folded or nameless headers, a body, two lengths) is
 * refused rather than guessed at, so nothing can be smuggled past the next request's start.
 */
export interface RequestHead {
  readonly kind: 'request';
  readonly method: 'GET' | 'HEAD';
  /** The request target exactly as sent (latin1), e.g. `/announce?info_hash=%12...`. */
  readonly target: string;
  /** X-Forwarded-For, repeated headers joined with ", " (as node:http does). */
  readonly forwardedFor: string | undefined;
  /** HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`. */
  readonly keepAlive: boolean;
  /** Bytes of the head including the blank line: where the next pipelined request starts. */
  readonly length: number;
}

export interface HeadRefusal {
  readonly kind: 'refused';
  /** 400, 405, 414, 431 or 505. A bare CR or LF is a control character: 400. */
  readonly status: number;
  readonly reason: string;
}

export interface HeadLimits {
  /** Longest request target (414 beyond). */
  readonly maxTargetLength: number;
  /** Longest head in all (431 beyond). */
  readonly maxHeadLength: number;
  readonly maxHeaders: number;
}

export type HeadParse = RequestHead | HeadRefusal | { readonly kind: 'incomplete' };

const HEAD_END = Buffer.from('\r\n\r\n');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INCOMPLETE = { kind: 'incomplete' } as const;

/** Parses the head at the start of `buffer`; `incomplete` while its blank line has not arrived yet. */
export function parseRequestHead(buffer: Buffer, limits: HeadLimits): HeadParse {
  const end = buffer.indexOf(HEAD_END);
  if (end < 0) return tooLongSoFar(buffer, limits) ?? INCOMPLETE;
  if (end + HEAD_END.length > limits.maxHeadLength) return tooLongSoFar(buffer.subarray(0, end), limits) ?? refuse(431, 'request head too large');
  const head = buffer.toString('latin1', 0, end);
  const lines = head.split('\r\n');
  if (lines.length - 1 > limits.maxHeaders) return refuse(431, `more than ${limits.maxHeaders} header fields`);
  const requestLine = parseRequestLine(lines[0], limits);
  if (requestLine.kind === 'refused') return requestLine;
  const forwarded: string[] = [];
  let connection = '';
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    const colon = line.indexOf(':');
    if (colon <= 0) return refuse(400, 'malformed header field');
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return refuse(400, 'malformed header field name');
    const value = line.slice(colon + 1).trim();
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return refuse(400, 'control character in a header field');
    switch (name.toLowerCase()) {
      case 'x-forwarded-for':
        forwarded.push(value);
        break;
      case 'connection':
        connection = connection === '' ? value.toLowerCase() : `${connection}, ${value.toLowerCase()}`;
        break;
      case 'content-length':
        if (value !== '0') return refuse(400, 'tracker requests carry no body');
        break;
      case 'transfer-encoding':
        return refuse(400, 'tracker requests carry no body');
    }
  }
  const options = connection === '' ? [] : connection.split(',').map((option) => option.trim());
  const keepAlive = requestLine.version === '1.1' ? !options.includes('close') : options.includes('keep-alive');
  return {
    kind: 'request',
    method: requestLine.method,
    target: requestLine.target,
    forwardedFor: forwarded.length === 0 ? undefined : forwarded.join(', '),
    keepAlive,
    length: end + HEAD_END.length,
  };
}

function parseRequestLine(line: string, limits: HeadLimits): { kind: 'line'; method: 'GET' | 'HEAD'; target: string; version: '1.0' | '1.1' } | HeadRefusal {
  const firstSpace = line.indexOf(' ');
  const lastSpace = line.lastIndexOf(' ');
  if (firstSpace <= 0 || lastSpace === firstSpace) return refuse(400, 'malformed request line');
  const method = line.slice(0, firstSpace);
  const target = line.slice(firstSpace + 1, lastSpace);
  const version = line.slice(lastSpace + 1);
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return refuse(version.startsWith('HTTP/') ? 505 : 400, 'only HTTP/1.0 and HTTP/1.1 are spoken here');
  if (target.length > limits.maxTargetLength) return refuse(414, `request target longer than ${limits.maxTargetLength} bytes`);
  if (target === '' || !target.startsWith('/') || /[\x00-\x20\x7f]/.test(target)) return refuse(400, 'malformed request target');
  if (!TOKEN.test(method)) return refuse(400, 'malformed method');
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'use GET');
  return { kind: 'line', method, target, version: version === 'HTTP/1.1' ? '1.1' : '1.0' };
}

/** Without a complete head: 414 once the request line alone is too long, 431 once the head is. */
function tooLongSoFar(buffer: Buffer, limits: HeadLimits): HeadRefusal | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  const lineLength = lineEnd < 0 ? buffer.length : lineEnd;
  // "GET " + target + " HTTP/1.1": the target is over the limit once the line is over it by 14 bytes.
  if (lineLength > limits.maxTargetLength + 14) return refuse(414, `request target longer than ${limits.maxTargetLength} bytes`);
  if (buffer.length >= limits.maxHeadLength) return refuse(431, 'request head too large');
  return undefined;
}

function refuse(status: number, reason: string): HeadRefusal {
  return { kind: 'refused', status, reason };
}
