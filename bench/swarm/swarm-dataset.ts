import { type PayloadDataset, preparePayloadDataset } from '../lib/payload-dataset';

export { withUrls } from '../lib/payload-dataset';

/** The origin's data directory (and the web seed's root) holds <name>. */
export type SwarmDataset = PayloadDataset;

/** 1 MiB pieces from 128 MiB up (as the publisher picks them), 256 KiB below so small runs still have many pieces. */
function pieceLengthFor(sizeBytes: number): number {
  return sizeBytes >= 128 * 2 ** 20 ? 2 ** 20 : 256 * 1024;
}

/** One file of deterministic bytes and a v1 torrent of it (libtorrent), kept under bench/.data between runs. */
export function prepareSwarmDataset(dataRoot: string, sizeBytes: number): Promise<SwarmDataset> {
  return preparePayloadDataset(dataRoot, 'swarm', sizeBytes, pieceLengthFor(sizeBytes));
}
