import { MetainfoError, parseTorrent, type Metainfo } from '@seedfleet/metainfo';
import { CliError } from '../cli-error';
import { readTorrentFile } from '../torrent/read-torrent-file';

const maxTorrentBytes = 64 * 1024 * 1024;
const fetchTimeoutMs = 60_000;

/** `seedfleet get`'s source: a .torrent path, or an http(s) URL serving one. */
export async function loadTorrentSource(cwd: string, source: string, signal?: AbortSignal): Promise<Metainfo> {
  if (/^magnet:/i.test(source)) {
    throw new CliError('magnet links are not supported yet: pass a .torrent file or an http(s) URL of one');
  }
  if (!/^https?:\/\//i.test(source)) return readTorrentFile(cwd, source);
  return parseDownloaded(source, await fetchTorrent(source, signal));
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
