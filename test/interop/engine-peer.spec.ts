import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTempDir, systemPython, type TempDir } from '@seedfleet/testing';
import { Bitfield, type BlockRef, type ReservedFlags } from '@seedfleet/wire';
import { connectPeer } from '../../libs/engine/src/net';
import { clientFromPeerId, type DisconnectReason, generatePeerId, PeerConnection } from '../../libs/engine/src/peer';
import { RecordingHandler } from '../../libs/engine/src/peer/testing/recording-handler';

// Our PeerConnection against a real libtorrent 2.0 seeder: handshake with reserved bits, BEP 10
// extension handshake both ways, libtorrent's have-all (BEP 6), unchoke, and one block, byte for byte.
jest.setTimeout(60_000);

const size = 1_000_000;
const pieceLength = 65_536;
const pieceCount = Math.ceil(size / pieceLength);
const flags: Partial<ReservedFlags> = { extensionProtocol: true, fastExtension: true, dht: true };
const expectedByte = (offset: number): number => (offset * 7 + 3) % 251;

let dir: TempDir;
let seeder: ChildProcessWithoutNullStreams;
let seed: { port: number; infoHash: string };

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-peer-');
  seeder = spawn(systemPython, [join(__dirname, 'engine-peer-seeder.py'), JSON.stringify({ dir: dir.path, size, pieceLength })]);
  let stderr = '';
  seeder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: seeder.stdout }).once('line', resolve);
    seeder.once('exit', (code) => reject(new Error(`libtorrent seeder exited with ${code}: ${stderr}`)));
  });
  seed = JSON.parse(firstLine) as typeof seed;
});

afterAll(async () => {
  if (seeder && seeder.exitCode === null) {
    const exited = new Promise((resolve) => seeder.once('exit', resolve));
    seeder.kill('SIGTERM');
    await exited;
  }
  await dir?.remove();
});

it('completes the handshakes with libtorrent, gets its pieces and one requested block', async () => {
  const peerId = generatePeerId();
  const outcome = await connectPeer({ host: '127.0.0.1', port: seed.port, infoHash: Buffer.from(seed.infoHash, 'hex'), peerId, flags });
  if (!outcome.ok) throw new Error(`handshake with libtorrent failed: ${outcome.reason.message}`);
  const { remote } = outcome.value;
  expect(remote.flags).toMatchObject({ extensionProtocol: true, fastExtension: true });
  expect(clientFromPeerId(remote.peerId)).toMatch(/^libtorrent 2\.0/);

  const events = new RecordingHandler();
  const peer = new PeerConnection({
    ...outcome.value,
    localFlags: flags,
    handler: events,
    geometry: { pieceCount, pieceSize: (index) => Math.min(pieceLength, size - index * pieceLength) },
  });
  peer.announcePieces(new Bitfield(pieceCount));
  peer.sendExtensionHandshake({ m: new Map([['ut_metadata', 3]]), v: 'seedfleet interop', reqq: 500, unknown: new Map() });
  peer.interested();
  peer.start();

  const pieces = (await events.next('bitfield')).args[0] as Bitfield;
  expect(pieces.isFull).toBe(true);
  const extensions = (await events.next('extensionHandshake')).args[0] as { v?: string; reqq?: number; m: Map<string, number> };
  expect(extensions.v).toMatch(/libtorrent/i);
  expect(extensions.reqq).toBeGreaterThan(0);
  expect(extensions.m.has('ut_metadata')).toBe(true);

  await events.next('unchoke');
  // A full block in the middle and the torrent's short last block.
  const lastPieceSize = size - (pieceCount - 1) * pieceLength;
  const blocks: BlockRef[] = [
    { index: 3, begin: 16384, length: 16384 },
    { index: pieceCount - 1, begin: 16384, length: lastPieceSize - 16384 },
  ];
  for (const block of blocks) expect(peer.request(block)).toBe(true);
  await events.next('piece');
  while (events.count('piece') < 2) await events.upcoming('piece');
  const received = events.events.filter((event) => event.name === 'piece').map((event) => event.args as [number, number, Buffer, boolean]);
  for (const block of blocks) {
    const answer = received.find(([index, begin]) => index === block.index && begin === block.begin);
    if (!answer) throw new Error(`no block ${block.index}/${block.begin} from libtorrent`);
    const [, , data, requested] = answer;
    expect(requested).toBe(true);
    const start = block.index * pieceLength + block.begin;
    expect(data.equals(Buffer.from(Array.from({ length: block.length }, (_, offset) => expectedByte(start + offset))))).toBe(true);
  }
  expect(peer.requestsInFlight).toBe(0);

  peer.close({ code: 'shutdown', message: 'test over' });
  expect(((await events.next('close')).args[0] as DisconnectReason).code).toBe('shutdown');
  expect(events.names()).not.toContain('reject');
});
