import { type PayloadDataset, preparePayloadDataset, withUrls } from '../lib/payload-dataset';

export type WireDataset = PayloadDataset;

/** One file of deterministic bytes and a v1 torrent of it, kept under bench/.data between runs. */
export function prepareWireDataset(dataRoot: string, sizeBytes: number, pieceLength: number): Promise<WireDataset> {
  return preparePayloadDataset(dataRoot, 'wire', sizeBytes, pieceLength);
}

/** A copy of the dataset's torrent that names `trackerUrl`, for clients that only find peers through a tracker. */
export function withTracker(dataset: WireDataset, trackerUrl: string, output: string): Promise<string> {
  return withUrls(dataset, output, { tracker: trackerUrl });
}
