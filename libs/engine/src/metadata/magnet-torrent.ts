import { type MagnetLink, type Metainfo, parseMagnet } from '@seedfleet/metainfo';
import type { ReservedFlags } from '@seedfleet/wire';
import type { Random } from '../policy';
import type { PieceStore } from '../storage/piece-store';
import type { Torrent } from '../torrent/torrent';
import type { AddTorrentOptions } from '../torrent/torrent-options';
import type { TorrentEvents, TorrentProgress } from '../torrent/torrent-types';
import { MetadataDownload, type FetchedMetadata } from './metadata-download';
import { MetadataError } from './metadata-error';

/** What `Session.addMagnet` takes: a torrent's options, with the store made once the dict is known. */
export interface AddMagnetOptions extends Omit<AddTorrentOptions, 'metainfo' | 'store' | 'resumePath' | 'have' | 'seedOnly'> {
  readonly store: (metainfo: Metainfo) => PieceStore;
  readonly resumePath?: (metainfo: Metainfo) => string;
  /** Info dicts above this are refused (default 16 MiB). */
  readonly maxMetadataSize?: number;
}

/** What a magnet needs from its session. */
export interface MagnetSessionLink {
  readonly peerId: Buffer;
  readonly flags: Partial<ReservedFlags>;
  readonly port: () => number;
  readonly clock: () => number;
  readonly random: Random;
  readonly isBanned?: (host: string) => boolean;
  readonly add: (options: AddTorrentOptions) => Promise<Torrent>;
}

export type MagnetState = 'metadata' | 'added' | 'stopped' | 'error';

export interface MagnetEvents {
  /** The verified info dict, with a .torrent file to save (restart without refetching). */
  metadata: { readonly metainfo: Metainfo; readonly torrentFile: Buffer };
  /** The torrent that took over: from here on its own events tell the story. */
  torrent: Torrent;
  peer: TorrentEvents['peer'];
  tracker: TorrentEvents['tracker'];
  error: Error;
}

type Listener<T> = (value: T) => void;

/**
 * A torrent added by magnet: in state 'metadata' it fetches the info dict from peers (MetadataDownload),
 * then adds a normal Torrent to the session ('metadata' then 'torrent' events) and delegates to it.
 */
export class MagnetTorrent {
  readonly magnet: MagnetLink;
  private stateValue: MagnetState = 'metadata';
  private readonly download: MetadataDownload;
  private torrentValue: Torrent | undefined;
  private readonly listeners = new Map<keyof MagnetEvents, Set<Listener<never>>>();
  private readonly added: Promise<Torrent>;

  constructor(
    magnet: string | MagnetLink,
    private readonly options: AddMagnetOptions,
    private readonly session: MagnetSessionLink,
  ) {
    this.magnet = typeof magnet === 'string' ? parseMagnet(magnet) : magnet;
    this.download = new MetadataDownload({
      magnet: this.magnet,
      peerId: session.peerId,
      flags: session.flags,
      port: session.port,
      clock: session.clock,
      random: session.random,
      trackers: options.trackers,
      peers: options.peers,
      maxMetadataSize: options.maxMetadataSize,
      isBanned: session.isBanned,
      onTracker: (failure) => this.emit('tracker', failure),
      onPeer: (event) => this.emit('peer', event),
    });
    this.added = this.download.start().then((fetched) => this.addTorrent(fetched));
    this.added.catch((error: Error) => {
      if (this.stateValue === 'stopped') return;
      this.stateValue = 'error';
      this.emit('error', error);
    });
  }

  /** The magnet's v1 info hash, else its v2 one. */
  get infoHash(): Buffer {
    return (this.magnet.infoHashV1 ?? this.magnet.infoHashV2)!;
  }

  get state(): MagnetState {
    return this.stateValue;
  }

  /** The torrent once the metadata arrived. */
  get torrent(): Torrent | undefined {
    return this.torrentValue;
  }

  /** Resolves with the torrent once the dict is fetched and the torrent added; rejects on stop or a bad dict. */
  whenTorrent(): Promise<Torrent> {
    return this.added;
  }

  /** Resolves when the torrent has every piece. */
  async whenComplete(): Promise<void> {
    await (await this.added).whenComplete();
  }

  /** The torrent's progress, or during the metadata phase a snapshot with state 'metadata' and no bytes. */
  progress(): TorrentProgress | (Omit<TorrentProgress, 'state'> & { state: 'metadata'; metadata: { received: number; total: number } }) {
    if (this.torrentValue) return this.torrentValue.progress();
    const { received, total, peers } = this.download.progress();
    return { state: 'metadata', downloaded: 0, total: 0, uploaded: 0, downRate: 0, upRate: 0, peers, seeds: 0, piecesHave: 0, pieceCount: 0, metadata: { received, total } };
  }

  addPeer(peer: { host: string; port: number }): void {
    if (this.torrentValue) this.torrentValue.addPeer(peer);
    else this.download.addPeers([peer]);
  }

  /** The session's listen port became known. */
  portKnown(): void {
    this.download.portKnown();
  }

  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    const torrent = this.torrentValue;
    this.stateValue = 'stopped';
    if (torrent) await torrent.stop();
    else await this.download.stop();
  }

  on<K extends keyof MagnetEvents>(event: K, listener: Listener<MagnetEvents[K]>): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return this;
  }

  off<K extends keyof MagnetEvents>(event: K, listener: Listener<MagnetEvents[K]>): this {
    this.listeners.get(event)?.delete(listener as Listener<never>);
    return this;
  }

  private async addTorrent(fetched: FetchedMetadata): Promise<Torrent> {
    const { metainfo, torrentFile } = fetched;
    this.emit('metadata', { metainfo, torrentFile });
    if (this.stateValue === 'stopped') throw new MetadataError('stopped', 'stopped before the torrent was added');
    const { store, resumePath, maxMetadataSize: _unused, ...rest } = this.options;
    const torrent = await this.session.add({
      ...rest,
      metainfo,
      store: store(metainfo),
      resumePath: resumePath?.(metainfo),
      peers: fetched.peers,
    });
    this.torrentValue = torrent;
    this.stateValue = 'added';
    this.emit('torrent', torrent);
    return torrent;
  }

  private emit<K extends keyof MagnetEvents>(event: K, value: MagnetEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<MagnetEvents[K]>)(value);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'MagnetListenerWarning');
      }
    }
  }
}
