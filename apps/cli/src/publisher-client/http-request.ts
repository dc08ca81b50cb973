import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { CliError } from '../cli-error';
import { PublisherHttpError, unreachable } from './publisher-error';

export interface HttpRequestOptions {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** A JSON body, or a stream sent as it is read (never buffered whole) with its length. */
  readonly body?: { readonly json: unknown } | { readonly stream: Readable; readonly length: number };
  readonly signal?: AbortSignal;
  /** No byte sent or received for this long fails the request. */
  readonly idleTimeoutMs: number;
  /** The server name for error messages. */
  readonly server: string;
}

/** Larger answers are refused: every publisher answer is a small JSON document. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Ctrl-C (the CLI's abort signal) during a request: exit 130, as shells report SIGINT. */
export class RequestAbortedError extends CliError {
  constructor() {
    super('interrupted', { exitCode: 130 });
  }
}

/**
 * One HTTP exchange with the publisher over node:http(s): the body is streamed with backpressure, an error
 * status becomes a PublisherHttpError carrying the server's JSON `message`, a network failure a
 * PublisherUnreachableError, an abort a RequestAbortedError. Resolves to the parsed JSON answer.
 */
export function sendRequest(options: HttpRequestOptions): Promise<unknown> {
  const { url, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RequestAbortedError());
    let settled = false;
    const finish = (error: unknown, value?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(value);
      else {
        request.destroy();
        if (options.body && 'stream' in options.body) options.body.stream.destroy();
        reject(error);
      }
    };
    const onAbort = (): void => finish(new RequestAbortedError());
    const headers: Record<string, string | number> = { accept: 'application/json', ...options.headers };
    let jsonBody: Buffer | undefined;
    if (options.body && 'json' in options.body) {
      jsonBody = Buffer.from(JSON.stringify(options.body.json));
      headers['content-type'] = 'application/json';
      headers['content-length'] = jsonBody.length;
    } else if (options.body) {
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = options.body.length;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: options.method, headers });
    request.setTimeout(options.idleTimeoutMs, () => finish(unreachable(options.server, Object.assign(new Error(`no answer for ${options.idleTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' }))));
    let responded = false;
    request.on('error', (error) => {
      if (!responded) finish(unreachable(options.server, error));
    });
    // The server may answer before the body is sent (401, 409, 413): that answer wins over a broken pipe.
    request.on('response', (response) => {
      responded = true;
      if (options.body && 'stream' in options.body && !request.writableFinished) {
        options.body.stream.unpipe(request);
        options.body.stream.destroy();
      }
      readBody(response).then(
        (body) => finish(undefined, { response, body }),
        (error: unknown) => finish(unreachable(options.server, error)),
      );
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (jsonBody) request.end(jsonBody);
    else if (options.body && 'stream' in options.body) {
      const { stream } = options.body;
      stream.on('error', (error) => finish(error));
      stream.pipe(request);
    } else request.end();
  }).then((exchange) => {
    const { response, body } = exchange as { response: IncomingMessage; body: Buffer };
    return interpret(response, body, `${options.method} ${url.pathname}`, options.server);
  });
}

function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) response.destroy(new Error(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`));
      else chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the answer was cut off')));
  });
}

function interpret(response: IncomingMessage, body: Buffer, what: string, server: string): unknown {
  const status = response.statusCode ?? 0;
  let json: unknown;
  try {
    json = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300) {
    if (json === undefined) throw new PublisherHttpError(status, `${what}: expected a JSON answer from a seedfleet publisher, got ${describeBody(response, body)}`, server);
    return json;
  }
  const message = typeof (json as { message?: unknown })?.message === 'string' ? (json as { message: string }).message : `${what} failed: ${describeBody(response, body)}`;
  throw new PublisherHttpError(status, message, server);
}

function describeBody(response: IncomingMessage, body: Buffer): string {
  const type = response.headers['content-type'] ?? 'no content type';
  const text = body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 120);
  return text === '' ? `an empty ${type} body` : `${type}: ${text}`;
}
