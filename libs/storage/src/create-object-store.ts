import { FsObjectStore, type FsObjectStoreOptions } from './fs-object-store';
import type { ObjectStore } from './object-store';
import { resolveS3Config, type S3ObjectStoreConfig } from './s3-config';
import { describeS3, S3ObjectStore } from './s3-object-store';

export type ObjectStoreConfig = ({ readonly kind: 'fs' } & FsObjectStoreOptions) | ({ readonly kind: 's3' } & S3ObjectStoreConfig);

/** The adapter a configuration names; configuration errors are StorageError('io') with every problem listed. */
export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  switch (config.kind) {
    case 'fs':
      return new FsObjectStore(config);
    case 's3':
      return new S3ObjectStore(config);
  }
}

/**
 * One line for a startup log: where objects go and the settings that matter when something goes wrong
 * (endpoint, path style, checksum mode, where credentials come from), never a secret.
 */
export function describeStorage(config: ObjectStoreConfig): string {
  if (config.kind === 'fs') return new FsObjectStore(config).describe();
  const resolved = resolveS3Config(config);
  const credentials = resolved.credentials ? `static key ${maskKeyId(resolved.credentials.accessKeyId)}` : 'default provider chain';
  return [
    describeS3(resolved),
    `path-style=${resolved.forcePathStyle}`,
    `checksums=${resolved.checksumMode}`,
    `maxAttempts=${resolved.maxAttempts}`,
    `partSize=${resolved.partSize}`,
    `credentials=${credentials}`,
  ].join(' ');
}

/** Access key ids are not secret but identify an account; four characters are enough to tell keys apart. */
function maskKeyId(accessKeyId: string): string {
  return accessKeyId.length > 8 ? `${accessKeyId.slice(0, 4)}…` : '…';
}
