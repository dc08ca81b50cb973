import type { FetchPlan } from './fetch-plan';
import { PieceCollector } from './piece-collector';
import { fetchRange, type RangeRequestContext } from './range-request';
import type { RequestTarget } from './request-target';
import { abortError, type SeedBackoff } from './seed-backoff';
import { asWebSeedError, type WebSeedError } from './web-seed-error';

export interface PieceRunContext {
  readonly request: Omit<RangeRequestContext, 'signal'>;
  readonly backoff: SeedBackoff;
  readonly maxAttempts: number;
  /** Where file `fileIndex` is fetched from (built lazily; may throw a 'bad-url' WebSeedError). */
  readonly targetOf: (fileIndex: number) => RequestTarget;
  readonly fileLength: (fileIndex: number) => number;
  readonly signal: AbortSignal;
  /** A complete piece; the buffer is the caller's from now on. */
  readonly onPiece: (index: number, data: Buffer) => void;
  /** Body bytes accepted into piece buffers. */
  readonly onBytes: (bytes: number) => void;
  /** Every failure, retried or not (for stats and strikes). */
  readonly onFailure: (error: WebSeedError) => void;
}

export interface PieceRunResult {
  readonly delivered: number[];
  readonly undelivered: number[];
  /** Why the run stopped short; absent when every piece was delivered. */
  readonly error?: WebSeedError;
}

/**
 * Fetches a plan's segments in order, one Range request after the other, and delivers pieces as they
 * fill. A retryable failure (reset, stall, slow drip, 5xx, 503) waits out the seed's backoff and asks for
 * the rest of the segment only, keeping the bytes already in; at most `maxAttempts` failures per run.
 *
 * The last chunk of a response is held until the response ended cleanly: were the body to run on past
 * the range, the piece it completes would be built from a reply we refuse; held back, a retry asks for
 * those bytes again.
 */
export async function runPlan(plan: FetchPlan, context: PieceRunContext): Promise<PieceRunResult> {
  const collector = new PieceCollector(plan);
  const delivered: number[] = [];
  const deliver = (index: number) => {
    context.onPiece(index, collector.take(index));
    delivered.push(index);
  };
  const result = (error?: WebSeedError): PieceRunResult => {
    collector.clear();
    const had = new Set(delivered);
    const undelivered = plan.pieces.map((piece) => piece.index).filter((index) => !had.has(index));
    return error ? { delivered, undelivered, error } : { delivered, undelivered };
  };

  collector.padOnlyPieces().forEach(deliver);
  let failures = 0;
  for (let segment = collector.segment; segment; segment = collector.segment) {
    let url = `file ${segment.fileIndex}`;
    try {
      await context.backoff.wait(context.signal);
      const target = context.targetOf(segment.fileIndex);
      url = target.url;
      const range = { start: segment.fileOffset + collector.received, length: collector.remainingInSegment, fileLength: context.fileLength(segment.fileIndex) };
      let left = range.length;
      let last: Buffer | undefined;
      await fetchRange(
        target,
        range,
        (chunk) => {
          left -= chunk.length;
          context.onBytes(chunk.length);
          if (left === 0) last = chunk;
          else collector.write(chunk).forEach(deliver);
        },
        { ...context.request, signal: context.signal },
      );
      if (last) collector.write(last).forEach(deliver);
      context.backoff.succeeded();
    } catch (caught) {
      const error = context.signal.aborted ? abortError(context.signal, url) : asWebSeedError(caught, url);
      context.onFailure(error);
      if (context.signal.aborted || !error.retryable || ++failures >= context.maxAttempts) return result(error);
      context.backoff.failed(error);
    }
  }
  return result();
}
