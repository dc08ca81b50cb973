import type { ReleaseManifest } from '../releases/release.model';

/** manifest.json bytes: fixed key order and formatting, so the same release always gives the same bytes. */
export function manifestBytes(manifest: ReleaseManifest): Buffer {
  const ordered: ReleaseManifest = {
    product: manifest.product,
    version: manifest.version,
    channel: manifest.channel,
    releaseId: manifest.releaseId,
    infoHashV1: manifest.infoHashV1,
    infoHashV2: manifest.infoHashV2,
    name: manifest.name,
    pieceLength: manifest.pieceLength,
    files: manifest.files.map((file) => ({ path: file.path, size: file.size, sha256: file.sha256 })),
    createdAt: manifest.createdAt,
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`);
}
