import { randomBytes } from 'node:crypto';
import { announce, type AnnounceParams, scrape, TrackerError } from '../../libs/engine/src/tracker';
import { scrapeUrl } from '../../libs/engine/src/tracker/http/query-string';
import { baseUrl, cleanupPrefix, startTracker, type TrackerUnderTest, uniquePrefix } from './tracker-server-fixtures';

// Our tracker client against our tracker in private mode (real HTTP, real Redis): announces go to
// /announce/<passkey>, scrapes to the /scrape/<passkey> derived from it (BEP 48's convention applied to
// the last `announce` segment), and an unknown passkey is a tracker failure.
jest.setTimeout(30_000);

const prefix = uniquePrefix('tracker-passkey');
const infoHash = randomBytes(20);
const passkeys = { first: `pk-${randomBytes(8).toString('hex')}`, second: `pk-${randomBytes(8).toString('hex')}` };
let tracker: TrackerUnderTest;

beforeAll(async () => {
  tracker = await startTracker({ keyPrefix: prefix, tracker: { access: { kind: 'private' }, minIntervalSeconds: 0 } });
  await tracker.store.registerInfoHash(infoHash);
  await tracker.store.registerPasskey(passkeys.first, { zone: 'z1', region: 'r1' });
  await tracker.store.registerPasskey(passkeys.second, { zone: 'z1', region: 'r1' });
});

afterAll(async () => {
  await tracker?.stop();
  await cleanupPrefix(prefix);
});

const announceUrl = (passkey: string): string => `${baseUrl(tracker)}/announce/${passkey}`;

function params(peer: number, left: number): AnnounceParams {
  return { infoHash, peerId: Buffer.from(`-SF0001-${String(peer).padStart(12, '0')}`), port: 40_000 + peer, uploaded: 0, downloaded: 0, left, event: 'started' };
}

it('derives /scrape/<passkey> from /announce/<passkey>, and keeps the BEP 48 forms', () => {
  const hash = Buffer.from('ab', 'hex');
  expect(scrapeUrl('http://t.example/announce/abc123', [hash])).toBe('http://t.example/scrape/abc123?info_hash=%AB');
  expect(scrapeUrl('http://t.example/x/announce/abc123?k=v', [hash])).toBe('http://t.example/x/scrape/abc123?k=v&info_hash=%AB');
  expect(scrapeUrl('http://t.example/announce.php?passkey=k', [hash])).toBe('http://t.example/scrape.php?passkey=k&info_hash=%AB');
  expect(scrapeUrl('http://t.example/announce', [hash])).toBe('http://t.example/scrape?info_hash=%AB');
  expect(scrapeUrl('http://announce.example/tracker/abc', [hash])).toBeUndefined();
  expect(scrapeUrl('http://t.example/a/announcements/abc', [hash])).toBeUndefined();
});

it('two agents announce with their passkeys, see each other, and scrape through the derived URL', async () => {
  const seeder = await announce(announceUrl(passkeys.first), params(1, 0));
  expect(seeder.peers).toEqual([]);
  const leecher = await announce(announceUrl(passkeys.second), params(2, 1000));
  expect(leecher.peers).toEqual([{ host: '127.0.0.1', port: 40_001 }]);
  const counts = await scrape(announceUrl(passkeys.second), [infoHash]);
  expect(counts.get(infoHash.toString('hex'))).toEqual({ complete: 1, incomplete: 1, downloaded: 0 });
});

it('an unknown passkey is a tracker failure for announce and scrape', async () => {
  const unknown = `pk-${randomBytes(8).toString('hex')}`;
  const failure = (promise: Promise<unknown>): Promise<TrackerError> => promise.then(() => { throw new Error('expected a TrackerError'); }, (error: TrackerError) => error);
  const announced = await failure(announce(announceUrl(unknown), params(3, 1000)));
  expect(announced).toBeInstanceOf(TrackerError);
  expect(announced.message).toMatch(/passkey/);
  const scraped = await failure(scrape(announceUrl(unknown), [infoHash]));
  expect(scraped).toBeInstanceOf(TrackerError);
  expect(scraped.message).toMatch(/passkey/);
});
