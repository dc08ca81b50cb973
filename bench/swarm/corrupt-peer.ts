import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

// S8's corrupting peer: a BitTorrent peer that claims every piece and answers every request with random
// bytes, so the downloaders' piece hashes fail. Runs in a namespace host of its own:
//   node corrupt-peer.js '{"host","port","infoHash","pieceCount","trackerUrl"}'
// It announces itself as a seeder every 5 s; stdin "stats" prints per-remote-address counts: garbage
// bytes sent, distinct pieces poisoned, connections, and when it was last connected (a ban shows as a
// peer that stops coming back).

interface Options {
  readonly host: string;
  readonly port: number;
  readonly infoHash: string;
  readonly pieceCount: number;
  readonly trackerUrl: string;
}

interface Remote {
  bytes: number;
  pieces: Set<number>;
  connections: number;
  firstAt: number;
  lastSeenAt: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const infoHash = Buffer.from(options.infoHash, 'hex');
const peerId = Buffer.concat([Buffer.from('-XX0001-'), randomBytes(12)]);
const remotes = new Map<string, Remote>();
const maxBufferedBytes = 4 * 1024 * 1024;

function message(id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length + 1, 0);
  header[4] = id;
  return Buffer.concat([header, payload]);
}

function bitfield(): Buffer {
  const bytes = Buffer.alloc(Math.ceil(options.pieceCount / 8));
  for (let piece = 0; piece < options.pieceCount; piece++) bytes[piece >> 3] |= 0x80 >> (piece & 7);
  return bytes;
}

function serve(socket: Socket): void {
  const address = socket.remoteAddress ?? 'unknown';
  const remote = remotes.get(address) ?? { bytes: 0, pieces: new Set<number>(), connections: 0, firstAt: Date.now(), lastSeenAt: Date.now() };
  remotes.set(address, remote);
  remote.connections++;
  let buffer = Buffer.alloc(0);
  let handshaken = false;
  socket.on('data', (chunk: Buffer) => {
    remote.lastSeenAt = Date.now();
    buffer = Buffer.concat([buffer, chunk]);
    if (!handshaken) {
      if (buffer.length < 68) return;
      if (!buffer.subarray(28, 48).equals(infoHash)) return void socket.destroy();
      handshaken = true;
      buffer = buffer.subarray(68);
      const reserved = Buffer.alloc(8);
      socket.write(Buffer.concat([Buffer.from([19]), Buffer.from('BitTorrent protocol'), reserved, infoHash, peerId]));
      socket.write(message(5, bitfield()));
      socket.write(message(1));
    }
    while (buffer.length >= 4) {
      const length = buffer.readUInt32BE(0);
      if (length > 1 << 20) return void socket.destroy();
      if (buffer.length < 4 + length) break;
      const body = buffer.subarray(4, 4 + length);
      buffer = buffer.subarray(4 + length);
      if (length === 13 && body[0] === 6 && socket.writableLength < maxBufferedBytes) {
        const [piece, begin, size] = [body.readUInt32BE(1), body.readUInt32BE(5), body.readUInt32BE(9)];
        const header = Buffer.alloc(8);
        header.writeUInt32BE(piece, 0);
        header.writeUInt32BE(begin, 4);
        socket.write(message(7, Buffer.concat([header, randomBytes(Math.min(size, 128 * 1024))])));
        remote.bytes += size;
        remote.pieces.add(piece);
      }
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => (remote.lastSeenAt = Date.now()));
}

function announce(): void {
  const escaped = (bytes: Buffer): string => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  const url = `${options.trackerUrl}?info_hash=${escaped(infoHash)}&peer_id=${escaped(peerId)}&port=${options.port}&uploaded=0&downloaded=0&left=0&compact=1`;
  get(url, (response) => response.resume()).on('error', () => undefined);
}

const server = createServer(serve);
server.listen(options.port, options.host, () => {
  announce();
  setInterval(announce, 5000);
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: options.port })}\n`);
});
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const byRemote = Object.fromEntries([...remotes].map(([address, remote]) => [address, { bytes: remote.bytes, pieces: remote.pieces.size, connections: remote.connections, firstAt: remote.firstAt, lastSeenAt: remote.lastSeenAt }]));
  process.stdout.write(`${JSON.stringify({ event: 'stats', remotes: byRemote })}\n`);
});
lines.on('close', () => process.exit(0));
