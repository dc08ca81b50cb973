import type { ScrapeResult } from '../types';
import { TrackerError } from '../tracker-error';
import { TrackerDict } from './tracker-dict';

/** An HTTP scrape answer (BEP 48): `files` maps 20-byte info hashes to their counts. Throws only TrackerError. */
export function parseScrapeResponse(body: Buffer, url: string): ScrapeResult {
  const dict = TrackerDict.decode(body, url);
  const failure = dict.text('failure reason');
  if (failure !== undefined) throw new TrackerError('failure', url, `the tracker refused: ${failure}`);
  const files = dict.dictionary('files');
  if (files === undefined) throw dict.bad('"files" is missing');
  const result: ScrapeResult = new Map();
  for (const [key] of files.entries()) {
    const infoHash = Buffer.from(key, 'latin1');
    if (infoHash.length !== 20) throw dict.bad(`a "files" key is ${infoHash.length} bytes, not an info hash`);
    const counts = files.dictionary(key)!;
    result.set(infoHash.toString('hex'), {
      complete: counts.count('complete') ?? 0,
      downloaded: counts.count('downloaded') ?? 0,
      incomplete: counts.count('incomplete') ?? 0,
    });
  }
  return result;
}
