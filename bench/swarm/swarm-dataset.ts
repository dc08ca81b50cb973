import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BDict, decode } from '@seedfleet/bencode';
import { libtorrentCreate, sha256File, writeDeterministicFile } from '@seedfleet/testing';

export interface SwarmDataset {
  /** Holds <name>: the origin's data directory (and the web seed's root). */
  readonly directory: string;
  readonly name: string;
  /** v1 torrent naming no tracker and no web seed; withUrls makes the per-run copy. */
  readonly torrentPath: string;
  readonly sizeBytes: number;
  readonly pieceLength: number;
  readonly sha256: string;
  readonly infoHash: string;
}

/** 1 MiB pieces from 128 MiB up (as the publisher picks them), 256 KiB below so small runs still have many pieces. */
function pieceLengthFor(sizeBytes: number): number {
  return sizeBytes >= 128 * 2 ** 20 ? 2 ** 20 : 256 * 1024;
}

/** One file of deterministic bytes and a v1 torrent of it (libtorrent), kept under bench/.data between runs. */
export async function prepareSwarmDataset(dataRoot: string, sizeBytes: number): Promise<SwarmDataset> {
  const pieceLength = pieceLengthFor(sizeBytes);
  const directory = join(dataRoot, `swarm-${sizeBytes}-${pieceLength}`);
  const manifest = join(directory, 'manifest.json');
  if (existsSync(manifest)) return JSON.parse(await readFile(manifest, 'utf8')) as SwarmDataset;
  const name = 'payload.bin';
  await mkdir(join(directory, 'content'), { recursive: true });
  const payload = join(directory, 'content', name);
  await writeDeterministicFile(payload, sizeBytes, `swarm-bench-${sizeBytes}`);
  const torrentPath = join(directory, 'payload.torrent');
  const created = await libtorrentCreate({ path: payload, output: torrentPath, version: 'v1', pieceLength, timeoutMs: 600_000 });
  const dataset: SwarmDataset = { directory: join(directory, 'content'), name, torrentPath, sizeBytes, pieceLength, sha256: await sha256File(payload), infoHash: created.infoHashV1! };
  await writeFile(`${manifest}.tmp`, JSON.stringify(dataset, null, 2));
  await rename(`${manifest}.tmp`, manifest);
  return dataset;
}

function bstring(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
}

/**
 * A copy of the dataset's torrent naming this run's tracker and web seeds (url-list). The info dict's
 * bytes are kept as they are, so the info hash does not change. Keys in bencode order.
 */
export async function withUrls(dataset: SwarmDataset, output: string, urls: { tracker: string; webSeeds: readonly string[] }): Promise<string> {
  const decoded = decode(await readFile(dataset.torrentPath));
  const info = (decoded.value as BDict).get('info') as BDict;
  const parts = [Buffer.from('d8:announce'), bstring(urls.tracker), Buffer.from('4:info'), decoded.raw(info)];
  if (urls.webSeeds.length > 0) parts.push(Buffer.from('8:url-list'), Buffer.from('l'), ...urls.webSeeds.map(bstring), Buffer.from('e'));
  parts.push(Buffer.from('e'));
  await writeFile(output, Buffer.concat(parts));
  return output;
}
