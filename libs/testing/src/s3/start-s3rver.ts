// The build excludes libs/testing/** (and so this declaration) yet compiles these files when build code imports
// @seedfleet/testing; the reference keeps the s3rver typings in scope there.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./s3rver-module.d.ts" />
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type S3rverClass from 's3rver';
import { s3rverShims } from './s3rver-shims';

export interface S3rverOptions {
  /** Created before the server answers. Default `seedfleet-test`. */
  readonly bucket?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
}

export interface RunningS3rver {
  /** `http://127.0.0.1:<port>`; use it with forcePathStyle and checksum mode WHEN_REQUIRED (DESIGN.md). */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  /** s3rver's fixed key pair. s3rver rejects an unknown access key id but does not verify SigV4 signatures. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Where s3rver keeps the bucket, removed by stop(). */
  readonly directory: string;
  /** Upload ids of multipart uploads begun and neither completed nor aborted (parts left behind). */
  pendingMultipartUploads(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * An in-process s3rver on loopback (real HTTP, AWS XML protocol) with a fresh temp directory, for tests of
 * anything that talks S3. Two gaps of s3rver 3.7.1 are filled in (s3rver-shims.ts): AbortMultipartUpload,
 * and ListObjectsV2 paging, whose DES continuation tokens OpenSSL 3 no longer offers.
 */
export async function startS3rver(options: S3rverOptions = {}): Promise<RunningS3rver> {
  const bucket = options.bucket ?? 'seedfleet-test';
  const host = options.host ?? '127.0.0.1';
  const directory = await mkdtemp(join(tmpdir(), 'seedfleet-s3rver-'));
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');
  // Loaded on first use: s3rver (koa, winston) takes ~0.3 s to load, and every test importing
  // @seedfleet/testing would pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as typeof S3rverClass;
  const server = new S3rver({ address: host, port: options.port ?? 0, silent: true, directory, configureBuckets: [{ name: bucket }], vhostBuckets: false });
  // After s3rver's XML encoder (so shim bodies are encoded like its own), before its routing.
  const routingStart = server.middleware.findIndex((middleware) => middleware.name === 'vhost');
  if (routingStart < 0) throw new Error('startS3rver: unexpected s3rver middleware layout (is s3rver still 3.7.1?)');
  server.middleware.splice(routingStart, 0, s3rverShims(bucket, uploadsDir));
  let address;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${address.port}`,
    bucket,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    directory,
    pendingMultipartUploads: async () => (await readdir(uploadsDir).catch(() => [] as string[])).sort(),
    stop: () =>
      (stopped ??= (async () => {
        const closing = server.close();
        server.httpServer?.closeAllConnections();
        await closing;
        await rm(directory, { recursive: true, force: true });
      })()),
  };
}
