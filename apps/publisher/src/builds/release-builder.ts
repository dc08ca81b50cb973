import type { HashPool } from '@seedfleet/hashing';
import { createTorrent, type CreatedTorrent, type CreateSourceFile, truncatedInfoHash } from '@seedfleet/metainfo';
import type { ObjectStore } from '@seedfleet/storage';
import type { TrackerRegistry } from '@seedfleet/tracker';
import type { PublisherConfig } from '../config/publisher-config';
import { totalSize } from '../releases/release-files';
import { releaseKeys, type ReleaseManifest, type StoredRelease } from '../releases/release.model';
import type { ReleaseRepository } from '../releases/release.repository';
import { BuildInputError } from './build-errors';
import { manifestBytes } from './manifest';
import { ProgressWriter } from './progress-writer';
import { verifiedRead } from './verified-read';

export type BuildOutcome = 'built' | 'already-built' | 'skipped';

export interface ReleaseBuilderDeps {
  readonly store: ObjectStore;
  readonly releases: ReleaseRepository;
  readonly registry: TrackerRegistry;
  readonly config: PublisherConfig;
  readonly pool: HashPool;
  /** `seedfleet <version>`, the torrent's `created by`. */
  readonly createdBy: string;
}

/**
 * One release build: stream every file from storage through the hash pool into a hybrid torrent, check
 * each file against its recorded size and SHA-256, write release.torrent and manifest.json, register both
 * info hashes with the tracker, mark the release ready. The output depends only on the record (creation
 * date = createdAt), so a retried or repeated build writes identical bytes.
 */
export class ReleaseBuilder {
  constructor(private readonly deps: ReleaseBuilderDeps) {}

  async build(releaseId: string, attempt: number, signal?: AbortSignal): Promise<BuildOutcome> {
    const { releases } = this.deps;
    const release = await releases.get(releaseId);
    if (!release) throw new BuildInputError(`release ${releaseId} does not exist`);
    if (release.status === 'retired' || release.status === 'uploading') return 'skipped';
    if (release.status === 'ready') {
      await this.register(release);
      return 'already-built';
    }
    if (release.files.length === 0) throw new BuildInputError(`release ${releaseId} has no files`);
    const bytesTotal = totalSize(release.files);
    const startedAt = new Date().toISOString();
    await releases.update(releaseId, (current) =>
      current.status === 'retired' ? undefined : { ...current, status: 'building', error: undefined, build: { attempt, phase: 'hashing', bytesDone: 0, bytesTotal, startedAt } },
    );

    const progress = new ProgressWriter(releases, releaseId);
    let torrent: CreatedTorrent;
    try {
      torrent = await createTorrent(this.sources(release), {
        version: 'hybrid',
        name: release.torrentName,
        trackers: [[this.announceUrl(release)]],
        webSeeds: [`${this.deps.config.publicUrl}/webseed/${release.id}/`],
        private: !release.public,
        createdBy: this.deps.createdBy,
        creationDate: Math.floor(Date.parse(release.createdAt) / 1000),
        pool: this.deps.pool,
        signal,
        onProgress: (hashed) => progress.report(hashed.hashedBytes),
      });
    } finally {
      await progress.stop();
    }

    await releases.update(releaseId, (current) => (current.build ? { ...current, build: { ...current.build, phase: 'writing', bytesDone: bytesTotal } } : undefined));
    const infoHashV1 = torrent.infoHashV1!.toString('hex');
    const infoHashV2 = torrent.infoHashV2!.toString('hex');
    const manifest: ReleaseManifest = {
      product: release.product,
      version: release.version,
      channel: release.channel,
      releaseId: release.id,
      infoHashV1,
      infoHashV2,
      name: torrent.name,
      pieceLength: torrent.pieceLength,
      files: release.files,
      createdAt: release.createdAt,
    };
    await this.deps.store.put(releaseKeys.torrent(release.id), torrent.torrent, { contentType: 'application/x-bittorrent' });
    await this.deps.store.put(releaseKeys.manifest(release.id), manifestBytes(manifest), { contentType: 'application/json' });

    const finished = await releases.update(releaseId, (current) => {
      if (current.status === 'retired') return undefined;
      const build = { attempt, phase: 'done' as const, bytesDone: bytesTotal, bytesTotal, startedAt: current.build?.startedAt ?? startedAt, finishedAt: new Date().toISOString() };
      return { ...current, status: 'ready', error: undefined, infoHashV1, infoHashV2, pieceLength: torrent.pieceLength, build };
    });
    if (finished.status === 'ready') await this.register(finished);
    return 'built';
  }

  private sources(release: StoredRelease): CreateSourceFile[] {
    // Always a multi-file torrent, so every file keeps its uploaded name: <torrentName>/<path>.
    return release.files.map((file) => ({
      path: file.path.split('/'),
      length: file.size,
      open: () => verifiedRead(this.deps.store, releaseKeys.file(release.id, file.path), file),
    }));
  }

  /** Private releases carry the literal `{passkey}` placeholder that the torrent download substitutes. */
  private announceUrl(release: StoredRelease): string {
    return release.public ? `${this.deps.config.publicUrl}/announce` : `${this.deps.config.publicUrl}/announce/{passkey}`;
  }

  /** Public releases (mirrors) are also served to clients without a passkey, at /announce. */
  private async register(release: StoredRelease): Promise<void> {
    for (const hex of [release.infoHashV1, release.infoHashV2]) {
      if (hex) await this.deps.registry.registerInfoHash(truncatedInfoHash(Buffer.from(hex, 'hex')), { public: release.public });
    }
  }
}
