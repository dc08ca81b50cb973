export * from './object-store';
export { isValidKey, MAX_KEY_BYTES, validateKey, validatePrefix } from './keys';
export { FS_INCOMING_DIR, FsObjectStore, type FsObjectStoreOptions } from './fs-object-store';
export { S3ObjectStore } from './s3-object-store';
export { MIN_PART_SIZE, type ChecksumMode, type S3Credentials, type S3ObjectStoreConfig } from './s3-config';
export { backoffDelayMs, FullJitterRetryStrategy, type RetryPolicy } from './retry-policy';
export { createObjectStore, describeStorage, type ObjectStoreConfig } from './create-object-store';
