import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BDict, decode } from '@seedfleet/bencode';
import { libtorrentCreate, sha256File, writeDeterministicFile } from '@seedfleet/testing';

export interface WireDataset {
  /** Holds <name> (the payload): the seeders' directory. */
  readonly directory: string;
  readonly name: string;
  readonly torrentPath: string;
  readonly sizeBytes: number;
  readonly pieceLength: number;
  readonly sha256: string;
  readonly infoHash: string;
}

/**
 * One file of deterministic bytes and a v1 torrent of it (made by libtorrent), kept under bench/.data
 * between runs; a manifest written last marks it complete.
 */
export async function prepareWireDataset(dataRoot: string, sizeBytes: number, pieceLength: number): Promise<WireDataset> {
  const directory = join(dataRoot, `wire-${sizeBytes}-${pieceLength}`);
  const manifest = join(directory, 'manifest.json');
  if (existsSync(manifest)) return JSON.parse(await readFile(manifest, 'utf8')) as WireDataset;
  const name = 'payload.bin';
  await mkdir(join(directory, 'content'), { recursive: true });
  const payload = join(directory, 'content', name);
  await writeDeterministicFile(payload, sizeBytes, `wire-bench-${sizeBytes}`);
  const torrentPath = join(directory, 'payload.torrent');
  const created = await libtorrentCreate({ path: payload, output: torrentPath, version: 'v1', pieceLength, timeoutMs: 600_000 });
  const dataset: WireDataset = { directory: join(directory, 'content'), name, torrentPath, sizeBytes, pieceLength, sha256: await sha256File(payload), infoHash: created.infoHashV1! };
  await writeFile(`${manifest}.tmp`, JSON.stringify(dataset, null, 2));
  await rename(`${manifest}.tmp`, manifest);
  return dataset;
}

/**
 * A copy of the dataset's torrent that names `trackerUrl`, for clients that only find peers through a
 * tracker. The info dict's bytes are kept as they are, so the info hash is the same.
 */
export async function withTracker(dataset: WireDataset, trackerUrl: string, output: string): Promise<string> {
  const bytes = await readFile(dataset.torrentPath);
  const decoded = decode(bytes);
  const info = (decoded.value as BDict).get('info') as BDict;
  const url = Buffer.from(trackerUrl);
  await writeFile(output, Buffer.concat([Buffer.from(`d8:announce${url.length}:`), url, Buffer.from('4:info'), decoded.raw(info), Buffer.from('e')]));
  return output;
}
