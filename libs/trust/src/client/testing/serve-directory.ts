import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/** A static HTTP server over a directory, with per-path overrides to play an attacker or a broken mirror. */
export interface DirectoryServer {
  readonly url: string;
  /** Serve these bytes (or a 404 for null) at `path` instead of the file; undefined removes the override. */
  override(path: string, bytes: Uint8Array | null | undefined): void;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function serveDirectory(root: string): Promise<DirectoryServer> {
  const overrides = new Map<string, Uint8Array | null>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    requests.push(path);
    const send = (status: number, body: Uint8Array | string) => {
      response.writeHead(status, { 'content-length': Buffer.byteLength(body) });
      response.end(body);
    };
    if (overrides.has(path)) {
      const bytes = overrides.get(path);
      return bytes ? send(200, bytes) : send(404, 'not found');
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(normalize(root))) return send(403, 'forbidden');
    readFile(file).then(
      (bytes) => send(200, bytes),
      () => send(404, 'not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    override(path, bytes) {
      if (bytes === undefined) overrides.delete(path);
      else overrides.set(path, bytes);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
