import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago, for clients that cannot be told "port 0" and report the port
 * they got (opentracker, transmission-daemon, aria2). Callers retry on a bind failure, since another
 * process may take the port in between.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port from listen(0)'))));
    });
  });
}
