import { startTestTracker, type TestTracker } from '@seedfleet/testing';
import type { PeerAddress } from '@seedfleet/wire';
import type { ServerResponse } from 'node:http';
import { announce } from '../announce';
import { ManualTimers } from '../testing/manual-timers';
import { serveHttp } from '../testing/test-servers';
import { TrackerError } from '../tracker-error';
import { Announcer, type AnnouncerOptions } from './announcer';

const infoHash = Buffer.alloc(20, 0x5a);
const peerId = Buffer.from('-SF0001-announcer001');
const otherPeer = { infoHash, peerId: Buffer.from('-XX0001-otherpeer001'), port: 7777, uploaded: 0, downloaded: 0, left: 0 };
/** No shuffling: Fisher-Yates with random() ≈ 1 keeps every tier in its given order. */
const keepOrder = (): number => 0.999_999;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function tracker(options: { interval?: number; minInterval?: number } = {}): Promise<TestTracker> {
  const started = await startTestTracker(options);
  closers.push(() => started.close());
  return started;
}

/** A tracker that answers every announce with HTTP 500, counting them. */
async function brokenTracker(): Promise<{ url: string; received: string[] }> {
  const server = await serveHttp((_request, response) => response.writeHead(500).end());
  closers.push(() => server.close());
  return { url: `${server.base}/announce`, received: server.received };
}

/** A tracker whose answers the test writes itself, request by request. */
async function heldTracker(): Promise<{ url: string; received: string[]; nextRequest(): Promise<ServerResponse> }> {
  const waiting: ServerResponse[] = [];
  let wake: (() => void) | undefined;
  const server = await serveHttp((_request, response) => {
    waiting.push(response);
    wake?.();
  });
  closers.push(() => server.close());
  const nextRequest = async (): Promise<ServerResponse> => {
    if (waiting.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    return waiting.shift()!;
  };
  return { url: `${server.base}/announce`, received: server.received, nextRequest };
}

interface Harness {
  announcer: Announcer;
  timers: ManualTimers;
  peers: { peers: PeerAddress[]; source: string }[];
  errors: Error[];
  stats: { uploaded: number; downloaded: number; left: number };
}

function harness(tiers: string[][], extra: Partial<AnnouncerOptions> = {}): Harness {
  const timers = new ManualTimers();
  const peers: Harness['peers'] = [];
  const errors: Error[] = [];
  const stats = { uploaded: 0, downloaded: 0, left: 1000 };
  const announcer = new Announcer({
    tiers,
    infoHash,
    peerId,
    port: 6881,
    stats: () => stats,
    onPeers: (found, source) => peers.push({ peers: found, source }),
    onError: (error) => errors.push(error),
    clock: timers.clock,
    timers,
    random: keepOrder,
    request: { timeoutMs: 2000 },
    ...extra,
  });
  closers.push(() => announcer.stop());
  return { announcer, timers, peers, errors, stats };
}

const ours = (tracker: TestTracker) => tracker.announces.filter((announce) => announce.peerId.equals(peerId));

describe('Announcer', () => {
  it('announces started, hands over peers, then re-announces after the interval', async () => {
    const server = await tracker({ interval: 1800 });
    await announce(server.url, otherPeer);
    const { announcer, timers, peers } = harness([[server.url]]);
    announcer.start();
    expect(await timers.nextTimer()).toBe(1_800_000);
    expect(peers).toEqual([{ peers: [{ host: '127.0.0.1', port: 7777 }], source: server.url }]);
    expect(ours(server).map((announce) => [announce.event, announce.left, announce.numwant])).toEqual([['started', 1000, 50]]);

    timers.advance(1_799_999);
    expect(ours(server)).toHaveLength(1);
    timers.advance(1);
    expect(await timers.nextTimer()).toBe(1_800_000);
    expect(ours(server).map((announce) => announce.event)).toEqual(['started', undefined]);
  });

  it('keeps the key constant and echoes the tracker id', async () => {
    const server = await serveHttp((_request, response) => response.end('d8:intervali60e5:peers0:10:tracker id3:abce'));
    closers.push(() => server.close());
    const { announcer, timers } = harness([[`${server.base}/announce`]]);
    announcer.start();
    await timers.fireNext();
    await timers.nextTimer();
    expect(server.received[0]).not.toMatch(/trackerid=/);
    expect(server.received[1]).toMatch(/trackerid=abc/);
    expect(server.received[0].match(/key=([0-9a-f]{8})/)?.[1]).toBe(server.received[1].match(/key=([0-9a-f]{8})/)?.[1]);
  });

  it('honours min interval for announceNow, and never goes below its own floor', async () => {
    const server = await tracker({ interval: 1800, minInterval: 300 });
    const { announcer, timers } = harness([[server.url]]);
    announcer.start();
    await timers.nextTimer();
    timers.advance(100_000);
    announcer.announceNow();
    expect(timers.pendingDelays()).toEqual([200_000]);
    timers.advance(200_000);
    await timers.nextTimer();
    expect(ours(server)).toHaveLength(2);

    const eager = await tracker({ interval: 1, minInterval: 0 });
    const second = harness([[eager.url]], { minAnnounceIntervalMs: 30_000 });
    second.announcer.start();
    expect(await second.timers.nextTimer()).toBe(30_000);
  });

  it('falls over within a tier and moves the tracker that answered to the front (BEP 12)', async () => {
    const broken = await brokenTracker();
    const good = await tracker();
    const { announcer, timers, errors } = harness([[broken.url, good.url]]);
    announcer.start();
    await timers.nextTimer();
    expect(broken.received).toHaveLength(1);
    expect(ours(good).map((announce) => announce.event)).toEqual(['started']);
    expect(errors.map((error) => [(error as TrackerError).code, (error as TrackerError).url])).toEqual([['http-status', broken.url]]);
    expect(announcer.trackers()).toEqual([[good.url, broken.url]]);

    await timers.fireNext();
    await timers.nextTimer();
    expect(broken.received).toHaveLength(1);
    expect(ours(good)).toHaveLength(2);
  });

  it('goes to the next tier only when a whole tier fails, and starts over from the first tier', async () => {
    const first = await tracker();
    const second = await tracker();
    const { announcer, timers } = harness([[first.url], [second.url]]);
    first.refuse('down for maintenance');
    announcer.start();
    await timers.nextTimer();
    expect(ours(second).map((announce) => announce.event)).toEqual(['started']);

    first.refuse(undefined);
    await timers.fireNext();
    await timers.nextTimer();
    // The first tier works again: it is asked first, and gets its own `started`.
    expect(ours(first).map((announce) => announce.event)).toEqual(['started']);
    expect(ours(second)).toHaveLength(1);
  });

  it('backs off exponentially while every tracker fails, up to the cap, and resets after a success', async () => {
    const server = await tracker();
    server.refuse('no');
    const { announcer, timers, errors } = harness([[server.url]], { retryBaseMs: 10_000, retryMaxMs: 60_000 });
    announcer.start();
    const delays = [await timers.nextTimer()];
    for (let round = 0; round < 4; round++) {
      timers.advance(delays[delays.length - 1]);
      delays.push(await timers.nextTimer());
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(errors.every((error) => error instanceof TrackerError && error.code === 'failure')).toBe(true);
    expect(errors).toHaveLength(5);

    server.refuse(undefined);
    timers.advance(60_000);
    expect(await timers.nextTimer()).toBe(1_800_000);
    expect(ours(server).map((announce) => announce.event)).toEqual(['started']);
  });

  it('sends completed at once, retrying it until a tracker takes it', async () => {
    const server = await tracker();
    const { announcer, timers, stats } = harness([[server.url]]);
    announcer.start();
    await timers.nextTimer();
    stats.left = 0;
    server.refuse('busy');
    announcer.completed();
    expect(await timers.nextTimer()).toBe(15_000);
    server.refuse(undefined);
    timers.advance(15_000);
    await server.waitForAnnounce((announce) => announce.event === 'completed');
    await timers.nextTimer();
    expect(ours(server).map((announce) => [announce.event, announce.left])).toEqual([['started', 1000], ['completed', 0]]);

    await timers.fireNext();
    await timers.nextTimer();
    expect(ours(server).map((announce) => announce.event)).toEqual(['started', 'completed', undefined]);
  });

  it('queues completed() that arrives during a round and sends it right after', async () => {
    const server = await heldTracker();
    const { announcer, timers } = harness([[server.url]]);
    announcer.start();
    const first = await server.nextRequest();
    announcer.completed();
    first.end('d8:intervali60e5:peers0:e');
    const second = await server.nextRequest();
    expect(timers.pendingDelays()).toEqual([]);
    second.end('d8:intervali60e5:peers0:e');
    expect(await timers.nextTimer()).toBe(60_000);
    expect(server.received.map((url) => url.match(/event=(\w+)/)?.[1])).toEqual(['started', 'completed']);
  });

  it('sends stopped to every tracker that has us, and nothing more after stop()', async () => {
    const first = await tracker();
    const second = await tracker();
    first.refuse('no');
    const { announcer, timers } = harness([[first.url], [second.url]]);
    announcer.start();
    await timers.nextTimer();
    await announcer.stop();
    expect(ours(second).map((announce) => [announce.event, announce.numwant])).toEqual([['started', 50], ['stopped', 0]]);
    expect(ours(first)).toHaveLength(0);
    expect(timers.pendingDelays()).toEqual([]);
    announcer.announceNow();
    announcer.completed();
    expect(timers.pendingDelays()).toEqual([]);
    expect(ours(second)).toHaveLength(2);
  });

  it('stop() aborts a round in flight and waits for stopped at most stopTimeoutMs', async () => {
    const silent = await heldTracker();
    const { announcer } = harness([[silent.url]], { request: { timeoutMs: 60_000 } });
    announcer.start();
    await silent.nextRequest();
    await announcer.stop();
    expect(silent.received).toHaveLength(1);

    // A tracker that took `started` and then went silent: stop() gives up on it after stopTimeoutMs.
    let answering = true;
    const fading = await serveHttp((_request, response) => {
      if (answering) response.end('d8:intervali60e5:peers0:e');
    });
    closers.push(() => fading.close());
    const second = harness([[`${fading.base}/announce`]], { stopTimeoutMs: 100 });
    second.announcer.start();
    await second.timers.nextTimer();
    answering = false;
    await second.announcer.stop();
    expect(fading.received).toHaveLength(2);
    expect(second.errors.map((error) => (error as TrackerError).code)).toEqual(['timeout']);
  });

  it('stop() before start() sends nothing', async () => {
    const server = await tracker();
    const { announcer, timers } = harness([[server.url]]);
    await announcer.stop();
    announcer.start();
    expect(timers.pendingDelays()).toEqual([]);
    expect(server.announces).toHaveLength(0);
  });

  it('never throws out: callbacks and stats that throw are reported', async () => {
    const server = await tracker();
    await announce(server.url, otherPeer);
    const errors: Error[] = [];
    let statsFail = false;
    const { announcer, timers } = harness([[server.url]], {
      onPeers: () => {
        throw new Error('consumer bug');
      },
      onError: (error) => {
        errors.push(error);
        throw new Error('error handler bug');
      },
      stats: () => {
        if (statsFail) throw new Error('stats bug');
        return { uploaded: 0, downloaded: 0, left: 1 };
      },
    });
    announcer.start();
    await timers.nextTimer();
    expect(errors.map((error) => error.message)).toEqual(['consumer bug']);
    statsFail = true;
    timers.advance(await timers.nextTimer());
    expect(await timers.nextTimer()).toBe(15_000);
    expect(errors.map((error) => error.message)).toEqual(['consumer bug', 'stats bug']);
    await expect(announcer.stop()).resolves.toBeUndefined();
  });
});
