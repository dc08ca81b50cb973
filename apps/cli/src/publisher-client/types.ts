/** What the CLI reads of the publisher's records (GET /api/releases/:id, /api/products/:name). */
export type ReleaseStatus = 'uploading' | 'queued' | 'building' | 'ready' | 'failed' | 'retired';

export const RELEASE_STATUSES: readonly ReleaseStatus[] = ['uploading', 'queued', 'building', 'ready', 'failed', 'retired'];

export interface ReleaseFileView {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ReleaseView {
  readonly id: string;
  readonly product: string;
  readonly version: string;
  readonly channel: string;
  readonly public: boolean;
  readonly status: ReleaseStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error?: string;
  readonly build?: { readonly attempt: number; readonly phase: string; readonly bytesDone: number; readonly bytesTotal: number };
  readonly files: readonly ReleaseFileView[];
  readonly torrentName: string;
  readonly infoHashV1?: string;
  readonly infoHashV2?: string;
  readonly pieceLength?: number;
  readonly torrentUrl: string;
  readonly magnet?: string;
  readonly manifestUrl: string;
  readonly webSeedUrl: string;
}

export interface ProductView {
  readonly name: string;
  readonly channels: readonly string[];
}

export interface ReleaseListFilter {
  readonly product?: string;
  readonly channel?: string;
  readonly status?: ReleaseStatus;
}
