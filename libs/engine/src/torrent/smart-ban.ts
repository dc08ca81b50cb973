import { createHash } from 'node:crypto';
import { BLOCK_SIZE } from '../policy';

interface SuspectBlock {
  readonly block: number;
  readonly sender: string;
  readonly digest: Buffer;
}

/** Failed pieces remembered at once; beyond this the oldest record goes (memory stays bounded). */
const MAX_RECORDS = 256;
/** Senders whose trust is remembered; beyond this the oldest entry goes. */
const MAX_TRUST_ENTRIES = 4096;
/** libtorrent's trust points: a failed piece costs each sender 2, a passed one earns 1 up to this... */
const MAX_TRUST = 8;
const FAILURE_COST = 2;
/** ...and a sender at or below this is banned (its fourth failed piece with no pass in between). */
const BAN_TRUST = -7;

/**
 * Finds who sent bad data (libtorrent's smart ban plus its trust points). A failed piece sent by one peer
 * convicts it at once. A failed piece with several senders convicts nobody yet: each block's digest is
 * kept, and when the piece later passes, the senders whose blocks differ from the good bytes are the
 * culprits. Honest peers sharing a piece with a liar are never blamed for it. Meanwhile every sender of a
 * failed piece loses trust and every sender of a passed one gains it: a peer that keeps taking part in
 * failures is banned after a few, even before any of those pieces passes. A sender without trust yet
 * (none of its pieces passed) is on probation: the requester gives it whole pieces to itself, so its
 * first bad piece names it alone.
 */
export class SmartBan {
  private readonly suspects = new Map<number, SuspectBlock[]>();
  private readonly trust = new Map<string, number>();

  /** The peers (by peer id hex) to ban now. */
  failed(index: number, data: Buffer, senders: readonly string[]): string[] {
    const distinct = new Set(senders.filter((sender) => sender !== undefined));
    if (distinct.size === 1) return [...distinct];
    const record = this.suspects.get(index) ?? [];
    senders.forEach((sender, block) => {
      if (sender !== undefined) record.push({ block, sender, digest: blockDigest(data, block) });
    });
    this.suspects.delete(index);
    this.suspects.set(index, record);
    if (this.suspects.size > MAX_RECORDS) this.suspects.delete(this.suspects.keys().next().value as number);
    const distrusted: string[] = [];
    for (const sender of distinct) {
      const trust = this.adjust(sender, -FAILURE_COST);
      if (trust <= BAN_TRUST) distrusted.push(sender);
    }
    return distrusted;
  }

  /** The piece passed: the peers whose earlier blocks differ from these bytes; the senders of these bytes gain trust. */
  verified(index: number, data: Buffer, senders: readonly string[] = []): string[] {
    for (const sender of new Set(senders)) if (sender !== undefined) this.adjust(sender, 1);
    const record = this.suspects.get(index);
    if (!record) return [];
    this.suspects.delete(index);
    const guilty = new Set<string>();
    for (const suspect of record) if (!suspect.digest.equals(blockDigest(data, suspect.block))) guilty.add(suspect.sender);
    return [...guilty];
  }

  /** No piece the sender took part in has passed since its last failure: give it whole pieces of its own. */
  onProbation(sender: string): boolean {
    return (this.trust.get(sender) ?? 0) <= 0;
  }

  private adjust(sender: string, by: number): number {
    const trust = Math.min(MAX_TRUST, (this.trust.get(sender) ?? 0) + by);
    this.trust.delete(sender);
    this.trust.set(sender, trust);
    if (this.trust.size > MAX_TRUST_ENTRIES) this.trust.delete(this.trust.keys().next().value as string);
    return trust;
  }
}

function blockDigest(data: Buffer, block: number): Buffer {
  return createHash('sha1').update(data.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE)).digest();
}
