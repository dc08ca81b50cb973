import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { RangeFileServer, Script, SeenRequest } from './range-file-server';

/** A misbehaving answer to a range request. */
export type Fault = (request: SeenRequest, res: ServerResponse, server: RangeFileServer) => void | Promise<void>;

/** Applies `fault` to the first `times` requests for each file (Infinity: always), then serves normally. */
export function faultFirst(times: number, fault: Fault): Script {
  return async (request, _req, res, server) => {
    if (request.file === undefined || request.attempt >= times) return false;
    await fault(request, res, server);
    return true;
  };
}

/** The bytes a correct reply would carry, and its headers. */
async function correct(request: SeenRequest, server: RangeFileServer): Promise<{ body: Buffer; size: number; contentRange: string }> {
  const file = await readFile(join(server.root, ...request.file!.split('/')));
  const { start, end } = request.range!;
  return { body: file.subarray(start, end + 1), size: file.length, contentRange: `bytes ${start}-${end}/${file.length}` };
}

export const unavailable = (retryAfter?: string): Fault => (_request, res) => {
  res.writeHead(503, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end('busy');
};

/** The whole file with 200, as a server without Range support answers. */
export const ignoresRange: Fault = async (request, res, server) => {
  await server.serveFile({ ...request, range: undefined }, res);
};

/** Correct bytes under a Content-Range shifted by one byte. */
export const shiftedContentRange: Fault = async (request, res, server) => {
  const { body, size } = await correct(request, server);
  const { start, end } = request.range!;
  res.writeHead(206, { 'content-range': `bytes ${start + 1}-${end + 1}/${size}`, 'content-length': body.length }).end(body);
};

export const noContentRange: Fault = async (request, res, server) => {
  const { body } = await correct(request, server);
  res.writeHead(206, { 'content-length': body.length }).end(body);
};

/** A Content-Range naming another file size: the server has a different version of the file. */
export const otherFileSize: Fault = async (request, res, server) => {
  const { body, size } = await correct(request, server);
  const { start, end } = request.range!;
  res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size + 1}`, 'content-length': body.length }).end(body);
};

export const longerContentLength: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length + 10 }).end(Buffer.concat([body, Buffer.alloc(10)]));
};

export const gzipped: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length, 'content-encoding': 'gzip' }).end(body);
};

/** Half the body, then a TCP reset. */
export const resetMidBody: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length });
  res.write(body.subarray(0, body.length >> 1), () => res.socket?.resetAndDestroy());
};

/** Half the body, then a clean end of a chunked reply. */
export const shortBody: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange }).end(body.subarray(0, body.length >> 1));
};

/** The right bytes, then more, forever (chunked, no Content-Length), until the client hangs up. */
export const endlessBody: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange });
  res.write(body);
  const junk = Buffer.alloc(64 * 1024, 0xee);
  while (!res.destroyed && !res.writableEnded) {
    if (!res.write(junk)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  }
};

/** Correct headers, then one byte every `everyMs`, until the client hangs up. */
export const slowDrip = (everyMs = 20): Fault => async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length });
  let at = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (res.destroyed || at >= body.length) {
        clearInterval(timer);
        resolve();
        return;
      }
      res.write(body.subarray(at, ++at));
    }, everyMs);
    res.once('close', () => {
      clearInterval(timer);
      resolve();
    });
  });
};

/** Headers, then silence until the client hangs up. */
export const stallAfterHeaders: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length });
  res.flushHeaders();
};

/** No answer at all. */
export const neverAnswer: Fault = () => undefined;

/** Half the body, then a clean close of the connection (FIN): the client keeps exactly that half. */
export const closeMidBody: Fault = async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length });
  res.write(body.subarray(0, body.length >> 1), () => res.socket?.end());
};

/** A well-formed 206 whose body has one byte flipped at each of `fileOffsets` (inside the range). */
export const corruptBytes = (fileOffsets: readonly number[]): Fault => async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  const copy = Buffer.from(body);
  for (const offset of fileOffsets) {
    const at = offset - request.range!.start;
    if (at >= 0 && at < copy.length) copy[at] ^= 0xff;
  }
  res.writeHead(206, { 'content-range': contentRange, 'content-length': copy.length }).end(copy);
};

/**
 * Correct replies sent at about `bytesPerSecond` (16 KiB chunks): a slow origin, for mixed peer + web-seed
 * swarms. `sent.bytes` counts body bytes written (a client may hang up before the end of its range).
 */
export const throttled = (bytesPerSecond: number, sent: { bytes: number } = { bytes: 0 }): Fault => async (request, res, server) => {
  const { body, contentRange } = await correct(request, server);
  res.writeHead(206, { 'content-range': contentRange, 'content-length': body.length });
  const chunk = 16 * 1024;
  for (let at = 0; at < body.length && !res.destroyed; at += chunk) {
    const part = body.subarray(at, at + chunk);
    res.write(part);
    sent.bytes += part.length;
    await new Promise((resolve) => setTimeout(resolve, (chunk / bytesPerSecond) * 1000));
  }
  res.end();
};
