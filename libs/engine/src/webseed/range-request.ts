import { type Agent as HttpAgent, type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parseContentRange } from './content-range';
import { parseRetryAfter } from './retry-after';
import { redirectTarget, type RequestTarget } from './request-target';
import { TransferWatchdog, type WatchdogLimits } from './transfer-watchdog';
import { asWebSeedError, WebSeedError } from './web-seed-error';

export interface RangeRequestContext extends WatchdogLimits {
  readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  readonly maxRedirects: number;
  readonly userAgent: string;
  readonly wallClock: () => number;
  readonly signal: AbortSignal;
  /** Counts every HTTP exchange (redirect hops included), for stats and tests. */
  readonly onExchange?: (target: RequestTarget) => void;
  readonly onRedirect?: (to: RequestTarget) => void;
}

/** Bytes [start, start + length) of a file that is `fileLength` bytes long. */
export interface FileRange {
  readonly start: number;
  readonly length: number;
  readonly fileLength: number;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** A redirect body this small is read to the end so its keep-alive socket can be reused; larger ones are cut. */
const DRAINABLE_BYTES = 64 * 1024;

/**
 * GETs one byte range of one file, following redirects, and hands each body chunk to `onBody` only after
 * checking it belongs to the range: a 206 whose Content-Range is exactly the range asked, whose
 * Content-Length (if any) is the range's length, uncompressed, and a body that neither overruns nor falls
 * short. Anything else rejects with a WebSeedError; no byte of a refused reply reaches `onBody`.
 */
export async function fetchRange(start: RequestTarget, range: FileRange, onBody: (chunk: Buffer) => void, context: RangeRequestContext): Promise<void> {
  let target = start;
  let freshSocketRetried = false;
  for (let hop = 0; ; ) {
    let answer: Answer;
    try {
      answer = await exchange(target, range, onBody, context);
    } catch (error) {
      // A keep-alive socket the server closed while idle fails before any reply: one immediate retry.
      if (error instanceof StaleSocketError && !freshSocketRetried) {
        freshSocketRetried = true;
        continue;
      }
      throw error instanceof StaleSocketError ? error.wrapped : error;
    }
    if (answer.kind === 'done') return;
    if (++hop > context.maxRedirects) throw new WebSeedError('too-many-redirects', start.url, `more than ${context.maxRedirects} redirects (last to ${answer.target.url})`);
    target = answer.target;
    context.onRedirect?.(target);
  }
}

type Answer = { kind: 'done' } | { kind: 'redirect'; target: RequestTarget };

class StaleSocketError extends Error {
  constructor(readonly wrapped: WebSeedError) {
    super(wrapped.message);
  }
}

function exchange(target: RequestTarget, range: FileRange, onBody: (chunk: Buffer) => void, context: RangeRequestContext): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { signal } = context;
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    let request: ClientRequest | undefined;
    let response: IncomingMessage | undefined;
    const finish = (error: unknown, answer?: Answer) => {
      if (settled) return;
      settled = true;
      watchdog.stop();
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve(answer!);
        return;
      }
      // The request dies with its socket: a half-read body must never be handed to the next request.
      response?.destroy();
      request?.destroy();
      reject(error);
    };
    const fail = (code: ConstructorParameters<typeof WebSeedError>[0], message: string, options?: { status?: number; retryAfterMs?: number; cause?: unknown }) =>
      finish(new WebSeedError(code, target.url, message, options));
    const onAbort = () => finish(signal.reason);
    const watchdog = new TransferWatchdog(context, (trip, message) => fail(trip, message));

    const end = range.start + range.length - 1;
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    context.onExchange?.(target);
    try {
      request = send({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        method: 'GET',
        agent: target.protocol === 'https:' ? context.agents.https : context.agents.http,
        headers: { range: `bytes=${range.start}-${end}`, 'accept-encoding': 'identity', 'user-agent': context.userAgent },
      });
    } catch (error) {
      // node:http refuses some paths and header values synchronously (ERR_UNESCAPED_CHARACTERS...).
      fail('bad-url', error instanceof Error ? error.message : String(error), { cause: error });
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    watchdog.start();
    // 'on', not 'once': destroying a request or reply can emit a late error that must not go unheard.
    request.on('error', (error) => {
      const wrapped = asWebSeedError(error, target.url);
      finish(request?.reusedSocket && response === undefined && !settled ? new StaleSocketError(wrapped) : wrapped);
    });
    request.once('response', (reply) => {
      response = reply;
      reply.on('error', (error) => finish(asWebSeedError(error, target.url)));
      watchdog.activity(0);
      const status = reply.statusCode ?? 0;
      if (redirectStatuses.has(status)) {
        let next: RequestTarget;
        try {
          next = redirectTarget(target, reply.headers.location);
        } catch (error) {
          finish(error);
          return;
        }
        discard(reply);
        finish(undefined, { kind: 'redirect', target: next });
        return;
      }
      const problem = checkHeaders(reply, range, context.wallClock());
      if (problem) {
        finish(new WebSeedError(problem.code, target.url, problem.message, problem));
        return;
      }
      let received = 0;
      reply.on('data', (chunk: Buffer) => {
        if (settled) return;
        watchdog.activity(chunk.length);
        if (received + chunk.length > range.length) {
          fail('body-too-long', `the body runs past the ${range.length} bytes asked for`);
          return;
        }
        received += chunk.length;
        try {
          onBody(chunk);
        } catch (error) {
          finish(error);
        }
      });
      reply.once('end', () => {
        if (received < range.length) fail('body-too-short', `the body ended after ${received} of ${range.length} bytes`);
        else finish(undefined, { kind: 'done' });
      });
      // A reset after the headers ends some responses with 'close' alone.
      reply.once('close', () => {
        if (!reply.complete) fail('connection', `the connection closed after ${received} of ${range.length} bytes`);
      });
    });
    request.end();
  });
}

interface HeaderProblem {
  readonly code: ConstructorParameters<typeof WebSeedError>[0];
  readonly message: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/** Everything that makes a reply's body unusable as the range asked, decided before reading it. */
function checkHeaders(reply: IncomingMessage, range: FileRange, wallClock: number): HeaderProblem | undefined {
  const status = reply.statusCode ?? 0;
  const end = range.start + range.length - 1;
  if (status === 503 || status === 429) {
    const retryAfterMs = parseRetryAfter(headerText(reply.headers['retry-after']), wallClock);
    return { code: 'unavailable', message: `${status}${retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`}`, status, retryAfterMs };
  }
  if (status === 200) return { code: 'range-ignored', message: `200 to a request for bytes ${range.start}-${end}: the server ignores Range`, status };
  if (status !== 206) return { code: 'http-status', message: `status ${status} to a request for bytes ${range.start}-${end}`, status };
  const encoding = headerText(reply.headers['content-encoding'])?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return { code: 'bad-encoding', message: `a ${encoding}-encoded body` };
  const header = headerText(reply.headers['content-range']);
  const contentRange = parseContentRange(header);
  if (!contentRange || contentRange.first !== range.start || contentRange.last !== end) {
    return { code: 'bad-content-range', message: `Content-Range ${JSON.stringify(header ?? null)} for a request for bytes ${range.start}-${end}` };
  }
  if (contentRange.total !== undefined && contentRange.total !== range.fileLength) {
    return { code: 'bad-content-range', message: `the file is ${contentRange.total} bytes on the server, the torrent says ${range.fileLength}` };
  }
  const declared = reply.headers['content-length'];
  if (declared !== undefined && Number(declared) !== range.length) {
    return Number(declared) > range.length
      ? { code: 'body-too-long', message: `Content-Length ${declared} for a range of ${range.length} bytes` }
      : { code: 'bad-content-range', message: `Content-Length ${declared} for a range of ${range.length} bytes` };
  }
  return undefined;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Reads a small redirect body to the end (the socket goes back to the pool); cuts a large or unknown one. */
function discard(reply: IncomingMessage): void {
  const declared = Number(reply.headers['content-length']);
  if (Number.isFinite(declared) && declared <= DRAINABLE_BYTES) reply.resume();
  else reply.destroy();
}
