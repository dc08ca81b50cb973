import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestDeadline } from '../request-deadline';
import { TrackerError } from '../tracker-error';

export interface HttpGetLimits {
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: string;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * GET with the limits a client of untrusted servers needs: a body size cap (checked against
 * Content-Length up front and while reading), a redirect limit (http and https only), and the deadline's
 * signal ending everything. Rejects only with TrackerError.
 */
export async function httpGet(url: string, limits: HttpGetLimits, deadline: RequestDeadline): Promise<HttpAnswer> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await openResponse(current, limits, deadline);
    const location = response.headers.location;
    if (redirectStatuses.has(response.statusCode ?? 0) && location !== undefined) {
      response.destroy();
      if (redirects >= limits.maxRedirects) throw new TrackerError('too-many-redirects', url, `more than ${limits.maxRedirects} redirects`);
      current = redirectTarget(url, current, location);
      continue;
    }
    const body = await readBody(response, url, limits.maxResponseBytes, deadline);
    return { status: response.statusCode ?? 0, body, url: current };
  }
}

function redirectTarget(originalUrl: string, current: string, location: string): string {
  let target: URL;
  try {
    target = new URL(location, current);
  } catch (error) {
    throw new TrackerError('bad-response', originalUrl, `redirect to an invalid URL "${location}"`, { cause: error });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new TrackerError('bad-response', originalUrl, `redirect to a ${target.protocol} URL`);
  }
  return target.href;
}

function openResponse(url: string, limits: HttpGetLimits, deadline: RequestDeadline): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      reject(new TrackerError('unsupported-url', url, `"${url}" is not a URL`, { cause: error }));
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    // agent: false — announces are minutes apart, so pooled keep-alive sockets would only linger.
    const request = send(target, {
      method: 'GET',
      agent: false,
      ...(limits.ca === undefined ? {} : { ca: limits.ca as (string | Buffer)[] }),
      signal: deadline.signal,
      headers: { 'user-agent': limits.userAgent, 'accept-encoding': 'identity', connection: 'close' },
    });
    request.once('response', resolve);
    request.once('error', (error) => reject(deadline.signal.aborted ? deadline.signal.reason : new TrackerError('network', url, error.message, { cause: error })));
    request.end();
  });
}

function readBody(response: IncomingMessage, url: string, maxBytes: number, deadline: RequestDeadline): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      reject(new TrackerError('too-large', url, `the answer is ${declared} bytes, the limit is ${maxBytes}`));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        response.destroy();
        reject(new TrackerError('too-large', url, `the answer is over the ${maxBytes}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', (error) => reject(deadline.signal.aborted ? deadline.signal.reason : new TrackerError('network', url, error.message, { cause: error })));
    // A reset after the headers ends the response without 'end' or 'error' on some Node versions.
    response.once('close', () => {
      if (!response.complete) reject(deadline.signal.aborted ? deadline.signal.reason : new TrackerError('network', url, 'the connection closed before the answer was complete'));
    });
  });
}
