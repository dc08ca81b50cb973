import { decodeMetadataMessage, encodeMetadataMessage, type ExtensionHandshake, METADATA_PIECE_LENGTH } from '@seedfleet/wire';
import { LOCAL_EXTENSION_IDS, localExtensionHandshake } from './extensions';
import type { PeerConnection } from './peer-connection';
import { peerPair } from './testing/loopback';
import { TorrentExtensions } from './torrent-extensions';

jest.setTimeout(20_000);

const infoRaw = Buffer.alloc(2 * METADATA_PIECE_LENGTH + 100, 0x61);

async function setup(pex: boolean, now = () => 0) {
  const pair = await peerPair();
  const extensions = new TorrentExtensions({ infoRaw, pex, clock: now, port: () => 6881, subjects: () => [], onPeers: () => undefined });
  pair.acceptorEvents.reactions.extensionHandshake = (peer: PeerConnection, handshake: ExtensionHandshake) => extensions.onExtensionHandshake(peer, handshake);
  pair.acceptorEvents.reactions.extended = (peer: PeerConnection, id: number, payload: Buffer) => extensions.onExtended(peer, id, payload);
  pair.acceptor.sendExtensionHandshake(extensions.handshake(pair.acceptor));
  // The other side offers ut_metadata under id 3.
  pair.connector.sendExtensionHandshake({ ...localExtensionHandshake({ extensions: [], reqq: 10 }), m: new Map([['ut_metadata', 3]]) });
  pair.acceptor.start();
  pair.connector.start();
  const theirs = (await pair.connectorEvents.next('extensionHandshake')).args[0] as ExtensionHandshake;
  await pair.acceptorEvents.next('extensionHandshake');
  return { pair, theirs };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

it('offers ut_metadata with the size and ut_pex on a public torrent, and serves every piece', async () => {
  const { pair, theirs } = await setup(true);
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  expect([...theirs.m]).toEqual([
    ['ut_metadata', LOCAL_EXTENSION_IDS.ut_metadata],
    ['ut_pex', LOCAL_EXTENSION_IDS.ut_pex],
  ]);
  expect(theirs.metadataSize).toBe(infoRaw.length);
  expect(theirs.yourip).toBe('127.0.0.1');
  for (let piece = 0; piece < 3; piece++) pair.connector.extended(LOCAL_EXTENSION_IDS.ut_metadata, encodeMetadataMessage({ type: 'request', piece }));
  while (pair.connectorEvents.count('extended') < 3) await pair.connectorEvents.upcoming('extended');
  const answers = pair.connectorEvents.events.filter((event) => event.name === 'extended').map((event) => {
    expect(event.args[0]).toBe(3);
    return decodeMetadataMessage(event.args[1] as Buffer);
  });
  const pieces = answers.map((answer) => (answer.type === 'data' ? answer.data : Buffer.alloc(0)));
  expect(Buffer.concat(pieces).equals(infoRaw)).toBe(true);
});

it('leaves ut_pex out of a private torrent and cuts off a request past the end', async () => {
  const { pair, theirs } = await setup(false);
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  expect([...theirs.m.keys()]).toEqual(['ut_metadata']);
  pair.connector.extended(LOCAL_EXTENSION_IDS.ut_metadata, encodeMetadataMessage({ type: 'request', piece: 3 }));
  await pair.acceptorEvents.next('close');
  expect(pair.acceptor.closeReason?.code).toBe('protocol');
});

it('rejects requests beyond the per-peer rate', async () => {
  const { pair } = await setup(true);
  close = () => pair.acceptor.close({ code: 'shutdown', message: 'test' });
  // Burst is max(32, 2 x 3 pieces) = 32 at a frozen clock: the 33rd is rejected.
  for (let request = 0; request < 33; request++) pair.connector.extended(LOCAL_EXTENSION_IDS.ut_metadata, encodeMetadataMessage({ type: 'request', piece: 0 }));
  while (pair.connectorEvents.count('extended') < 33) await pair.connectorEvents.upcoming('extended');
  const last = pair.connectorEvents.events.filter((event) => event.name === 'extended').at(-1)!;
  expect(decodeMetadataMessage(last.args[1] as Buffer)).toEqual({ type: 'reject', piece: 0 });
});
