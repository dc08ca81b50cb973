import { releaseCustom, type TargetInput } from '@seedfleet/trust';
import type { StoredRelease } from '../releases/release.model';

/** TUF target names of a release: `<product>/<version>/release.torrent` and `<product>/<version>/manifest.json`. */
export function releaseTargetNames(release: Pick<StoredRelease, 'product' | 'version'>): { torrent: string; manifest: string } {
  const dir = `${release.product}/${release.version}`;
  return { torrent: `${dir}/release.torrent`, manifest: `${dir}/manifest.json` };
}

/** The signed custom field of both targets of a built release. */
export function customOf(release: StoredRelease): NonNullable<TargetInput['custom']> {
  return releaseCustom({
    product: release.product,
    version: release.version,
    channel: release.channel,
    infoHashV1: release.infoHashV1 ?? null,
    infoHashV2: release.infoHashV2 ?? null,
    files: release.files,
  });
}

/** Whether two custom fields are equal as signed (canonical JSON: key order does not matter). */
export function sameCustom(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))) : item,
  );
}
