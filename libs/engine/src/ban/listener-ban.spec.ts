import { once } from 'node:events';
import { connect } from 'node:net';
import { encodeHandshake } from '@seedfleet/wire';
import { ConnectionLimits } from '../net/connection-limits';
import { Listener } from '../net/listener';
import type { DisconnectReason } from '../peer/disconnect-reason';
import { BanList } from './ban-list';

it('the listener refuses a banned address at accept, before answering, and still serves others', async () => {
  const bans = new BanList();
  bans.ban('127.0.0.3', 'test');
  const infoHash = Buffer.alloc(20, 1);
  const refused: [string, DisconnectReason][] = [];
  const accepted: string[] = [];
  const limits = new ConnectionLimits<string>();
  const listener = new Listener<string>({
    host: '0.0.0.0',
    port: 0,
    limits,
    isBanned: (address) => bans.isBanned(address),
    route: () => ({ torrent: 't', peerId: Buffer.alloc(20, 2), flags: {} }),
    onConnection: (connection) => {
      accepted.push(connection.socket.remoteAddress ?? '');
      connection.socket.destroy();
      limits.close('t');
    },
    onRefused: (address, reason) => refused.push([address, reason]),
  });
  const { port } = await listener.listen();
  try {
    const dial = async (localAddress: string): Promise<number> => {
      const socket = connect({ host: '127.0.0.1', port, localAddress });
      socket.on('error', () => undefined);
      socket.write(encodeHandshake({ flags: {}, infoHash, peerId: Buffer.alloc(20, 9) }));
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= 68) socket.destroy();
      });
      await once(socket, 'close');
      return received;
    };
    expect(await dial('127.0.0.3')).toBe(0);
    expect(refused.map(([address, reason]) => [address.replace(/^::ffff:/, ''), reason.code])).toEqual([['127.0.0.3', 'banned']]);
    expect(await dial('127.0.0.5')).toBe(68);
    expect(accepted.map((address) => address.replace(/^::ffff:/, ''))).toEqual(['127.0.0.5']);
    expect(limits.halfOpen).toBe(0);
  } finally {
    listener.close();
  }
});
