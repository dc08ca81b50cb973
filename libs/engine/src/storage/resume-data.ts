import { createHash } from 'node:crypto';
import type { Metainfo } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import type { FileState } from './file-store';

const FORMAT = 'seedfleet-resume';
const VERSION = 1;

/** What a resume file says: the pieces we had and what each file looked like then. */
export interface ResumeData {
  readonly have: Bitfield;
  /** By path relative to the download directory. */
  readonly files: ReadonlyMap<string, { readonly size: number; readonly mtimeMs: number }>;
}

export type ResumeDecoded = { readonly ok: true; readonly data: ResumeData } | { readonly ok: false; readonly reason: string };

interface ResumeBody {
  format: string;
  version: number;
  infoHashV1: string | null;
  infoHashV2: string | null;
  pieceLength: number;
  pieceCount: number;
  /** Wire bitfield, base64. */
  have: string;
  files: { path: string; size: number; mtimeMs: number }[];
}

/**
 * Versioned JSON with a SHA-256 over the body: a flipped bit in the piece bitfield would make us serve
 * pieces we do not have, so a damaged file must be refused, not half-believed.
 */
export function encodeResumeData(metainfo: Metainfo, have: Bitfield, files: readonly FileState[]): Buffer {
  const body: ResumeBody = {
    format: FORMAT,
    version: VERSION,
    ...identity(metainfo),
    have: have.toWire().toString('base64'),
    files: files.filter((file) => file.exists).map(({ path, size, mtimeMs }) => ({ path, size, mtimeMs })),
  };
  return Buffer.from(`${JSON.stringify({ ...body, checksum: checksum(body) })}\n`);
}

/** Reads a resume file for `metainfo`; anything wrong (damage, another torrent, another version) is a reason. */
export function decodeResumeData(bytes: Buffer, metainfo: Metainfo): ResumeDecoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return refuse(`not JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed) || parsed.format !== FORMAT) return refuse('not a seedfleet resume file');
  if (parsed.version !== VERSION) return refuse(`version ${String(parsed.version)} is not the supported ${VERSION}`);
  const { checksum: recorded, ...body } = parsed;
  if (recorded !== checksum(body)) return refuse('checksum mismatch: the file is damaged');
  if (!isBody(body)) return refuse('fields are missing or of the wrong type');
  const expected = identity(metainfo);
  if (body.infoHashV1 !== expected.infoHashV1 || body.infoHashV2 !== expected.infoHashV2) {
    return refuse(`it is for info hash ${body.infoHashV1 ?? body.infoHashV2}, not ${expected.infoHashV1 ?? expected.infoHashV2}`);
  }
  if (body.pieceLength !== expected.pieceLength || body.pieceCount !== expected.pieceCount) return refuse('piece geometry differs');
  let have: Bitfield;
  try {
    have = Bitfield.fromWire(Buffer.from(body.have, 'base64'), metainfo.pieceCount);
  } catch (error) {
    return refuse(`bad piece bitfield (${(error as Error).message})`);
  }
  return { ok: true, data: { have, files: new Map(body.files.map(({ path, size, mtimeMs }) => [path, { size, mtimeMs }])) } };
}

function identity(metainfo: Metainfo): Pick<ResumeBody, 'infoHashV1' | 'infoHashV2' | 'pieceLength' | 'pieceCount'> {
  return {
    infoHashV1: metainfo.infoHashV1?.toString('hex') ?? null,
    infoHashV2: metainfo.infoHashV2?.toString('hex') ?? null,
    pieceLength: metainfo.pieceLength,
    pieceCount: metainfo.pieceCount,
  };
}

function checksum(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

function refuse(reason: string): ResumeDecoded {
  return { ok: false, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBody(body: Record<string, unknown>): body is Record<string, unknown> & ResumeBody {
  const hash = (value: unknown): boolean => value === null || (typeof value === 'string' && /^[0-9a-f]+$/.test(value));
  return (
    hash(body.infoHashV1) &&
    hash(body.infoHashV2) &&
    Number.isSafeInteger(body.pieceLength) &&
    Number.isSafeInteger(body.pieceCount) &&
    typeof body.have === 'string' &&
    Array.isArray(body.files) &&
    body.files.every((file) => isRecord(file) && typeof file.path === 'string' && Number.isSafeInteger(file.size) && Number.isFinite(file.mtimeMs))
  );
}
