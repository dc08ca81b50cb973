import type { HashRange } from './message';

/** BEP 52: implementations should not ask for (nor answer) more than 512 hashes of a layer at once. */
export const MAX_HASH_REQUEST_LENGTH = 512;
/** A merkle tree over 16 KiB blocks of a file of at most 2^63 bytes has at most 50 layers above its leaves. */
export const MAX_MERKLE_LAYERS = 50;

/**
 * Why a hash range is malformed whatever the torrent (BEP 52): length a power of two in [2, 512], index a
 * multiple of length, layers within any possible tree. Undefined when well formed. Whether the range fits
 * the file's tree is the engine's check, since only it knows the file.
 */
export function hashRangeProblem(range: HashRange): string | undefined {
  const { baseLayer, index, length, proofLayers } = range;
  if (range.piecesRoot.length !== 32) return `pieces root of ${range.piecesRoot.length} bytes`;
  if (length < 2 || length > MAX_HASH_REQUEST_LENGTH || (length & (length - 1)) !== 0) {
    return `length ${length} is not a power of two in [2, ${MAX_HASH_REQUEST_LENGTH}]`;
  }
  if (index % length !== 0) return `index ${index} is not a multiple of length ${length}`;
  if (baseLayer >= MAX_MERKLE_LAYERS) return `base layer ${baseLayer} is above any tree`;
  if (proofLayers >= MAX_MERKLE_LAYERS) return `${proofLayers} proof layers exceed any tree`;
  return undefined;
}

/**
 * Hashes a `hashes` message for `range` carries: the range, then the uncles from the sibling of the
 * range's subtree root upwards. As libtorrent counts them, proof layers include the range's own
 * log2(length) - 1 layers above the base, so p proof layers bring p - log2(length) + 1 uncles, and
 * p = rootLayer - baseLayer - 1 (the most a tree allows) reaches the root.
 */
export function hashesMessageCount(range: Pick<HashRange, 'length' | 'proofLayers'>): number {
  return range.length + Math.max(0, range.proofLayers - Math.log2(range.length) + 1);
}
