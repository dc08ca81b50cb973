import { pathToFileURL } from 'node:url';

// `node bittorrent-tracker-server.js <path to bittorrent-tracker/server.js> <port>`: the npm tracker as its
// README runs it (HTTP only: no UDP, WebSocket or stats routes), printing "ready" once it listens.
interface TrackerServer {
  on(event: 'error' | 'warning', listener: (error: Error) => void): void;
  listen(port: number, host: string, onListening: () => void): void;
  close(onClose: () => void): void;
}

async function main(): Promise<void> {
  const [modulePath, portText] = process.argv.slice(2);
  const { default: Server } = (await import(pathToFileURL(modulePath).href)) as { default: new (options: object) => TrackerServer };
  const server = new Server({ udp: false, http: true, ws: false, stats: false, trustProxy: false });
  server.on('error', (error) => process.stderr.write(`bittorrent-tracker error: ${error.message}\n`));
  server.on('warning', () => undefined); // bad requests from the generator would show as failures anyway
  server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('ready\n'));
  const stop = (): void => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
