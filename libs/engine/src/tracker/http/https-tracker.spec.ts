import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { announce } from '../announce';
import { trackerFailure } from '../testing/expect-tracker-error';

// https:// trackers: a real TLS server with a certificate from a private CA (made by openssl per run).
const params = { infoHash: Buffer.alloc(20, 1), peerId: Buffer.alloc(20, 2), port: 6881, uploaded: 0, downloaded: 0, left: 0 };

let dir: TempDir;
let server: Server;
let url: string;
let certificate: Buffer;

beforeAll(async () => {
  dir = await createTempDir('seedfleet-https-tracker-');
  const key = join(dir.path, 'key.pem');
  const cert = join(dir.path, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  certificate = readFileSync(cert);
  server = createServer({ key: readFileSync(key), cert: certificate }, (_request, response) => response.end('d8:intervali77e5:peers0:e'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/announce`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await dir?.remove();
});

describe('HTTPS announce', () => {
  it('announces to a tracker whose certificate chains to a CA we were given', async () => {
    expect((await announce(url, params, { ca: certificate })).interval).toBe(77);
  });

  it('refuses a certificate nobody vouches for, as "network"', async () => {
    const error = await trackerFailure(announce(url, params));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/self[- ]signed/i);
  });
});
