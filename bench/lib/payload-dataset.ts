import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BDict, decode } from '@seedfleet/bencode';
import { libtorrentCreate, sha256File, writeDeterministicFile } from '@seedfleet/testing';

/** One file of deterministic bytes and a v1 torrent of it, as the wire and swarm benches use. */
export interface PayloadDataset {
  /** Holds <name> (the payload): the seeders' (or the origin's) data directory. */
  readonly directory: string;
  readonly name: string;
  /** v1 torrent naming no tracker and no web seed; withUrls makes per-run copies. */
  readonly torrentPath: string;
  readonly sizeBytes: number;
  readonly pieceLength: number;
  readonly sha256: string;
  readonly infoHash: string;
}

/**
 * Makes (or finds, from an earlier run) `<dataRoot>/<kind>-<size>-<pieceLength>`: the payload, a v1 torrent
 * of it made by libtorrent, and a manifest written last to mark it complete.
 */
export async function preparePayloadDataset(dataRoot: string, kind: string, sizeBytes: number, pieceLength: number): Promise<PayloadDataset> {
  const directory = join(dataRoot, `${kind}-${sizeBytes}-${pieceLength}`);
  const manifest = join(directory, 'manifest.json');
  if (existsSync(manifest)) return JSON.parse(await readFile(manifest, 'utf8')) as PayloadDataset;
  const name = 'payload.bin';
  await mkdir(join(directory, 'content'), { recursive: true });
  const payload = join(directory, 'content', name);
  await writeDeterministicFile(payload, sizeBytes, `${kind}-bench-${sizeBytes}`);
  const torrentPath = join(directory, 'payload.torrent');
  const created = await libtorrentCreate({ path: payload, output: torrentPath, version: 'v1', pieceLength, timeoutMs: 600_000 });
  const dataset: PayloadDataset = { directory: join(directory, 'content'), name, torrentPath, sizeBytes, pieceLength, sha256: await sha256File(payload), infoHash: created.infoHashV1! };
  await writeFile(`${manifest}.tmp`, JSON.stringify(dataset, null, 2));
  await rename(`${manifest}.tmp`, manifest);
  return dataset;
}

/**
 * A copy of the dataset's torrent naming `tracker` (and web seeds in url-list, if any). The info dict's
 * bytes are kept as they are, so the info hash does not change. Keys in bencode order.
 */
export async function withUrls(dataset: PayloadDataset, output: string, urls: { tracker: string; webSeeds?: readonly string[] }): Promise<string> {
  const decoded = decode(await readFile(dataset.torrentPath));
  const info = (decoded.value as BDict).get('info') as BDict;
  const parts = [Buffer.from('d8:announce'), bstring(urls.tracker), Buffer.from('4:info'), decoded.raw(info)];
  const webSeeds = urls.webSeeds ?? [];
  if (webSeeds.length > 0) parts.push(Buffer.from('8:url-list'), Buffer.from('l'), ...webSeeds.map(bstring), Buffer.from('e'));
  parts.push(Buffer.from('e'));
  await writeFile(output, Buffer.concat(parts));
  return output;
}

function bstring(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
}
