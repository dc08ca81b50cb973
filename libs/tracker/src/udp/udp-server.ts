import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { RunningServer } from '../http/http-server';
import type { UdpTracker } from './udp-tracker';

/** Binds the UDP tracker to host:port (an IPv6 host listens dual-stack where the OS allows). */
export async function startUdpTrackerServer(tracker: UdpTracker, host: string, port: number): Promise<RunningServer> {
  const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  socket.on('message', (message, from) => {
    void tracker.handle(message, from).then((reply) => {
      // A send can fail for an unreachable client; the client retries, nothing to do here.
      if (reply) socket.send(reply, from.port, from.address, () => undefined);
    });
  });
  await new Promise<void>((resolveBind, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolveBind();
    });
  });
  // After binding, errors (ICMP unreachable on some platforms) must not crash the process.
  socket.on('error', () => undefined);
  return { host, port: socket.address().port, close: () => new Promise((resolveClose) => socket.close(() => resolveClose())) };
}
