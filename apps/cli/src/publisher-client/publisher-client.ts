import type { Readable } from 'node:stream';
import { packageVersion } from '../version';
import { sendRequest } from './http-request';
import { PublisherHttpError } from './publisher-error';
import type { ProductView, ReleaseFileView, ReleaseListFilter, ReleaseView } from './types';

export interface PublisherClientOptions {
  /** Base URL of the publisher, e.g. `https://updates.example.com`. */
  readonly server: string;
  /** The admin token (Authorization: Bearer). */
  readonly token: string;
  readonly signal?: AbortSignal;
  /** Per request, no bytes moving for this long fails it; default 60 s. */
  readonly idleTimeoutMs?: number;
}

/** The publisher's REST API (`/api/...`) as typed calls; failures are PublisherHttpError or PublisherUnreachableError. */
export class PublisherClient {
  private readonly base: URL;

  constructor(private readonly options: PublisherClientOptions) {
    this.base = new URL(options.server.endsWith('/') ? options.server : `${options.server}/`);
  }

  get server(): string {
    return this.options.server;
  }

  /** The product, or undefined when the publisher does not know it. */
  async findProduct(name: string): Promise<ProductView | undefined> {
    try {
      return (await this.call('GET', `api/products/${encodeURIComponent(name)}`)) as ProductView;
    } catch (error) {
      if (error instanceof PublisherHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  async createProduct(name: string, channels?: readonly string[]): Promise<ProductView> {
    return (await this.call('POST', 'api/products', { json: { name, channels } })) as ProductView;
  }

  async createRelease(input: { product: string; version: string; channel: string; public: boolean }): Promise<ReleaseView> {
    return (await this.call('POST', 'api/releases', { json: input })) as ReleaseView;
  }

  /** Streams `length` bytes from `body` as the release file `path`. */
  async uploadFile(releaseId: string, path: string, body: Readable, length: number): Promise<ReleaseFileView> {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return (await this.call('PUT', `api/releases/${encodeURIComponent(releaseId)}/files/${encoded}`, { stream: body, length })) as ReleaseFileView;
  }

  async startBuild(releaseId: string): Promise<ReleaseView> {
    return (await this.call('POST', `api/releases/${encodeURIComponent(releaseId)}/build`)) as ReleaseView;
  }

  async getRelease(releaseId: string): Promise<ReleaseView> {
    return (await this.call('GET', `api/releases/${encodeURIComponent(releaseId)}`)) as ReleaseView;
  }

  async listReleases(filter: ReleaseListFilter = {}): Promise<ReleaseView[]> {
    const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const answer = (await this.call('GET', `api/releases${query.size > 0 ? `?${query}` : ''}`)) as { items?: ReleaseView[] };
    if (!Array.isArray(answer.items)) throw new PublisherHttpError(200, 'GET /api/releases: the answer has no items list; is this a seedfleet publisher?', this.options.server);
    return answer.items;
  }

  async retireRelease(releaseId: string): Promise<ReleaseView> {
    return (await this.call('POST', `api/releases/${encodeURIComponent(releaseId)}/retire`)) as ReleaseView;
  }

  private call(method: 'GET' | 'POST' | 'PUT', path: string, body?: { json: unknown } | { stream: Readable; length: number }): Promise<unknown> {
    return sendRequest({
      method,
      url: new URL(path, this.base),
      headers: { authorization: `Bearer ${this.options.token}`, 'user-agent': `seedfleet-cli/${packageVersion()}` },
      body,
      signal: this.options.signal,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
      server: this.options.server,
    });
  }
}
