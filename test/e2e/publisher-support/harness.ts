import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTorrent } from '@seedfleet/metainfo';
import type { ObjectStore } from '@seedfleet/storage';
import { createTempDir, freePort, type TempDir, waitFor } from '@seedfleet/testing';
import { Redis } from 'ioredis';
import { configureHttp } from '../../../apps/publisher/src/api/http-app';
import { AppModule, type AppModuleOptions } from '../../../apps/publisher/src/app.module';
import { seedfleetVersion } from '../../../apps/publisher/src/builds/seedfleet-version';
import { loadPublisherConfig, type PublisherConfig } from '../../../apps/publisher/src/config/publisher-config';
import type { Release } from '../../../apps/publisher/src/releases/release.model';
import { OBJECT_STORE } from '../../../apps/publisher/src/storage/storage.tokens';
import { deleteKeysWithPrefix } from '../../../apps/publisher/src/tracker/ioredis-port';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = `test-admin-${randomBytes(12).toString('hex')}`;

export interface PublisherUnderTest {
  readonly app: INestApplication;
  readonly base: string;
  readonly config: PublisherConfig;
  readonly env: Record<string, string>;
  readonly store: ObjectStore;
  readonly redis: Redis;
  readonly dataDir: TempDir;
  api(method: string, path: string, options?: { body?: unknown; raw?: Buffer | string; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; json: Record<string, unknown> }>;
  waitForRelease(id: string, until: (release: Release) => boolean, timeoutMs?: number): Promise<Release>;
  /** Every key under the prefix, for "nothing half-written" checks. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A publisher on a free loopback port with its own DATA_DIR (fs storage), Redis key prefixes and admin
 * token; close() removes all of them. `extraEnv` sets more configuration (BUILD_WORKER=off, ...).
 */
export async function startPublisher(extraEnv: Record<string, string> = {}, options: Omit<AppModuleOptions, 'adminToken' | 'env'> = {}): Promise<PublisherUnderTest> {
  const dataDir = await createTempDir('sf-publisher-');
  const port = await freePort();
  const unique = randomBytes(6).toString('hex');
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir.path,
    REDIS_URL,
    REDIS_KEY_PREFIX: `seedfleet-test:${unique}:`,
    TRACKER_KEY_PREFIX: `seedfleet-test:${unique}:tracker:`,
    SEEDFLEET_ADMIN_TOKEN: ADMIN_TOKEN,
    ...extraEnv,
  };
  const config = loadPublisherConfig(env);
  const app = await NestFactory.create(AppModule.forRoot(config, REDIS_URL, { ...options, adminToken: ADMIN_TOKEN, env }), { logger: ['warn', 'error'], bodyParser: false });
  configureHttp(app);
  await app.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const store = app.get<ObjectStore>(OBJECT_STORE);
  const redis = new Redis(REDIS_URL);

  const api: PublisherUnderTest['api'] = async (method, path, request = {}) => {
    const headers: Record<string, string> = { ...request.headers };
    const token = request.token === undefined ? ADMIN_TOKEN : request.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | Buffer | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    } else if (request.raw !== undefined) {
      headers['content-type'] ??= 'application/octet-stream';
      body = request.raw;
    }
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`${method} ${path}: ${response.status} with a non-JSON body: ${text.slice(0, 200)}`);
    }
    return { status: response.status, json };
  };

  return {
    app,
    base,
    config,
    env,
    store,
    redis,
    dataDir,
    api,
    waitForRelease: (id, until, timeoutMs = 60_000) =>
      waitFor(
        `release ${id}`,
        async () => {
          const { json } = await api('GET', `/api/releases/${id}`);
          const release = json as unknown as Release;
          if (release.status === 'failed' && !until(release)) throw new Error(`build failed: ${release.error}`);
          return until(release) ? release : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    keys: async (prefix) => {
      const keys: string[] = [];
      for await (const object of store.list(prefix)) keys.push(object.key);
      return keys;
    },
    close: async () => {
      try {
        await app.close();
      } finally {
        await deleteKeysWithPrefix(redis, `seedfleet-test:${unique}:`);
        await redis.quit();
        await dataDir.remove();
      }
    },
  };
}

export async function readObject(store: ObjectStore, key: string): Promise<Buffer> {
  const { body } = await store.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The torrent an uninterrupted build of these bytes must produce, built here with libs/metainfo. */
export async function locallyBuiltTorrent(publicUrl: string, release: Release, files: Record<string, Buffer>): Promise<Buffer> {
  const created = await createTorrent(
    Object.entries(files).map(([path, bytes]) => ({
      path: path.split('/'),
      length: bytes.length,
      open: async function* () {
        yield bytes;
      },
    })),
    {
      version: 'hybrid',
      name: release.torrentName,
      trackers: [[release.public ? `${publicUrl}/announce` : `${publicUrl}/announce/{passkey}`]],
      webSeeds: [`${publicUrl}/webseed/${release.id}/`],
      private: !release.public,
      createdBy: `seedfleet ${seedfleetVersion()}`,
      creationDate: Math.floor(Date.parse(release.createdAt) / 1000),
    },
  );
  return created.torrent;
}
