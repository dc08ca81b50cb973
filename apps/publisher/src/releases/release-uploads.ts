import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { type ObjectStore, StorageError } from '@seedfleet/storage';
import { ApiError, badRequest, conflict } from '../api/api-error';
import { releaseFilePath } from '../api/validation';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { checkNoFileDirectoryClash, withFile } from './release-files';
import { releaseKeys, type ReleaseFile } from './release.model';
import { ReleaseRepository } from './release.repository';

/**
 * PUT /api/releases/:id/files/<path>: the request body is piped into the object store (bounded memory,
 * MAX_UPLOAD_BYTES enforced while streaming); the adapter leaves nothing behind when the upload fails.
 */
@Injectable()
export class ReleaseUploads {
  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(PUBLISHER_CONFIG) private readonly config: PublisherConfig,
    private readonly releases: ReleaseRepository,
  ) {}

  async upload(releaseId: string, rawPath: string, request: IncomingMessage): Promise<ReleaseFile> {
    const path = releaseFilePath(decodePath(rawPath));
    const release = await this.releases.require(releaseId);
    if (release.status !== 'uploading') throw conflict(`release ${releaseId} is ${release.status}; files can only be uploaded while it is uploading`);
    checkNoFileDirectoryClash(release.files.filter((file) => file.path !== path), path);
    const declared = declaredLength(request);
    if (declared === 0) throw badRequest(`empty upload for "${path}": release files must have content`);
    if (declared !== undefined && declared > this.config.maxUploadBytes) throw tooLarge(declared, this.config.maxUploadBytes);
    const body = await nonEmptyBody(request);
    if (!body) throw badRequest(`empty upload for "${path}": release files must have content`);
    const key = releaseKeys.file(releaseId, path);
    let stored;
    try {
      stored = await this.store.put(key, body, { maxBytes: this.config.maxUploadBytes, contentType: 'application/octet-stream' });
    } catch (error) {
      if (error instanceof StorageError && error.code === 'too-large') throw tooLarge(undefined, this.config.maxUploadBytes, error);
      if (request.destroyed && !request.complete) throw new ApiError(400, `upload of "${path}" was aborted by the client; nothing was stored`, { cause: error });
      throw error;
    }
    const file: ReleaseFile = { path, size: stored.size, sha256: stored.sha256 };
    let recordedBefore = false;
    try {
      await this.releases.update(releaseId, (current) => {
        recordedBefore = current.files.some((existing) => existing.path === path);
        // A build queued meanwhile checks every file's SHA-256 against the list, so replacing a recorded
        // file now fails that build rather than publishing bytes nobody recorded.
        if (current.status !== 'uploading') throw conflict(`release ${releaseId} became ${current.status} during the upload of "${path}"`);
        return { ...current, files: withFile(current.files, file) };
      });
    } catch (error) {
      // An object no record mentions would only be clutter: remove it.
      if (!recordedBefore) await this.store.delete(key).catch(() => undefined);
      throw error;
    }
    return file;
  }
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest('path: malformed percent-encoding');
  }
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  if (!/^\d+$/.test(header)) throw badRequest('Content-Length: not a number');
  return Number(header);
}

function tooLarge(declared: number | undefined, limit: number, cause?: unknown): ApiError {
  const size = declared === undefined ? 'the upload is' : `${declared} bytes is`;
  return new ApiError(413, `${size} larger than MAX_UPLOAD_BYTES (${limit} bytes)`, { cause });
}

/**
 * The body as a stream, or undefined when it turns out to be empty (chunked uploads have no length to
 * check up front), so an empty file is refused before anything reaches storage.
 */
async function nonEmptyBody(request: IncomingMessage): Promise<Readable | undefined> {
  const iterator = request[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  do {
    first = (await iterator.next()) as IteratorResult<Buffer>;
  } while (!first.done && first.value.length === 0);
  if (first.done) return undefined;
  const head = first.value;
  return Readable.from(
    (async function* () {
      yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
    })(),
    { objectMode: false },
  );
}
