import type { EncryptionPolicy, ReservedFlags } from '@seedfleet/wire';
import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, startSwarm, storeContent, type SwarmHarness } from '../testing';
import { ConnectionLimits } from './connection-limits';
import { connectPeer } from './handshake-exchange';
import { type IncomingConnection, Listener } from './listener';

jest.setTimeout(60_000);

const flags: Partial<ReservedFlags> = { extensionProtocol: true, fastExtension: true };
const infoHash = Buffer.alloc(20, 0xab);
const listenerId = Buffer.from('-SF0001-listener0000', 'latin1');
const dialerId = Buffer.from('-SF0001-dialer000000', 'latin1');

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function listen(encryption: EncryptionPolicy): Promise<{ port: number; accepted: Promise<IncomingConnection<string>> }> {
  let accept: (connection: IncomingConnection<string>) => void = () => undefined;
  const accepted = new Promise<IncomingConnection<string>>((resolve) => (accept = resolve));
  const listener = new Listener<string>({
    host: '127.0.0.1',
    port: 0,
    limits: new ConnectionLimits<string>(),
    encryption,
    infoHashes: () => [Buffer.alloc(20, 1), infoHash],
    route: (hash) => (hash.equals(infoHash) ? { torrent: 't', peerId: listenerId, flags } : undefined),
    onConnection: accept,
  });
  const { port } = await listener.listen();
  cleanup.push(async () => {
    listener.close();
    const connection = await Promise.race([accepted, undefined]);
    connection?.socket.destroy();
  });
  return { port, accepted };
}

describe('MSE in the handshake exchange', () => {
  it.each<[EncryptionPolicy, EncryptionPolicy, boolean]>([
    ['prefer', 'prefer', false],
    ['require', 'prefer', true],
    ['prefer', 'require', true],
    ['require', 'require', true],
    ['off', 'prefer', false],
    ['prefer', 'off', false],
  ])('dialer %s, listener %s: connected, RC4 %s', async (dialer, listening, rc4) => {
    const { port, accepted } = await listen(listening);
    const outcome = await connectPeer({ host: '127.0.0.1', port, infoHash, peerId: dialerId, flags, encryption: dialer });
    if (!outcome.ok) throw new Error(outcome.reason.message);
    cleanup.push(() => outcome.value.socket.destroy());
    const incoming = await accepted;
    expect(outcome.value.remote.peerId.equals(listenerId)).toBe(true);
    expect(incoming.remote.peerId.equals(dialerId)).toBe(true);
    expect([outcome.value.cipher !== undefined, incoming.cipher !== undefined]).toEqual([rc4, rc4]);
    // A message through the negotiated stream arrives intact.
    const message = Buffer.from([0, 0, 0, 1, 2]);
    const received = new Promise<Buffer>((resolve) => incoming.socket.once('data', resolve).resume());
    const wire = Buffer.from(message);
    outcome.value.cipher?.encrypt.xorInPlace(wire);
    outcome.value.socket.write(wire);
    const bytes = await received;
    incoming.cipher?.decrypt.xorInPlace(bytes);
    expect(bytes.equals(message)).toBe(true);
  });

  it.each<[EncryptionPolicy, EncryptionPolicy]>([
    ['off', 'require'],
    ['require', 'off'],
  ])('dialer %s and listener %s never connect', async (dialer, listening) => {
    const { port } = await listen(listening);
    const outcome = await connectPeer({ host: '127.0.0.1', port, infoHash, peerId: dialerId, flags, encryption: dialer });
    expect(outcome.ok).toBe(false);
  });
});

describe('MSE between sessions', () => {
  let swarm: SwarmHarness | undefined;
  afterEach(async () => {
    await swarm?.close();
    swarm = undefined;
  });

  it.each<[EncryptionPolicy, EncryptionPolicy]>([
    ['require', 'require'],
    ['require', 'prefer'],
    ['prefer', 'off'],
  ])('seeder %s, leecher %s: the download completes with the right bytes', async (seeder, leecher) => {
    const torrent = await makeTestTorrent({ size: 2 * 1024 * 1024 + 777, pieceLength: 64 * 1024 });
    swarm = await startSwarm(torrent, { seeders: 1, leechers: 0, sessionOptions: { encryption: seeder } });
    const member = await swarm.addLeecher({}, { encryption: leecher });
    await swarm.allComplete(30_000);
    expect((await storeContent(member.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  });
});
