import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metainfo, TorrentVersion } from '@seedfleet/metainfo';
import { createTempDir, type ReferencePeer, sha256Tree, startLibtorrentPeer, type TempDir, waitFor, writeFileTree } from '@seedfleet/testing';
import type { EncryptionPolicy, ReservedFlags } from '@seedfleet/wire';
import { FileStore, type PeerEvent, Session } from '@seedfleet/engine';
import { ConnectionLimits, type IncomingConnection, Listener } from '../../libs/engine/src/net';
import type { DisconnectReason } from '../../libs/engine/src/peer';
import { createOurTorrent } from './our-torrent';

// Message Stream Encryption against libtorrent 2.0 both ways: libtorrent with encryption forced to RC4
// (pe_forced in and out, allowed_enc_level rc4) downloads from our seeder and seeds to our leecher, for v1,
// hybrid and private torrents; with libtorrent's defaults (MSE first, plaintext retry) its first
// connection to us succeeds.
jest.setTimeout(120_000);

const transferTimeoutMs = 90_000;
const MiB = 1024 * 1024;
/** settings_pack: enc_policy pe_forced = 0, enc_level pe_rc4 = 2. */
const rc4Forced = { out_enc_policy: 0, in_enc_policy: 0, allowed_enc_level: 2, prefer_rc4: true };

let dir: TempDir;
const peers: ReferencePeer[] = [];
const sessions: Session[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-mse-');
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const peer of peers.splice(0)) await peer.stop();
});

afterAll(async () => {
  await dir?.remove();
});

interface Case {
  readonly metainfo: Metainfo;
  readonly torrentPath: string;
  readonly seedDir: string;
  readonly leechDir: string;
  readonly name: string;
}

async function makeCase(name: string, version: TorrentVersion, isPrivate = false): Promise<Case> {
  const seedDir = join(dir.path, name, 'seed');
  await writeFileTree(seedDir, [
    { path: `${name}/a.bin`, size: 3 * MiB + 4321, seed: `${name}-a` },
    { path: `${name}/b.bin`, size: MiB - 77, seed: `${name}-b` },
  ]);
  const torrentPath = join(dir.path, name, `${name}.torrent`);
  const metainfo = await createOurTorrent(join(seedDir, name), torrentPath, version, 256 * 1024, { private: isPrivate });
  const leechDir = join(dir.path, name, 'leech');
  await mkdir(leechDir, { recursive: true });
  return { metainfo, torrentPath, seedDir, leechDir, name };
}

async function ourSession(encryption: EncryptionPolicy): Promise<Session> {
  const session = new Session({ host: '127.0.0.1', encryption });
  sessions.push(session);
  await session.listen();
  return session;
}

async function expectSameFiles(swarm: Case): Promise<void> {
  expect(await sha256Tree(join(swarm.leechDir, swarm.name))).toEqual(await sha256Tree(join(swarm.seedDir, swarm.name)));
}

describe.each<[string, TorrentVersion, boolean]>([
  ['v1', 'v1', false],
  ['hybrid', 'hybrid', false],
  ['private', 'v1', true],
])('libtorrent with RC4 forced, %s torrent', (name, version, isPrivate) => {
  it('downloads from our seeder (encryption required)', async () => {
    const swarm = await makeCase(`to-lt-${name}`, version, isPrivate);
    const session = await ourSession('require');
    const torrent = await session.add({ metainfo: swarm.metainfo, store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.seedDir }) });
    await torrent.whenComplete();
    const events: PeerEvent[] = [];
    torrent.on('peer', (event) => events.push(event));
    const leecher = await startLibtorrentPeer({
      torrentPath: swarm.torrentPath,
      directory: swarm.leechDir,
      role: 'download',
      peers: [{ host: '127.0.0.1', port: session.port }],
      settings: rc4Forced,
    });
    peers.push(leecher);
    await leecher.whenComplete(transferTimeoutMs);
    expect(events.find((event) => event.type === 'connected')).toMatchObject({ client: expect.stringMatching(/^libtorrent/) });
    await expectSameFiles(swarm);
  });

  it('seeds to our leecher (encryption preferred)', async () => {
    const swarm = await makeCase(`from-lt-${name}`, version, isPrivate);
    const seeder = await startLibtorrentPeer({ torrentPath: swarm.torrentPath, directory: swarm.seedDir, role: 'seed', settings: rc4Forced });
    peers.push(seeder);
    const session = await ourSession('prefer');
    const torrent = await session.add({
      metainfo: swarm.metainfo,
      store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.leechDir }),
      peers: [{ host: '127.0.0.1', port: seeder.port }],
    });
    const events: PeerEvent[] = [];
    torrent.on('peer', (event) => events.push(event));
    await torrent.whenComplete();
    expect(events.find((event) => event.type === 'connected')).toMatchObject({ client: expect.stringMatching(/^libtorrent/) });
    await expectSameFiles(swarm);
  });
});

it("libtorrent's default first connection to us succeeds: no refused MSE attempt, no plaintext retry", async () => {
  const swarm = await makeCase('lt-default', 'v1');
  const infoHash = swarm.metainfo.infoHashV1 as Buffer;
  const flags: Partial<ReservedFlags> = { extensionProtocol: true, fastExtension: true };
  const refused: DisconnectReason[] = [];
  const accepted: IncomingConnection<string>[] = [];
  const listener = new Listener<string>({
    host: '127.0.0.1',
    port: 0,
    limits: new ConnectionLimits<string>(),
    infoHashes: () => [infoHash],
    route: (hash) => (hash.equals(infoHash) ? { torrent: 'default', peerId: Buffer.from('-SF0001-msedefault00', 'latin1'), flags } : undefined),
    onConnection: (connection) => accepted.push(connection),
    onRefused: (_address, reason) => refused.push(reason),
  });
  const { port } = await listener.listen();
  try {
    const leecher = await startLibtorrentPeer({ torrentPath: swarm.torrentPath, directory: swarm.leechDir, role: 'download', peers: [{ host: '127.0.0.1', port }] });
    peers.push(leecher);
    await waitFor('libtorrent to connect', async () => (accepted.length + refused.length > 0 ? true : undefined), { timeoutMs: 30_000 });
    expect(refused).toEqual([]);
    expect(accepted).toHaveLength(1);
    expect(accepted[0].remote.peerId.toString('latin1')).toMatch(/^-LT2/);
  } finally {
    listener.close();
    for (const connection of accepted) connection.socket.destroy();
  }
});
