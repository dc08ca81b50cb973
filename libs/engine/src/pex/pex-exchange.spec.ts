import { decodePexMessage, type ExtensionHandshake, type PeerAddress, PexFlag } from '@seedfleet/wire';
import { ExtensionRouter, localExtensionHandshake } from '../peer/extensions';
import type { PeerConnection } from '../peer/peer-connection';
import { peerPair } from '../peer/testing/loopback';
import type { RecordingHandler } from '../peer/testing/recording-handler';
import { PexExchange, type PexExchangeOptions, type PexSubject } from './pex-exchange';

jest.setTimeout(20_000);

/** A connected peer that is only data (address, seed or not): what PEX reads of a connection. */
function fakeSubject(host: string, port: number, seed = false, outgoing = true): PexSubject {
  const connection = { isClosed: false, remoteAddress: host, remotePort: port, extensions: undefined, pieces: seed ? { isFull: true } : undefined };
  return { connection: connection as unknown as PeerConnection, outgoing };
}

function wire(connection: PeerConnection, events: RecordingHandler, pex: PexExchange | undefined, received: Buffer[]): void {
  const router = new ExtensionRouter(pex ? [pex] : []);
  events.reactions.extensionHandshake = (peer: PeerConnection, handshake: ExtensionHandshake) => router.onExtensionHandshake(peer, handshake);
  events.reactions.extended = (peer: PeerConnection, _id: number, payload: Buffer) => {
    received.push(Buffer.from(payload));
    router.onExtended(peer, _id, payload);
  };
  connection.sendExtensionHandshake(localExtensionHandshake({ extensions: router.names, reqq: 100 }));
}

async function setup(senderOptions: Partial<PexExchangeOptions>, receiverOptions: Partial<PexExchangeOptions> = {}, receiverSpeaksPex = true) {
  let now = 0;
  const clock = (): number => now;
  const pair = await peerPair();
  const others: PexSubject[] = [];
  const learned: PeerAddress[][] = [];
  const sender = new PexExchange({ clock, subjects: () => [{ connection: pair.acceptor, outgoing: false }, ...others], onPeers: () => undefined, ...senderOptions });
  const receiver = new PexExchange({ clock, subjects: () => [], onPeers: (peers) => learned.push(peers), ...receiverOptions });
  const atReceiver: Buffer[] = [];
  wire(pair.acceptor, pair.acceptorEvents, sender, []);
  wire(pair.connector, pair.connectorEvents, receiverSpeaksPex ? receiver : undefined, atReceiver);
  pair.acceptor.start();
  pair.connector.start();
  await pair.acceptorEvents.next('extensionHandshake');
  await pair.connectorEvents.next('extensionHandshake');
  return { pair, sender, receiver, others, learned, atReceiver, advance: (ms: number) => (now += ms) };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

async function nextMessage(events: RecordingHandler, count: number): Promise<void> {
  while (events.count('extended') < count) await events.upcoming('extended');
}

it('tells a peer who joined and left, at most once a minute, never about itself', async () => {
  const setupResult = await setup({});
  const { pair, sender, others, learned, atReceiver, advance } = setupResult;
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  others.push(fakeSubject('10.0.0.5', 7000, true), fakeSubject('2001:db8::7', 7001, false, true), fakeSubject('10.0.0.6', 7002, false, false));
  sender.tick();
  await nextMessage(pair.connectorEvents, 1);
  const first = decodePexMessage(atReceiver[0]);
  // The incoming peer without a known listen port (no `p`) is left out, and so is the receiver itself.
  expect(first.added).toEqual([
    { host: '10.0.0.5', port: 7000, flags: PexFlag.seed | PexFlag.reachable },
    { host: '2001:db8::7', port: 7001, flags: PexFlag.reachable },
  ]);
  expect(learned).toEqual([[{ host: '10.0.0.5', port: 7000 }, { host: '2001:db8::7', port: 7001 }]]);
  others.splice(0, 1);
  sender.tick();
  advance(59_999);
  sender.tick();
  advance(1);
  sender.tick();
  await nextMessage(pair.connectorEvents, 2);
  expect(atReceiver).toHaveLength(2);
  expect(decodePexMessage(atReceiver[1])).toEqual({ added: [], dropped: [{ host: '10.0.0.5', port: 7000 }] });
});

it('caps a message at 50 added peers and sends the rest next time', async () => {
  const { pair, sender, others, atReceiver, advance } = await setup({});
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  for (let host = 1; host <= 70; host++) others.push(fakeSubject(`10.1.0.${host}`, 6881));
  sender.tick();
  advance(60_000);
  sender.tick();
  await nextMessage(pair.connectorEvents, 2);
  expect(atReceiver.map((payload) => decodePexMessage(payload, 100).added.length)).toEqual([50, 20]);
});

it('ignores messages closer than the minimum interval, banned and own addresses, and a torrent-wide flood', async () => {
  const { pair, sender, others, learned, advance } = await setup(
    { sendIntervalMs: 1 },
    { isBanned: (host) => host === '10.0.0.66', isOwnAddress: (host, port) => host === '10.0.0.1' && port === 6881, maxPeersPerTorrent: 3, perTorrentRefillMs: 3_600_000 },
  );
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  others.push(fakeSubject('10.0.0.66', 6881), fakeSubject('10.0.0.1', 6881), fakeSubject('10.0.0.2', 6881), fakeSubject('10.0.0.3', 6881));
  sender.tick();
  await nextMessage(pair.connectorEvents, 1);
  expect(learned).toEqual([[{ host: '10.0.0.2', port: 6881 }, { host: '10.0.0.3', port: 6881 }]]);
  // Sent again one millisecond later: the receiver ignores it (under 45 s).
  advance(1);
  others.push(fakeSubject('10.0.0.4', 6881));
  sender.tick();
  await nextMessage(pair.connectorEvents, 2);
  expect(learned).toHaveLength(1);
  // Past the interval, the torrent's budget (3) lets one more through.
  advance(45_000);
  others.push(fakeSubject('10.0.0.9', 6881), fakeSubject('10.0.0.10', 6881));
  sender.tick();
  await nextMessage(pair.connectorEvents, 3);
  expect(learned[1]).toHaveLength(1);
});

it('sends nothing to a peer that does not offer ut_pex', async () => {
  const { pair, sender, others, atReceiver } = await setup({}, {}, false);
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  others.push(fakeSubject('10.0.0.5', 7000));
  sender.tick();
  // A have sent after the tick arrives first had anything been sent: the stream is ordered.
  pair.acceptor.have(1);
  await pair.connectorEvents.next('have');
  expect(atReceiver).toEqual([]);
});

it('disconnects a peer that sends garbage under ut_pex', async () => {
  const { pair, receiver } = await setup({});
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  receiver.onMessage(pair.connector, Buffer.from('not bencode'));
  expect(pair.connector.closeReason?.code).toBe('protocol');
});
