import { MetainfoError, parseTorrent, type Metainfo } from '@seedfleet/metainfo';
import type { PeerAddress } from '../args/network';
import { CliError } from '../cli-error';
import { readTorrentFile } from '../torrent/read-torrent-file';
import type { MagnetContext } from './load-magnet';

const maxTorrentBytes = 64 * 1024 * 1024;
const fetchTimeoutMs = 60_000;

export interface TorrentSource {
  readonly metainfo: Metainfo;
  /** Peers the source names (a magnet's x.pe). */
  readonly peers: PeerAddress[];
}

/**
 * `seedfleet get`'s source: a .torrent path, an http(s) URL serving one, or a magnet link (its metadata
 * fetched from peers, which needs `magnet`: where to keep it and how to reach the swarm).
 */
export async function loadTorrentSource(cwd: string, source: string, signal?: AbortSignal, magnet?: Omit<MagnetContext, 'signal'>): Promise<TorrentSource> {
  if (/^magnet:/i.test(source)) {
    if (!magnet) throw new CliError('a magnet link needs a directory to keep its fetched metadata in');
    // The engine loads only when a magnet needs it, as for transfers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadMagnet } = require('./load-magnet') as typeof import('./load-magnet');
    return loadMagnet(source, { ...magnet, signal });
  }
  if (!/^https?:\/\//i.test(source)) return { metainfo: await readTorrentFile(cwd, source), peers: [] };
  return { metainfo: parseDownloaded(source, await fetchTorrent(source, signal)), peers: [] };
}

async function fetchTorrent(url: string, signal?: AbortSignal): Promise<Buffer> {
  const timeout = AbortSignal.timeout(fetchTimeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' });
  } catch (error) {
    const why = timeout.aborted ? `no answer within ${fetchTimeoutMs / 1000} s` : describeFetchError(error);
    throw new CliError(`cannot fetch ${url}: ${why}`, { cause: error });
  }
  if (!response.ok) throw new CliError(`cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxTorrentBytes) throw new CliError(`${url} is ${declared} bytes, too large to be a .torrent file`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > maxTorrentBytes) throw new CliError(`${url} sent more than ${maxTorrentBytes} bytes, too large to be a .torrent file`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function parseDownloaded(url: string, bytes: Buffer): Metainfo {
  try {
    return parseTorrent(bytes);
  } catch (error) {
    if (error instanceof MetainfoError) throw new CliError(`${url} is not a valid torrent: ${error.message}`, { cause: error });
    throw error;
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
