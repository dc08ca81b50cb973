import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { FileStore, Session, type Torrent } from '@seedfleet/engine';
import type { Metainfo } from '@seedfleet/metainfo';
import {
  createTempDir,
  type ReferencePeer,
  type RunningS3rver,
  sha256Tree,
  startAria2Peer,
  startLibtorrentPeer,
  startS3rver,
  startTestTracker,
  type TempDir,
  type TestTracker,
  writeFileTree,
} from '@seedfleet/testing';
import { faultFirst, throttled } from '../../libs/engine/src/webseed/testing/faults';
import { RangeFileServer } from '../../libs/engine/src/webseed/testing/range-file-server';
import { createOurTorrent } from './our-torrent';

// BEP 19 web seeds with real servers and real clients on loopback: our Session downloading from a web seed
// alone (a plain HTTP Range server; s3rver behind a 302 to a presigned URL, as the publisher serves it), and
// aria2 and libtorrent downloading a torrent whose url-list is our HTTP origin while our Session seeds it.
jest.setTimeout(120_000);

const transferTimeoutMs = 90_000;
const pieceLength = 256 * 1024;
const MiB = 1024 * 1024;

let dir: TempDir;
let tracker: TestTracker;
const sessions: Session[] = [];
const peers: ReferencePeer[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-webseed-');
  tracker = await startTestTracker();
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const peer of peers.splice(0)) await peer.stop();
  for (const close of closers.splice(0)) await close();
});

afterAll(async () => {
  await tracker?.close();
  await dir?.remove();
});

interface Release {
  readonly name: string;
  readonly seedDir: string;
  readonly leechDir: string;
  readonly files: readonly string[];
}

/** ~7 MiB in three files of odd sizes (pieces straddle the file boundaries), under seedDir/<name>/. */
async function release(name: string): Promise<Release> {
  const seedDir = join(dir.path, name, 'seed');
  const files = ['app.bin', 'lib/core.so', 'lib/data/table.dat'];
  await writeFileTree(seedDir, [
    { path: `${name}/${files[0]}`, size: 4 * MiB + 12_345, seed: `${name}-app` },
    { path: `${name}/${files[1]}`, size: 2 * MiB - 777, seed: `${name}-core` },
    { path: `${name}/${files[2]}`, size: MiB + 3, seed: `${name}-table` },
  ]);
  return { name, seedDir, leechDir: join(dir.path, name, 'leech'), files };
}

async function torrentOf(source: Release, options: { webSeeds: string[]; trackers?: string[][] }): Promise<{ metainfo: Metainfo; path: string }> {
  const path = join(dir.path, source.name, `${source.name}.torrent`);
  const metainfo = await createOurTorrent(join(source.seedDir, source.name), path, 'v1', pieceLength, options);
  return { metainfo, path };
}

async function ourSession(): Promise<Session> {
  const session = new Session({ host: '127.0.0.1', dht: false, lsd: false });
  sessions.push(session);
  await session.listen();
  return session;
}

async function expectSameFiles(source: Release): Promise<void> {
  const expected = await sha256Tree(join(source.seedDir, source.name));
  expect(expected.size).toBe(3);
  expect(await sha256Tree(join(source.leechDir, source.name))).toEqual(expected);
}

function withTimeout<T>(promise: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${transferTimeoutMs} ms waiting for ${what()}`)), transferTimeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Our Session downloads `metainfo` into the release's leech dir from its url-list alone (no peer, no tracker). */
async function ourWebSeedDownload(source: Release, metainfo: Metainfo): Promise<Torrent> {
  const session = await ourSession();
  const torrent = await session.add({ metainfo, store: new FileStore({ metainfo, directory: source.leechDir }) });
  const failures: string[] = [];
  torrent.on('webSeed', (event) => failures.push(event.error));
  await withTimeout(torrent.whenComplete(), () => `our web-seed download (${JSON.stringify(torrent.progress())}; web-seed failures ${JSON.stringify(failures)})`);
  return torrent;
}

async function rangeServer(root: string): Promise<RangeFileServer> {
  const server = await RangeFileServer.start(root);
  closers.push(() => server.close());
  return server;
}

it('our Session downloads a multi-file torrent from a plain HTTP Range server alone', async () => {
  const source = await release('plain-http');
  const server = await rangeServer(source.seedDir);
  const { metainfo } = await torrentOf(source, { webSeeds: [server.filesUrl] });
  const torrent = await ourWebSeedDownload(source, metainfo);
  await expectSameFiles(source);
  expect(torrent.progress()).toMatchObject({ state: 'seeding', downloaded: metainfo.totalSize, webSeedDownloaded: metainfo.totalSize, webSeeds: 1, peers: 0 });
  const requests = server.rangeRequests;
  const average = requests.reduce((sum, request) => sum + request.range!.end - request.range!.start + 1, 0) / requests.length;
  expect(average).toBeGreaterThanOrEqual(MiB);
});

it('our Session downloads from s3rver through a 302 to a presigned URL (the publisher\'s way), query kept intact', async () => {
  const source = await release('from-s3');
  const s3 = await startS3rver({ bucket: 'artifacts' });
  closers.push(() => s3.stop());
  const client = s3Client(s3);
  closers.push(async () => client.destroy());
  for (const file of source.files) {
    const path = join(source.seedDir, source.name, file);
    const key = `releases/${source.name}/${file}`;
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: createReadStream(path), ContentLength: (await stat(path)).size }));
  }
  const presigned: string[] = [];
  const redirector = await startRedirector(async (path) => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: s3.bucket, Key: `releases/${decodeURIComponent(path)}` }), { expiresIn: 300 });
    presigned.push(url);
    return url;
  });
  closers.push(() => new Promise<void>((resolve) => redirector.server.close(() => resolve())));
  const { metainfo } = await torrentOf(source, { webSeeds: [`${redirector.url}/webseed`] });
  const torrent = await ourWebSeedDownload(source, metainfo);
  await expectSameFiles(source);
  expect(torrent.progress()).toMatchObject({ downloaded: metainfo.totalSize, webSeedDownloaded: metainfo.totalSize });
  // Every Range request went through a fresh redirect to a signed URL.
  expect(redirector.requests.length).toBeGreaterThanOrEqual(3);
  expect(presigned.every((url) => url.includes('X-Amz-Signature='))).toBe(true);
});

it('aria2 downloads with our HTTP origin as its web seed alongside our seeding Session', async () => {
  const source = await release('aria2-webseed');
  const server = await rangeServer(source.seedDir);
  // A slow origin (2 MiB/s) next to a fast peer: both sources must serve parts of the same files.
  const sent = { bytes: 0 };
  server.script = faultFirst(Infinity, throttled(2 * MiB, sent));
  const { metainfo, path } = await torrentOf(source, { webSeeds: [server.filesUrl], trackers: [[tracker.url]] });
  const seeder = await ourSeeder(source, metainfo);
  const events: string[] = [];
  seeder.torrent.on('peer', (event) => events.push(`${event.type} ${event.client} ${event.reason ?? ''}`));
  await tracker.waitForAnnounce((announce) => announce.infoHash === metainfo.infoHashV1!.toString('hex') && announce.port === seeder.session.port && announce.left === 0, transferTimeoutMs);
  const leecher = await startAria2Peer({ torrentPath: path, directory: source.leechDir, role: 'download' });
  peers.push(leecher);
  await leecher.whenComplete(transferTimeoutMs);
  await expectSameFiles(source);
  const fromOrigin = sent.bytes;
  const fromUs = seeder.torrent.progress().uploaded;
  process.stdout.write(`aria2: ${metainfo.totalSize} B, web seed ${fromOrigin} B in ${server.rangeRequests.length} requests, our seeder ${fromUs} B; ${events.join('; ')}\n`);
  expect(fromOrigin).toBeGreaterThan(0);
  expect(fromUs).toBeGreaterThan(0);
});

it('libtorrent downloads with our HTTP origin as its web seed alongside our seeding Session', async () => {
  const source = await release('lt-webseed');
  const server = await rangeServer(source.seedDir);
  // A slow origin (2 MiB/s) next to a fast peer: both sources must serve parts of the same files.
  const sent = { bytes: 0 };
  server.script = faultFirst(Infinity, throttled(2 * MiB, sent));
  const { metainfo, path } = await torrentOf(source, { webSeeds: [server.filesUrl] });
  const seeder = await ourSeeder(source, metainfo);
  const leecher = await startLibtorrentPeer({ torrentPath: path, directory: source.leechDir, role: 'download', peers: [{ host: '127.0.0.1', port: seeder.session.port }] });
  peers.push(leecher);
  await leecher.whenComplete(transferTimeoutMs);
  await expectSameFiles(source);
  const fromOrigin = sent.bytes;
  const fromUs = seeder.torrent.progress().uploaded;
  process.stdout.write(`libtorrent: ${metainfo.totalSize} B, web seed ${fromOrigin} B in ${server.rangeRequests.length} requests, our seeder ${fromUs} B\n`);
  expect(fromOrigin).toBeGreaterThan(0);
  expect(fromUs).toBeGreaterThan(0);
});

/** Our seeding Session on the release's files (hash-checked), web seeds off: it only serves. */
async function ourSeeder(source: Release, metainfo: Metainfo): Promise<{ session: Session; torrent: Torrent }> {
  const session = await ourSession();
  const torrent = await session.add({ metainfo, store: new FileStore({ metainfo, directory: source.seedDir }), origin: 'off' });
  await withTimeout(torrent.whenComplete(), () => 'our seeder to check its files');
  return { session, torrent };
}

function s3Client(s3: RunningS3rver): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The publisher's /webseed/<path> stand-in: answers every GET with a 302 to a freshly signed URL. */
async function startRedirector(sign: (path: string) => Promise<string>): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = /^\/webseed\/(.*)$/.exec(req.url ?? '')?.[1];
    requests.push(req.url ?? '');
    if (path === undefined) return void res.writeHead(404).end();
    sign(path).then(
      (location) => res.writeHead(302, { location, 'content-length': 0 }).end(),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
