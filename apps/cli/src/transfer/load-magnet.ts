import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePeerId, infoMatches, MetadataDownload, MetadataError } from '@seedfleet/engine';
import { type MagnetLink, type Metainfo, MetainfoError, parseMagnet, parseTorrent } from '@seedfleet/metainfo';
import { parsePeerAddress, type PeerAddress } from '../args/network';
import { CliError, describeSystemError } from '../cli-error';
import type { OutputStream } from '../io';
import { DEFAULT_PORT } from './run-transfer';

export interface MagnetContext {
  /** get's -o DIR: the fetched .torrent is kept in DIR/.seedfleet/. */
  readonly directory: string;
  /** --port: the transfer will listen there (default 6881), so that is what the magnet's trackers hear. */
  readonly port?: number;
  readonly peers: readonly PeerAddress[];
  readonly trackers: readonly string[][];
  readonly stderr: OutputStream;
  readonly signal?: AbortSignal;
}

/** Where a magnet's fetched .torrent is kept: beside the resume data, so a restart does not refetch. */
export function magnetTorrentPath(directory: string, magnet: MagnetLink): string {
  return join(directory, '.seedfleet', `${(magnet.infoHashV1 ?? magnet.infoHashV2)!.toString('hex')}.torrent`);
}

/**
 * A magnet's torrent: from DIR/.seedfleet/<infohash>.torrent when an earlier run fetched it (and it still
 * matches the magnet), else fetched from the magnet's peers (x.pe, its trackers, --peer, --tracker) and
 * saved there. Also returns the magnet's x.pe peers for the transfer.
 */
export async function loadMagnet(uri: string, context: MagnetContext): Promise<{ metainfo: Metainfo; peers: PeerAddress[] }> {
  let magnet: MagnetLink;
  try {
    magnet = parseMagnet(uri);
  } catch (error) {
    if (error instanceof MetainfoError) throw new CliError(`invalid magnet link: ${error.message}`, { cause: error });
    throw error;
  }
  const peers = magnet.peers.flatMap((text) => {
    try {
      return [parsePeerAddress(text)];
    } catch {
      return []; // an x.pe we cannot dial is no reason to refuse the magnet
    }
  });
  const path = magnetTorrentPath(context.directory, magnet);
  const cached = await readCached(path, magnet);
  if (cached) return { metainfo: cached, peers };
  const name = magnet.name === undefined ? '' : ` (${magnet.name})`;
  context.stderr.write(`fetching the torrent's metadata${name} from peers\n`);
  const metainfo = await fetchMetadata(magnet, context);
  await save(path, metainfo.torrentFile);
  return { metainfo: metainfo.metainfo, peers };
}

async function readCached(path: string, magnet: MagnetLink): Promise<Metainfo | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  try {
    const metainfo = parseTorrent(bytes);
    // A file someone replaced by another torrent's is ignored and fetched again.
    return infoMatches(metainfo.infoRaw, magnet) ? metainfo : undefined;
  } catch {
    return undefined;
  }
}

async function fetchMetadata(magnet: MagnetLink, context: MagnetContext): Promise<{ metainfo: Metainfo; torrentFile: Buffer }> {
  const download = new MetadataDownload({
    magnet,
    peerId: generatePeerId(),
    flags: { extensionProtocol: true, fastExtension: true },
    port: () => context.port ?? DEFAULT_PORT,
    clock: () => performance.now(),
    random: Math.random,
    trackers: context.trackers,
    peers: context.peers,
  });
  const stop = (): void => void download.stop();
  context.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (context.signal?.aborted) stop();
    return await download.start();
  } catch (error) {
    if (error instanceof MetadataError && error.code === 'stopped') {
      throw new CliError('interrupted before the metadata arrived', { exitCode: 130, cause: error });
    }
    if (error instanceof MetadataError) throw new CliError(`cannot use the magnet's metadata: ${error.message}`, { cause: error });
    throw error;
  } finally {
    context.signal?.removeEventListener('abort', stop);
  }
}

async function save(path: string, torrentFile: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(temporary, torrentFile);
    await rename(temporary, path);
  } catch (error) {
    throw new CliError(`cannot save the fetched torrent to '${path}': ${describeSystemError(error)}`, { cause: error });
  }
}
