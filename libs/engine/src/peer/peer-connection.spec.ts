import { Bitfield, type BlockRef, type ExtensionHandshake } from '@seedfleet/wire';
import type { DisconnectReason } from './disconnect-reason';
import type { PeerConnection } from './peer-connection';
import { peerPair, uniformGeometry } from './testing/loopback';

const block = (index: number, begin: number, length = 16 * 1024): BlockRef => ({ index, begin, length });
const extensionHandshake = (reqq: number): ExtensionHandshake => ({ m: new Map([['ut_metadata', 3]]), v: 'seedfleet test', reqq, metadataSize: 1234, p: 6881, unknown: new Map() });

let open: PeerConnection[] = [];
afterEach(() => {
  for (const peer of open) peer.close({ code: 'shutdown', message: 'test over' });
  open = [];
});

async function startedPair(...args: Parameters<typeof peerPair>) {
  const pair = await peerPair(...args);
  open.push(pair.acceptor, pair.connector);
  return pair;
}

describe('two PeerConnections over a real socket', () => {
  it('exchange every message type, with the protocol state following', async () => {
    const { acceptor, connector, acceptorEvents, connectorEvents } = await startedPair();
    expect(acceptor.fastExtension && acceptor.extensionProtocol && connector.fastExtension).toBe(true);
    const connectorPieces = new Bitfield(20);
    connectorPieces.set(3);
    acceptor.announcePieces(Bitfield.full(20));
    acceptor.sendExtensionHandshake(extensionHandshake(250));
    connector.announcePieces(connectorPieces);
    connector.sendExtensionHandshake(extensionHandshake(100));
    acceptor.start();
    connector.start();

    const bitfield = await connectorEvents.next('bitfield');
    expect((bitfield.args[0] as Bitfield).isFull).toBe(true);
    expect(((await acceptorEvents.next('bitfield')).args[0] as Bitfield).has(3)).toBe(true);
    expect((await connectorEvents.next('extensionHandshake')).args[0]).toMatchObject({ reqq: 250, v: 'seedfleet test', metadataSize: 1234, p: 6881 });
    await acceptorEvents.next('extensionHandshake');
    expect(connector.extensions?.m.get('ut_metadata')).toBe(3);

    connector.interested();
    await acceptorEvents.next('interested');
    expect(acceptor.peerInterested).toBe(true);
    acceptor.unchoke();
    await connectorEvents.next('unchoke');
    expect(connector.peerChoking).toBe(false);

    const data = Buffer.alloc(16 * 1024, 7);
    acceptorEvents.reactions.request = (peer, requested: BlockRef) => {
      if (requested.begin === 0) peer.sendPiece(requested.index, requested.begin, data);
      else if (requested.begin === 16384) peer.reject(requested);
    };
    expect(connector.request(block(5, 0))).toBe(true);
    expect(connector.request(block(5, 0))).toBe(false);
    connector.request(block(5, 16384));
    connector.request(block(5, 32768));
    connector.cancel(block(5, 32768));
    expect((await connectorEvents.next('piece')).args).toEqual([5, 0, data, true]);
    expect((await connectorEvents.next('reject')).args[0]).toEqual(block(5, 16384));
    expect((await acceptorEvents.next('cancel')).args[0]).toEqual(block(5, 32768));
    expect(acceptor.queuedRequests).toBe(0);

    acceptor.have(7);
    connector.have(9);
    acceptor.allowFast(2);
    acceptor.suggest(4);
    acceptor.extended(3, Buffer.from('d1:ai1ee'));
    acceptor.port(6881);
    const root = Buffer.alloc(32, 1);
    acceptor.sendHashMessage({ type: 'hash-request', piecesRoot: root, baseLayer: 0, index: 0, length: 2, proofLayers: 1 });
    acceptor.choke();
    connector.notInterested();
    expect((await acceptorEvents.next('have')).args).toEqual([9]);
    expect((await connectorEvents.next('allowedFast')).args).toEqual([2]);
    expect((await connectorEvents.next('suggest')).args).toEqual([4]);
    expect((await connectorEvents.next('extended')).args).toEqual([3, Buffer.from('d1:ai1ee')]);
    expect((await connectorEvents.next('port')).args).toEqual([6881]);
    expect((await connectorEvents.next('hashMessage')).args[0]).toMatchObject({ type: 'hash-request', length: 2, proofLayers: 1 });
    expect((await connectorEvents.next('choke')).args).toEqual([[]]);
    await acceptorEvents.next('notInterested');
    // A have for a piece the peer already announced is not news.
    expect(connectorEvents.count('have')).toBe(0);
    expect(connector.allowedFastFromPeer.has(2)).toBe(true);
    expect(connector.requestsInFlight).toBe(0);
    expect(connector.traffic.payloadReceived).toBe(16 * 1024);
    expect(acceptor.traffic.payloadSent).toBe(16 * 1024);
    expect(connector.traffic.protocolReceived).toBeGreaterThan(0);
    expect(connector.downloadRate()).toBeGreaterThan(0);

    acceptor.close({ code: 'shutdown', message: 'done' });
    const closed = await connectorEvents.next('close');
    expect((closed.args[0] as DisconnectReason).code).toBe('closed-by-peer');
    expect(acceptorEvents.count('close')).toBe(1);
  });

  it('without the fast extension a choke drops our requests and reports them', async () => {
    const { acceptor, connector, connectorEvents, acceptorEvents } = await startedPair({ acceptorFlags: { extensionProtocol: true } });
    expect(connector.fastExtension).toBe(false);
    acceptor.start();
    connector.start();
    acceptor.unchoke();
    await connectorEvents.next('unchoke');
    connector.request(block(1, 0));
    connector.request(block(1, 16384));
    await acceptorEvents.next('request');
    acceptor.choke();
    expect((await connectorEvents.next('choke')).args).toEqual([[block(1, 0), block(1, 16384)]]);
    expect(acceptor.queuedRequests).toBe(0);
    expect(acceptor.sendPiece(1, 0, Buffer.alloc(16384))).toBe(false);
    expect(connector.requestsInFlight).toBe(0);
  });

  it('reports a block arriving after we cancelled it as not requested', async () => {
    const { acceptor, connector, connectorEvents, acceptorEvents } = await startedPair({ acceptorFlags: { extensionProtocol: true } });
    acceptor.start();
    connector.start();
    acceptor.unchoke();
    await connectorEvents.next('unchoke');
    connector.request(block(1, 0));
    const request = await acceptorEvents.next('request');
    connector.cancel(block(1, 0));
    // The block was already on its way when the cancel left.
    acceptor.sendPiece(1, 0, Buffer.alloc(16384, 1));
    expect(request.args[0]).toEqual(block(1, 0));
    expect((await connectorEvents.next('piece')).args.at(-1)).toBe(false);
  });

  it('waits for the piece count before reporting what a magnet peer announced', async () => {
    const { acceptor, connector, connectorEvents } = await startedPair({ connector: { geometry: undefined } });
    const pieces = new Bitfield(20);
    pieces.set(1);
    acceptor.announcePieces(pieces);
    acceptor.have(6);
    acceptor.unchoke();
    acceptor.start();
    connector.start();
    await connectorEvents.next('unchoke');
    expect(connectorEvents.count('bitfield')).toBe(0);
    connector.setGeometry({ pieceCount: 20, pieceSize: () => 65536 });
    const reported = (await connectorEvents.next('bitfield')).args[0] as Bitfield;
    expect([reported.has(1), reported.has(6), reported.count]).toEqual([true, true, 2]);
  });

  it('asks the uploader to stop when the send buffer is full and tells it when it drains', async () => {
    const geometry = uniformGeometry(200);
    const { acceptor, connector, acceptorEvents, connectorEvents, sockets } = await startedPair({ acceptor: { geometry }, connector: { geometry } });
    const data = Buffer.alloc(16 * 1024, 3);
    acceptorEvents.reactions.request = (peer, requested: BlockRef) => peer.sendPiece(requested.index, requested.begin, data);
    acceptor.unchoke();
    acceptor.start();
    connector.start();
    await connectorEvents.next('unchoke');
    // The connector stops reading: 8 MiB of blocks is more than loopback's kernel buffers take.
    sockets.connector.pause();
    for (let index = 0; index < 125; index++) for (let begin = 0; begin < 65536; begin += 16384) connector.request(block(index, begin));
    while (acceptorEvents.count('request') < 500) await acceptorEvents.upcoming('request');
    await new Promise((resolve) => setImmediate(resolve));
    expect(acceptor.canSendMore).toBe(false);
    expect(acceptor.writableLength).toBeGreaterThanOrEqual(1024 * 1024);
    sockets.connector.resume();
    await acceptorEvents.next('drain');
    expect(acceptor.canSendMore).toBe(true);
    while (connectorEvents.count('piece') < 500) await connectorEvents.upcoming('piece');
  });
});
