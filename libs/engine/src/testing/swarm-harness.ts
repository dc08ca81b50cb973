import { HashPool } from '@seedfleet/hashing';
import { Session } from '../session/session';
import type { SessionOptions } from '../session/session-options';
import type { PieceStore } from '../storage/piece-store';
import type { Torrent } from '../torrent/torrent';
import type { AddTorrentOptions } from '../torrent/torrent-options';
import type { TestTorrent } from './test-torrent';

export interface SwarmMember {
  readonly session: Session;
  readonly torrent: Torrent;
  readonly store: PieceStore;
  readonly port: number;
}

export interface SwarmHarness {
  readonly seeders: SwarmMember[];
  readonly leechers: SwarmMember[];
  /** Every member's session shares this pool (fewer worker threads per test process). */
  readonly hashPool: HashPool;
  /** Starts one more leecher that knows every member so far. */
  addLeecher(options?: Partial<AddTorrentOptions>, session?: SessionOptions): Promise<SwarmMember>;
  /** Resolves when every leecher completed; rejects after `timeoutMs` naming the ones still missing pieces. */
  allComplete(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * N seeders and M leechers, each its own Session on 127.0.0.1 with its own port, in this process.
 * Leechers know every earlier member's address (as a tracker would tell them), or, with `trackerUrl`,
 * learn them from that tracker; either way they trade among themselves too. Pass `leecherOptions` to
 * give them limits or stores of your own.
 */
export async function startSwarm(
  torrent: TestTorrent,
  options: {
    seeders?: number;
    leechers?: number;
    seederOptions?: Partial<AddTorrentOptions>;
    leecherOptions?: Partial<AddTorrentOptions>;
    sessionOptions?: SessionOptions;
    /** Peers find each other through this tracker only (no addresses handed over directly). */
    trackerUrl?: string;
  } = {},
): Promise<SwarmHarness> {
  const hashPool = new HashPool({ size: 2 });
  const members: SwarmMember[] = [];
  const seeders: SwarmMember[] = [];
  const leechers: SwarmMember[] = [];

  const start = async (add: Partial<AddTorrentOptions> & { store: PieceStore }, sessionOptions?: SessionOptions): Promise<SwarmMember> => {
    const session = new Session({ host: '127.0.0.1', port: 0, hashPool, ...options.sessionOptions, ...sessionOptions });
    const { port } = await session.listen();
    const discovery = options.trackerUrl
      ? { trackers: [[options.trackerUrl]] }
      : { peers: members.map((member) => ({ host: '127.0.0.1', port: member.port })) };
    const added = await session.add({ metainfo: torrent.metainfo, ...discovery, ...add });
    const member = { session, torrent: added, store: add.store, port };
    members.push(member);
    return member;
  };

  const addLeecher = async (add: Partial<AddTorrentOptions> = {}, sessionOptions?: SessionOptions): Promise<SwarmMember> => {
    const member = await start({ store: torrent.emptyStore(), ...options.leecherOptions, ...add }, sessionOptions);
    leechers.push(member);
    return member;
  };

  for (let count = 0; count < (options.seeders ?? 1); count++) {
    seeders.push(await start({ store: torrent.seederStore(), seedOnly: true, ...options.seederOptions }));
  }
  for (let count = 0; count < (options.leechers ?? 1); count++) await addLeecher();

  return {
    seeders,
    leechers,
    hashPool,
    addLeecher,
    allComplete: (timeoutMs = 60_000) => allComplete(leechers, timeoutMs),
    close: async () => {
      await Promise.all(members.map((member) => member.session.close()));
      await hashPool.close();
    },
  };
}

async function allComplete(leechers: readonly SwarmMember[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const missing = leechers.filter((member) => member.torrent.state !== 'seeding').map((member) => `:${member.port} ${JSON.stringify(member.torrent.progress())}`);
      reject(new Error(`swarm not complete after ${timeoutMs} ms: ${missing.join('; ')}`));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.all(leechers.map((member) => member.torrent.whenComplete())), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
