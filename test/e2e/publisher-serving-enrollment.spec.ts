import { createHash, randomBytes } from 'node:crypto';
import { decode, type BDict } from '@seedfleet/bencode';
import { parseTorrent } from '@seedfleet/metainfo';
import { PASSKEY_PATTERN } from '@seedfleet/tracker';
import { deterministicBytes } from '@seedfleet/testing';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { startPublisher, type PublisherUnderTest } from './publisher-support/harness';
import { publishRelease, rawRequest } from './publisher-serving.fixture';

jest.setTimeout(120_000);

const escape = (bytes: Buffer) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

interface Enrolled {
  agentId: string;
  passkey: string;
  trackerUrl: string;
  announceUrl: string;
}

describe('agent enrollment (real Redis)', () => {
  let publisher: PublisherUnderTest;
  let release: Release;

  beforeAll(async () => {
    publisher = await startPublisher({ ORIGIN_SEEDER: 'off' });
    release = await publishRelease(publisher, 'enroll-app', '1.0.0', { 'app.bin': deterministicBytes(40_000, 'enroll') });
  });

  afterAll(async () => {
    await publisher?.close();
  });

  const createToken = (body: Record<string, unknown> = {}, token?: string | null) => publisher.api('POST', '/api/enrollment-tokens', { body, token });
  const enroll = (body: Record<string, unknown>) => publisher.api('POST', '/api/enroll', { body, token: null });

  /** An announce to our tracker as this agent would send it, decoded. */
  async function announce(passkey: string): Promise<BDict> {
    const query = `?info_hash=${escape(Buffer.from(release.infoHashV1!, 'hex'))}&peer_id=${escape(randomBytes(20))}&port=6999&uploaded=0&downloaded=0&left=1`;
    const response = await rawRequest(publisher.base, 'GET', `/announce/${passkey}${query}`);
    return decode(response.body).value as BDict;
  }

  it('token -> enroll -> a passkey the tracker accepts and the torrent download embeds', async () => {
    const created = await createToken({ zone: 'eu-west-1a', region: 'eu-west-1' });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^sfe_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(created.json.expiresAt as string) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const enrolled = await enroll({ token: created.json.token, hostname: 'host-1.example' });
    expect(enrolled.status).toBe(201);
    const agent = enrolled.json as unknown as Enrolled;
    expect(agent.agentId).toMatch(/^agt_[0-9a-f]{32}$/);
    expect(agent.passkey).toMatch(PASSKEY_PATTERN);
    expect(agent.trackerUrl).toBe(`${publisher.config.publicUrl}/announce`);
    expect(agent.announceUrl).toBe(`${publisher.config.publicUrl}/announce/${agent.passkey}`);

    const reply = await announce(agent.passkey);
    expect(reply.get('failure reason')).toBeUndefined();
    expect(reply.get('interval')).toBeGreaterThan(0);
    expect(String((await announce('not-an-enrolled-key')).get('failure reason'))).toMatch(/unknown passkey/);

    const torrent = await rawRequest(publisher.base, 'GET', `/api/releases/${release.id}/torrent`, { 'x-seedfleet-passkey': agent.passkey });
    expect(parseTorrent(torrent.body).announce).toEqual([[agent.announceUrl]]);

    const record = await publisher.redis.hgetall(`${publisher.config.redisKeyPrefix}agents:${agent.agentId}`);
    expect(record).toMatchObject({ agentId: agent.agentId, passkey: agent.passkey, zone: 'eu-west-1a', region: 'eu-west-1', hostname: 'host-1.example' });
  });

  it('a used-up token is refused with 403, an unknown one with 401', async () => {
    const { json } = await createToken();
    expect((await enroll({ token: json.token })).status).toBe(201);
    const again = await enroll({ token: json.token });
    expect(again.status).toBe(403);
    expect(again.json.message).toMatch(/already used/);
    const unknown = await enroll({ token: `sfe_${randomBytes(32).toString('base64url')}` });
    expect(unknown.status).toBe(401);
    expect(unknown.json.message).toMatch(/unknown enrollment token/);
  });

  it('an expired token is refused with 401 saying so', async () => {
    const { json } = await createToken({ expiresInSeconds: 60 });
    // Move the expiry into the past instead of waiting a minute.
    const key = `${publisher.config.redisKeyPrefix}enroll:token:${createHash('sha256').update(json.token as string).digest('hex')}`;
    expect(await publisher.redis.hset(key, 'expiresAt', Date.now() - 1000)).toBe(0);
    const refused = await enroll({ token: json.token });
    expect(refused.status).toBe(401);
    expect(refused.json.message).toMatch(/expired/);
  });

  it('a token of N uses enrolls exactly N agents under concurrent requests', async () => {
    const { json } = await createToken({ uses: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, () => enroll({ token: json.token })));
    expect(results.filter((result) => result.status === 201)).toHaveLength(3);
    expect(results.filter((result) => result.status === 403)).toHaveLength(5);
    expect(new Set(results.filter((result) => result.status === 201).map((result) => result.json.passkey)).size).toBe(3);
  });

  it('creating tokens needs the admin token', async () => {
    expect((await createToken({}, null)).status).toBe(401);
    expect((await createToken({}, 'wrong-token-wrong-token')).status).toBe(401);
  });

  it.each<[string, Record<string, unknown>]>([
    ['uses 0', { uses: 0 }],
    ['uses not an integer', { uses: 1.5 }],
    ['uses as a string', { uses: '2' }],
    ['a zone with spaces', { zone: 'eu west' }],
    ['a region too long', { region: 'r'.repeat(64) }],
    ['a too short expiry', { expiresInSeconds: 1 }],
    ['an unknown field', { passkey: 'x' }],
  ])('token request with %s: 400 JSON', async (_name, body) => {
    const response = await createToken(body);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it.each<[string, unknown]>([
    ['no token', {}],
    ['a token of the wrong shape', { token: 'hello' }],
    ['a numeric token', { token: 42 }],
    ['a bad hostname', { token: `sfe_${'a'.repeat(43)}`, hostname: 'bad host/../x' }],
    ['an unknown field', { token: `sfe_${'a'.repeat(43)}`, admin: true }],
    ['an array body', [1, 2]],
  ])('enroll with %s: 400 JSON', async (_name, body) => {
    const response = await publisher.api('POST', '/api/enroll', { body, token: null });
    expect(response.status).toBe(400);
    expect(response.json.statusCode).toBe(400);
  });
});
