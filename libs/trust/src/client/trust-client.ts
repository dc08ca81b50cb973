import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { Updater } from 'tuf-js';
import { TrustError } from '../trust-error';
import { classifyTufError } from './classify-error';
import { HttpFetcher } from './http-fetcher';

export interface TrustClientOptions {
  /** Where `<n>.root.json`, `timestamp.json`, ... are served. */
  readonly metadataBaseUrl: string;
  /** Where target files are served as `<dir>/<sha256>.<base>` (consistent snapshots). */
  readonly targetsBaseUrl: string;
  /** The root shipped with the agent (any version: newer ones are fetched and verified in a chain). A newer
   * root already in the cache, verified earlier, takes precedence. */
  readonly trustedRoot: Uint8Array;
  /** Holds the last verified metadata between runs; what rollback protection compares against. */
  readonly cacheDir: string;
  readonly fetchTimeoutMs?: number;
  readonly fetchRetries?: number;
  readonly userAgent?: string;
  readonly signal?: AbortSignal;
}

/** A target as the verified targets metadata lists it. */
export interface TrustedTarget {
  readonly name: string;
  readonly length: number;
  /** Lower-case hex SHA-256, always present in seedfleet metadata. */
  readonly sha256: string;
  readonly hashes: Readonly<Record<string, string>>;
  readonly custom: Readonly<Record<string, unknown>>;
}

/** Versions of the metadata trusted after a refresh. */
export interface TrustedVersions {
  readonly root: number;
  readonly timestamp: number;
  readonly snapshot: number;
  readonly targets: number;
}

/**
 * The agent side of TUF: tuf-js's Updater (the TUF client workflow: root chain, timestamp, snapshot,
 * targets, each checked for signatures, thresholds, versions and expiry) behind an API whose failures are
 * TrustErrors with a code. Calls on one instance run one at a time.
 */
export class TrustClient {
  private updater: Updater | undefined;
  private verifiedTargets: TrustedTarget[] = [];
  private fetcher: HttpFetcher | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TrustClientOptions) {
    for (const [label, url] of [['metadataBaseUrl', options.metadataBaseUrl], ['targetsBaseUrl', options.targetsBaseUrl]]) {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new TrustError('invalid-argument', `${label} must be an http(s) URL, got '${url}'`);
    }
  }

  /** Runs the TUF client workflow against the repository; afterwards targetInfo and downloadTarget use
   * what it verified. After a failure nothing is trusted until a refresh succeeds. */
  refresh(): Promise<TrustedVersions> {
    return this.serialized(async () => {
      this.updater = undefined;
      this.verifiedTargets = [];
      const updater = await this.newUpdater();
      await this.tuf('refreshing metadata', () => updater.refresh());
      const versions = await this.readVersions();
      this.verifiedTargets = await this.tuf('reading the verified targets', () => this.readVerifiedTargets());
      this.updater = updater;
      return versions;
    });
  }

  /** Every target of the targets metadata verified by the last successful refresh, sorted by name. */
  listTargets(): Promise<TrustedTarget[]> {
    return this.serialized(async () => {
      this.verifiedUpdater();
      return [...this.verifiedTargets];
    });
  }

  /** The signed description of a target; TrustError('not-found') when targets metadata does not list it. */
  targetInfo(name: string): Promise<TrustedTarget> {
    return this.serialized(async () => toTrustedTarget(await this.lookup(name)));
  }

  /**
   * Downloads a target, checks its length and hashes against the signed ones, and only then moves it to
   * `destPath` (atomically: a rename from a file beside it). TrustError('hash-mismatch') leaves nothing.
   */
  downloadTarget(name: string, destPath: string): Promise<TrustedTarget> {
    return this.serialized(async () => {
      const info = await this.lookup(name);
      const partial = `${destPath}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await this.tuf(`downloading ${name}`, () => this.verifiedUpdater().downloadTarget(info, partial));
        await rename(partial, destPath);
      } catch (error) {
        await rm(partial, { force: true });
        if (error instanceof TrustError) throw error;
        throw new TrustError('io', `cannot write ${destPath}: ${(error as Error).message}`, { cause: error });
      }
      return toTrustedTarget(info);
    });
  }

  private async lookup(name: string) {
    const updater = this.verifiedUpdater();
    const info = await this.tuf(`looking up ${name}`, () => updater.getTargetInfo(name));
    if (!info) throw new TrustError('not-found', `${name} is not a signed target`);
    return info;
  }

  private verifiedUpdater(): Updater {
    if (!this.updater) throw new TrustError('repository-state', 'no verified metadata: call refresh() first (and check it succeeded)');
    return this.updater;
  }

  private async newUpdater(): Promise<Updater> {
    const { cacheDir, trustedRoot } = this.options;
    try {
      await mkdir(cacheDir, { recursive: true });
      const shippedVersion = metadataVersion(trustedRoot);
      if (shippedVersion === undefined) throw new TrustError('invalid-metadata', 'the trusted root given is not root metadata');
      const cachedVersion = metadataVersion(await readFile(join(cacheDir, 'root.json')).catch(() => undefined));
      if (cachedVersion === undefined || cachedVersion < shippedVersion) await writeFile(join(cacheDir, 'root.json'), trustedRoot);
    } catch (error) {
      if (error instanceof TrustError) throw error;
      throw new TrustError('io', `cannot prepare the metadata cache ${cacheDir}: ${(error as Error).message}`, { cause: error });
    }
    this.fetcher = new HttpFetcher({ timeoutMs: this.options.fetchTimeoutMs ?? 30_000, retries: this.options.fetchRetries ?? 2, userAgent: this.options.userAgent ?? 'seedfleet-agent', signal: this.options.signal });
    const create = () => new Updater({ metadataDir: cacheDir, metadataBaseUrl: this.options.metadataBaseUrl, targetBaseUrl: this.options.targetsBaseUrl, fetcher: this.fetcher, config: { prefixTargetsWithHash: true } });
    try {
      return create();
    } catch {
      // The cached root no longer verifies (damaged on disk): start again from the shipped one, which is
      // trusted by definition, and walk the root chain anew.
      await writeFile(join(cacheDir, 'root.json'), trustedRoot).catch(() => undefined);
      return this.tuf('loading the trusted root', async () => create());
    }
  }

  private async readVersions(): Promise<TrustedVersions> {
    const version = async (role: string): Promise<number> => metadataVersion(await readFile(join(this.options.cacheDir, `${role}.json`)), role) ?? 0;
    return { root: await version('root'), timestamp: await version('timestamp'), snapshot: await version('snapshot'), targets: await version('targets') };
  }

  // tuf-js persists targets.json only after verifying it (signatures, threshold, version, hash, expiry)
  // and keeps it private; right after a successful refresh the cached file is those verified bytes.
  private async readVerifiedTargets(): Promise<TrustedTarget[]> {
    const bytes = await readFile(join(this.options.cacheDir, 'targets.json'));
    const targets = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(bytes.toString('utf8')));
    return Object.values(targets.signed.targets)
      .map(toTrustedTarget)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private async tuf<T>(context: string, operation: () => Promise<T>): Promise<T> {
    if (this.fetcher) this.fetcher.lastFailure = undefined;
    try {
      return await operation();
    } catch (error) {
      throw classifyTufError(error, context, this.fetcher?.lastFailure);
    }
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** `signed.version` of metadata of the given type, or undefined when the bytes are not such metadata. */
function metadataVersion(bytes: Uint8Array | undefined, type = 'root'): number | undefined {
  if (!bytes) return undefined;
  try {
    const signed = JSON.parse(Buffer.from(bytes).toString('utf8'))?.signed;
    return signed?._type === type && Number.isSafeInteger(signed.version) ? signed.version : undefined;
  } catch {
    return undefined;
  }
}

function toTrustedTarget(info: { path: string; length: number; hashes: Record<string, string>; custom: Record<string, unknown> }): TrustedTarget {
  const sha256 = info.hashes.sha256;
  if (!sha256) throw new TrustError('invalid-metadata', `${info.path}: the signed target has no sha256 hash`);
  return { name: info.path, length: info.length, sha256, hashes: { ...info.hashes }, custom: info.custom };
}
