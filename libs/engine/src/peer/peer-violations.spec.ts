import { type Message } from '@seedfleet/wire';
import type { DisconnectReason } from './disconnect-reason';
import type { PeerConnection } from './peer-connection';
import { uniformGeometry } from './testing/loopback';
import { connectionWithRawPeer } from './testing/raw-peer';

let open: PeerConnection[] = [];
afterEach(() => {
  for (const peer of open) peer.close({ code: 'shutdown', message: 'test over' });
  open = [];
});

async function setUp(...args: Parameters<typeof connectionWithRawPeer>) {
  const fixture = await connectionWithRawPeer(...args);
  open.push(fixture.peer);
  fixture.peer.start();
  return fixture;
}

async function closeReason(fixture: Awaited<ReturnType<typeof setUp>>): Promise<DisconnectReason> {
  const closed = await fixture.events.next('close');
  expect(fixture.events.count('close')).toBe(1);
  return closed.args[0] as DisconnectReason;
}

const request = (index: number, begin: number): Message => ({ type: 'request', index, begin, length: 16384 });

describe('a misbehaving peer is disconnected with a reason, and nothing throws', () => {
  it('an oversized length prefix: message-too-large, from the 4 prefix bytes alone', async () => {
    const fixture = await setUp();
    fixture.raw.write(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
    expect(await closeReason(fixture)).toMatchObject({ code: 'message-too-large' });
  });

  it('a bitfield of the wrong size', async () => {
    const fixture = await setUp();
    fixture.send({ type: 'bitfield', bytes: Buffer.alloc(5) });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol', message: expect.stringContaining('bitfield') });
  });

  it('a bitfield with spare bits set', async () => {
    const fixture = await setUp();
    fixture.send({ type: 'bitfield', bytes: Buffer.from([0xff, 0xff, 0xff]) });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol' });
  });

  it('have-none after a bitfield', async () => {
    const fixture = await setUp();
    fixture.send({ type: 'bitfield', bytes: Buffer.alloc(3) }, { type: 'have-none' });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol', message: expect.stringContaining('already announced') });
    expect(fixture.events.names().slice(0, 1)).toEqual(['bitfield']);
  });

  it('a have index out of range', async () => {
    const fixture = await setUp();
    fixture.send({ type: 'have', index: 20 });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol', message: 'have for piece 20, the torrent has 20' });
  });

  it.each<Message>([
    { type: 'have-all' },
    { type: 'have-none' },
    { type: 'allowed-fast', index: 1 },
    { type: 'suggest', index: 1 },
    { type: 'reject', index: 1, begin: 0, length: 16384 },
  ])('a fast-extension $type without the fast bit', async (message) => {
    const fixture = await setUp({ rawFlags: { extensionProtocol: true } });
    fixture.send(message);
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol', message: expect.stringContaining('without the fast extension') });
  });

  it('an extended message without the extension bit', async () => {
    const fixture = await setUp({ rawFlags: { fastExtension: true } });
    fixture.send({ type: 'extended', id: 0, payload: Buffer.from('de') });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol' });
  });

  it('an extension handshake that is not bencode', async () => {
    const fixture = await setUp();
    fixture.send({ type: 'extended', id: 0, payload: Buffer.from('garbage') });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol', message: expect.stringContaining('extension handshake') });
  });

  it('a request outside the piece', async () => {
    const fixture = await setUp();
    fixture.peer.unchoke();
    fixture.send({ type: 'request', index: 3, begin: 65536 - 8192, length: 16384 });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol', message: expect.stringContaining('request') });
  });

  it('a request flood without the fast extension: request-flood past the queue limit', async () => {
    const fixture = await setUp({ rawFlags: { extensionProtocol: true }, peer: { geometry: uniformGeometry(200) } });
    fixture.peer.unchoke();
    fixture.send(...Array.from({ length: 501 }, (_, at) => request(at % 200, Math.floor(at / 200) * 16384)));
    expect(await closeReason(fixture)).toMatchObject({ code: 'request-flood', message: 'more than 500 queued requests' });
    expect(fixture.events.count('request')).toBe(500);
  });

  it('a request flood with the fast extension: the excess is rejected and memory stays bounded', async () => {
    const fixture = await setUp({ peer: { maxQueuedRequests: 10 } });
    fixture.peer.unchoke();
    fixture.send(...Array.from({ length: 30 }, (_, at) => request(at % 20, Math.floor(at / 20) * 16384)));
    const rejects = await fixture.receivedCount('reject', 20);
    expect(rejects).toHaveLength(20);
    expect(fixture.peer.queuedRequests).toBe(10);
    expect(fixture.peer.isClosed).toBe(false);
  });

  it('requests while we choke: rejected with the fast extension, except allowed-fast pieces', async () => {
    const fixture = await setUp();
    fixture.peer.allowFast(4);
    fixture.send(request(1, 0), request(4, 0));
    await fixture.receivedCount('reject', 1);
    await fixture.events.next('request');
    expect(fixture.events.events.filter((event) => event.name === 'request').map((event) => event.args[0])).toEqual([{ index: 4, begin: 0, length: 16384 }]);
  });

  it('pieces for blocks never requested: tolerated up to the limit, then unrequested-data', async () => {
    const fixture = await setUp({ peer: { maxUnrequestedBytes: 3 * 16384 } });
    const piece = (begin: number): Message => ({ type: 'piece', index: 2, begin, block: Buffer.alloc(16384) });
    fixture.send(piece(0), piece(16384), piece(32768), { type: 'unchoke' });
    await fixture.events.next('unchoke');
    expect(fixture.peer.isClosed).toBe(false);
    expect(fixture.events.count('piece')).toBe(0);
    fixture.send(piece(49152));
    expect(await closeReason(fixture)).toMatchObject({ code: 'unrequested-data' });
  });

  it('a piece of the wrong length for our request counts as unrequested', async () => {
    const fixture = await setUp({ peer: { maxUnrequestedBytes: 0 } });
    fixture.peer.request({ index: 1, begin: 0, length: 16384 });
    fixture.send({ type: 'piece', index: 1, begin: 0, block: Buffer.alloc(100) });
    expect(await closeReason(fixture)).toMatchObject({ code: 'unrequested-data' });
  });

  it('more haves before the piece count is known than we remember', async () => {
    const fixture = await setUp({ peer: { geometry: undefined, maxHavesBeforeGeometry: 2 } });
    fixture.send({ type: 'have', index: 1 }, { type: 'have', index: 2 }, { type: 'have', index: 3 });
    expect(await closeReason(fixture)).toMatchObject({ code: 'protocol' });
  });

  it('a peer that closes: closed-by-peer', async () => {
    const fixture = await setUp();
    fixture.raw.end();
    expect(await closeReason(fixture)).toMatchObject({ code: 'closed-by-peer' });
  });

  it('a handler that throws closes the connection as internal instead of crashing', async () => {
    const fixture = await setUp();
    fixture.events.reactions.unchoke = () => {
      throw new Error('bug in the torrent');
    };
    fixture.send({ type: 'unchoke' });
    expect(await closeReason(fixture)).toMatchObject({ code: 'internal', message: expect.stringContaining('bug in the torrent') });
  });
});

describe('liveness', () => {
  it('sends keep-alives when idle', async () => {
    const fixture = await setUp({ peer: { keepAliveIntervalMs: 20 } });
    expect(await fixture.receivedCount('keep-alive', 2)).toHaveLength(2);
    expect(fixture.peer.isClosed).toBe(false);
  });

  it('closes with timeout when the peer sends nothing', async () => {
    const fixture = await setUp({ peer: { idleTimeoutMs: 40 } });
    expect(await closeReason(fixture)).toMatchObject({ code: 'timeout' });
  });

  it('counts any received byte as life, on the injected clock', async () => {
    let now = 0;
    const fixture = await setUp({ peer: { clock: () => now, idleTimeoutMs: 1000, keepAliveIntervalMs: 500 } });
    // Each keep-alive from the connection proves its timer looked at the clock after we moved it.
    now += 600;
    await fixture.receivedCount('keep-alive', 1);
    fixture.send({ type: 'keep-alive' }, { type: 'have', index: 1 });
    await fixture.events.next('have');
    now += 600;
    await fixture.receivedCount('keep-alive', 2);
    expect(fixture.peer.isClosed).toBe(false);
    now += 600;
    expect(await closeReason(fixture)).toMatchObject({ code: 'timeout', message: 'nothing received for 1200 ms' });
  });
});

describe('a late announcement after the peer said it had nothing, or a repeated bitfield', () => {
  it('a second bitfield adds its new pieces as haves (aria2 repeats its bitfield after web-seed pieces)', async () => {
    const fixture = await setUp();
    fixture.send({ type: 'bitfield', bytes: Buffer.from([0b10000000, 0, 0]) }, { type: 'bitfield', bytes: Buffer.from([0b11000000, 0, 0]) }, { type: 'have', index: 5 });
    expect((await fixture.events.next('have', 2)).args).toEqual([5]);
    expect(fixture.events.events.slice(0, 3).map((event) => event.name)).toEqual(['bitfield', 'have', 'have']);
    expect(fixture.events.events.slice(1, 3).map((event) => event.args)).toEqual([[1], [5]]);
    expect(fixture.peer.isClosed).toBe(false);
  });

  it('a bitfield after another first message adds its pieces, reported as haves (aria2 sends it late)', async () => {
    const fixture = await setUp();
    // Pieces 0 and 1 in the late bitfield; 1 was already had.
    fixture.send({ type: 'have', index: 1 }, { type: 'bitfield', bytes: Buffer.from([0b11000000, 0, 0]) }, { type: 'have', index: 5 });
    // Events: bitfield (the implied nothing), have 1, have 0 (news from the late bitfield), have 5.
    expect((await fixture.events.next('have', 3)).args).toEqual([5]);
    expect(fixture.events.names().slice(0, 4)).toEqual(['bitfield', 'have', 'have', 'have']);
    expect(fixture.events.events.slice(1, 4).map((event) => event.args)).toEqual([[1], [0], [5]]);
    expect(fixture.peer.pieces?.has(0)).toBe(true);
    expect(fixture.peer.isClosed).toBe(false);
  });
});
