import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { encodeHandshake, type EncryptionPolicy, type ReservedFlags } from '@seedfleet/wire';
import type { DisconnectReason } from '../peer/disconnect-reason';
import { ConnectionLimits } from './connection-limits';
import { connectPeer } from './handshake-exchange';
import { type IncomingConnection, Listener } from './listener';

const flags: Partial<ReservedFlags> = { extensionProtocol: true, fastExtension: true };
const torrents = new Map([
  ['aa'.repeat(20), { name: 'alpha', peerId: Buffer.from('-SF0001-alpha0000000', 'latin1') }],
  ['bb'.repeat(20), { name: 'beta', peerId: Buffer.from('-SF0001-beta00000000', 'latin1') }],
]);
const remoteId = Buffer.from('-TR3000-remote000000', 'latin1');
const otherId = Buffer.from('-LT2080-other0000000', 'latin1');

interface Session {
  listener: Listener<string>;
  port: number;
  limits: ConnectionLimits<string>;
  accepted: IncomingConnection<string>[];
  refused: DisconnectReason[];
  nextAccepted(): Promise<IncomingConnection<string>>;
  nextRefused(): Promise<DisconnectReason>;
}

let sessions: Session[] = [];
afterEach(() => {
  for (const session of sessions) {
    session.listener.close();
    for (const connection of session.accepted) connection.socket.destroy();
  }
  sessions = [];
});

async function startListener(limitOptions = {}, handshakeTimeoutMs?: number, encryption?: EncryptionPolicy): Promise<Session> {
  const wake: (() => void)[] = [];
  const session = { accepted: [], refused: [], limits: new ConnectionLimits<string>(limitOptions) } as unknown as Session;
  // Each call takes the next entry not yet taken, whether it arrived before the call or arrives after.
  const taken = new Map<unknown[], number>();
  const waitFor = async <T>(list: T[]): Promise<T> => {
    const position = taken.get(list) ?? 0;
    taken.set(list, position + 1);
    while (list.length <= position) await new Promise<void>((resolve) => wake.push(resolve));
    return list[position];
  };
  session.listener = new Listener<string>({
    host: '127.0.0.1',
    port: 0,
    limits: session.limits,
    handshakeTimeoutMs,
    encryption,
    infoHashes: () => Array.from(torrents.keys(), (hex) => Buffer.from(hex, 'hex')),
    route: (infoHash) => {
      const torrent = torrents.get(infoHash.toString('hex'));
      return torrent && { torrent: torrent.name, peerId: torrent.peerId, flags };
    },
    onConnection: (connection) => {
      session.accepted.push(connection);
      for (const resolve of wake.splice(0)) resolve();
    },
    onRefused: (_address, reason) => {
      session.refused.push(reason);
      for (const resolve of wake.splice(0)) resolve();
    },
  });
  session.port = (await session.listener.listen()).port;
  session.nextAccepted = () => waitFor(session.accepted);
  session.nextRefused = () => waitFor(session.refused);
  sessions.push(session);
  return session;
}

const dial = (port: number, infoHashHex: string, peerId = remoteId) =>
  connectPeer({ host: '127.0.0.1', port, infoHash: Buffer.from(infoHashHex, 'hex'), peerId, flags });

describe('Listener', () => {
  it('routes two torrents on one port by info hash and answers for each', async () => {
    const session = await startListener();
    const acceptedAlpha = session.nextAccepted();
    const alpha = await dial(session.port, 'aa'.repeat(20));
    expect((await acceptedAlpha).torrent).toBe('alpha');
    const acceptedBeta = session.nextAccepted();
    const beta = await dial(session.port, 'bb'.repeat(20));
    expect((await acceptedBeta).torrent).toBe('beta');
    if (!alpha.ok || !beta.ok) throw new Error('handshake failed');
    expect(alpha.value.remote.peerId.toString('latin1')).toBe('-SF0001-alpha0000000');
    expect(beta.value.remote.infoHash.toString('hex')).toBe('bb'.repeat(20));
    expect(beta.value.remote.flags).toMatchObject(flags);
    expect(session.accepted[1].remote.peerId).toEqual(remoteId);
    expect([session.limits.open, session.limits.openFor('alpha'), session.limits.halfOpen]).toEqual([2, 1, 0]);
    alpha.value.socket.destroy();
    beta.value.socket.destroy();
  });

  it('refuses an unknown info hash by closing, without answering', async () => {
    const session = await startListener();
    const outcome = await dial(session.port, 'cc'.repeat(20));
    expect(outcome).toMatchObject({ ok: false, reason: { code: 'closed-by-peer' } });
    expect(await session.nextRefused()).toMatchObject({ code: 'unknown-torrent' });
    expect([session.limits.open, session.limits.halfOpen]).toEqual([0, 0]);
  });

  it('detects a connection to ourselves on both sides', async () => {
    const session = await startListener();
    const self = torrents.get('aa'.repeat(20))?.peerId;
    const outcome = await dial(session.port, 'aa'.repeat(20), self);
    expect(outcome).toMatchObject({ ok: false, reason: { code: 'self-connection' } });
    expect(await session.nextRefused()).toMatchObject({ code: 'self-connection' });
  });

  it('refuses garbage in the handshake from its first bytes when encryption is off', async () => {
    const session = await startListener({}, undefined, 'off');
    const socket = connect(session.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET / HTTP/1.1\r\n\r\n');
    expect(await session.nextRefused()).toMatchObject({ code: 'bad-handshake' });
    socket.destroy();
  });

  it('takes other garbage for MSE and refuses it once the sync window is exhausted', async () => {
    const session = await startListener();
    const socket = connect(session.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), Buffer.alloc(700, 0x41)]));
    expect(await session.nextRefused()).toMatchObject({ code: 'encryption' });
    socket.destroy();
  });

  it('times out a peer that never finishes its handshake', async () => {
    const session = await startListener({}, 50);
    const socket = connect(session.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(encodeHandshake({ flags, infoHash: Buffer.from('aa'.repeat(20), 'hex'), peerId: remoteId }).subarray(0, 50));
    expect(await session.nextRefused()).toMatchObject({ code: 'timeout' });
    socket.destroy();
    expect(session.limits.halfOpen).toBe(0);
  });

  it('enforces the per-torrent limit before answering', async () => {
    const session = await startListener({ maxPerTorrent: 1 });
    expect((await dial(session.port, 'aa'.repeat(20))).ok).toBe(true);
    expect(await dial(session.port, 'aa'.repeat(20))).toMatchObject({ ok: false, reason: { code: 'closed-by-peer' } });
    expect(await session.nextRefused()).toMatchObject({ code: 'connection-limit', message: 'the torrent has 1 connections' });
    expect((await dial(session.port, 'bb'.repeat(20))).ok).toBe(true);
    expect([session.limits.open, session.accepted.length]).toEqual([2, 2]);
  });

  it('enforces the global limit at accept, across torrents', async () => {
    const session = await startListener({ maxConnections: 2 });
    expect((await dial(session.port, 'aa'.repeat(20))).ok).toBe(true);
    expect((await dial(session.port, 'aa'.repeat(20))).ok).toBe(true);
    expect(await dial(session.port, 'bb'.repeat(20))).toMatchObject({ ok: false });
    expect(await session.nextRefused()).toMatchObject({ code: 'connection-limit', message: '2 open and 0 handshaking connections' });
    session.limits.close('alpha');
    expect((await dial(session.port, 'bb'.repeat(20))).ok).toBe(true);
  });
});

describe('connectPeer', () => {
  let server: Server;
  afterEach(() => server?.close());

  async function fakePeer(answer: Buffer): Promise<number> {
    server = createServer((socket) => {
      // Answers at once, whatever we sent.
      socket.on('error', () => undefined);
      socket.end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('refuses a peer answering for another info hash', async () => {
    const port = await fakePeer(encodeHandshake({ flags, infoHash: Buffer.alloc(20, 1), peerId: otherId }));
    expect(await dial(port, 'aa'.repeat(20))).toMatchObject({ ok: false, reason: { code: 'info-hash-mismatch' } });
  });

  it('refuses garbage as bad-handshake', async () => {
    const port = await fakePeer(Buffer.from('\x13BitTorrent protocoX and more'));
    expect(await dial(port, 'aa'.repeat(20))).toMatchObject({ ok: false, reason: { code: 'bad-handshake' } });
  });

  it('keeps the bytes after the handshake for the connection', async () => {
    const handshake = encodeHandshake({ flags, infoHash: Buffer.from('aa'.repeat(20), 'hex'), peerId: otherId });
    const port = await fakePeer(Buffer.concat([handshake, Buffer.from([0, 0, 0, 1, 14])]));
    const outcome = await dial(port, 'aa'.repeat(20));
    if (!outcome.ok) throw new Error(outcome.reason.message);
    expect(outcome.value.leftover).toEqual(Buffer.from([0, 0, 0, 1, 14]));
    outcome.value.socket.destroy();
  });

  it('reports a refused connection and a connect timeout', async () => {
    const port = await fakePeer(Buffer.alloc(0));
    server.close();
    expect(await dial(port, 'aa'.repeat(20))).toMatchObject({ ok: false, reason: { code: 'connect-failed' } });
    // 192.0.2.0/24 is TEST-NET-1: nothing answers there, so only the timeout can end the attempt.
    const outcome = await connectPeer({ host: '192.0.2.1', port: 6881, infoHash: Buffer.alloc(20), peerId: remoteId, flags, timeoutMs: 50 });
    expect(outcome).toMatchObject({ ok: false, reason: { code: expect.stringMatching(/timeout|connect-failed/) } });
  });
});
