import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from 's3rver';

type Middleware = S3rver['middleware'][number];
type Context = Parameters<Middleware>[0];

/**
 * Fills two gaps of s3rver 3.7.1 so it behaves like S3 where our adapters depend on it:
 * - AbortMultipartUpload (DELETE ?uploadId=) answers MethodNotAllowed there, leaving parts behind; here it
 *   removes the upload's parts as S3 does.
 * - ListObjectsV2 builds continuation tokens with DES, which OpenSSL 3 (Node >= 17) lacks, so any truncated
 *   listing fails with 500 (and its pages follow directory order, not key order). Here it answers from
 *   s3rver's own store, sorted bytewise, with base64url tokens. The access key id is not checked for
 *   this one operation, and delimiter listings report their common prefixes on the first page only.
 */
export function s3rverShims(bucket: string, uploadsDir: string): Middleware {
  const shims = async (ctx: Context, next: () => Promise<void>) => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method === 'DELETE' && typeof uploadId === 'string' && /^[0-9a-f]+$/.test(uploadId) && ctx.path.startsWith(`/${bucket}/`)) {
      await rm(join(uploadsDir, uploadId), { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = '';
      return;
    }
    if (ctx.method === 'GET' && (ctx.path === `/${bucket}` || ctx.path === `/${bucket}/`) && ctx.query['list-type'] === '2') {
      await listObjectsV2(ctx);
      return;
    }
    await next();
  };
  return shims as Middleware;

  async function listObjectsV2(ctx: Context): Promise<void> {
    const text = (name: string) => {
      const value = ctx.query[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const maxKeys = Math.max(0, Math.min(1000, Number(text('max-keys') ?? 1000) || 0));
    const token = text('continuation-token');
    const prefix = text('prefix');
    const delimiter = text('delimiter');
    const startAfter = token ? Buffer.from(token, 'base64url').toString('utf8') : text('start-after');
    // s3rver walks its directory tree, which is not S3's bytewise key order, so paging by "keys after X"
    // over its listing skips keys; sort everything under the prefix first.
    const everything = await ctx.store.listObjects(bucket, { prefix, delimiter, maxKeys: Number.MAX_SAFE_INTEGER });
    const after = startAfter === undefined ? undefined : Buffer.from(startAfter);
    const ordered = everything.objects
      .map((object) => ({ object, bytes: Buffer.from(object.key) }))
      .filter(({ bytes }) => after === undefined || Buffer.compare(bytes, after) > 0)
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
      .map(({ object }) => object);
    const result = { objects: ordered.slice(0, maxKeys), commonPrefixes: token ? [] : everything.commonPrefixes, isTruncated: ordered.length > maxKeys };
    const last = result.objects.at(-1)?.key;
    ctx.status = 200;
    ctx.body = {
      ListBucketResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Name: bucket,
        Prefix: prefix ?? '',
        ContinuationToken: token,
        NextContinuationToken: result.isTruncated && last !== undefined ? Buffer.from(last, 'utf8').toString('base64url') : undefined,
        KeyCount: result.objects.length,
        MaxKeys: maxKeys,
        Delimiter: delimiter,
        IsTruncated: result.isTruncated,
        Contents: result.objects.map((object) => ({
          Key: object.key,
          LastModified: object.lastModifiedDate.toISOString(),
          ETag: object.metadata['etag'],
          Size: object.size,
          StorageClass: 'STANDARD',
        })),
        CommonPrefixes: result.commonPrefixes.map((commonPrefix) => ({ Prefix: commonPrefix })),
      },
    };
  }
}
