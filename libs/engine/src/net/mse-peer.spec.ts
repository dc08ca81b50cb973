import type { BlockRef } from '@seedfleet/wire';
import type { PeerConnection } from '../peer/peer-connection';
import { peerPair, uniformGeometry } from '../peer/testing/loopback';

const block = (index: number, begin: number, length = 16 * 1024): BlockRef => ({ index, begin, length });

let open: PeerConnection[] = [];
afterEach(() => {
  for (const peer of open) peer.close({ code: 'shutdown', message: 'test over' });
  open = [];
});

describe('PeerConnections over an RC4 stream', () => {
  it('carry blocks intact, and a batch over the send limit written at once still ends in onDrain', async () => {
    const geometry = uniformGeometry(200);
    const pair = await peerPair({ acceptor: { geometry }, connector: { geometry }, encryption: 'require' });
    const { acceptor, connector, acceptorEvents, connectorEvents } = pair;
    open.push(acceptor, connector);
    const data = (index: number, begin: number): Buffer => Buffer.alloc(16 * 1024, (index * 7 + begin / 16384) & 0xff);
    acceptorEvents.reactions.request = (peer, requested: BlockRef) => peer.sendPiece(requested.index, requested.begin, data(requested.index, requested.begin));
    acceptor.unchoke();
    acceptor.start();
    connector.start();
    await connectorEvents.next('unchoke');
    // 2 MiB of requests in one message batch: the acceptor queues all the blocks in one tick (over the 1 MiB
    // send limit) and the kernel may take the whole encrypted flush at once.
    for (let index = 0; index < 32; index++) for (let begin = 0; begin < 65536; begin += 16384) connector.request(block(index, begin));
    await acceptorEvents.next('drain');
    while (connectorEvents.count('piece') < 128) await connectorEvents.upcoming('piece');
    for (const event of connectorEvents.events.filter((recorded) => recorded.name === 'piece')) {
      const [index, begin, bytes] = event.args as [number, number, Buffer];
      expect(bytes.equals(data(index, begin))).toBe(true);
    }
  });
});
