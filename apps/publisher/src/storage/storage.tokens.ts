/** Injection token for the publisher's ObjectStore (libs/storage: fs or s3 adapter per STORAGE). */
export const OBJECT_STORE = Symbol('OBJECT_STORE');
