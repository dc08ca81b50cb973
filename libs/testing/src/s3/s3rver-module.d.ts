// s3rver 3.7.1 ships no types; this covers the part of its API the fixture uses.
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  interface KoaContext {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
    store: {
      listObjects(
        bucket: string,
        options: { prefix?: string; delimiter?: string; maxKeys: number; startAfter?: string },
      ): Promise<{ objects: { key: string; size: number; lastModifiedDate: Date; metadata: Record<string, string> }[]; commonPrefixes: string[]; isTruncated: boolean }>;
    };
  }

  type Middleware = ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>) & { readonly name: string };

  class S3rver {
    constructor(options?: S3rverOptions);
    middleware: Middleware[];
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export = S3rver;
}
