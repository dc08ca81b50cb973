import { createHash } from 'node:crypto';
import { BLOCK_SIZE } from '../policy';

interface SuspectBlock {
  readonly block: number;
  readonly sender: string;
  readonly digest: Buffer;
}

/** Failed pieces remembered at once; beyond this the oldest record goes (memory stays bounded). */
const MAX_RECORDS = 256;

/**
 * Finds who sent bad data (libtorrent's smart ban). A failed piece sent by one peer convicts it at once.
 * A failed piece with several senders convicts nobody yet: each block's digest is kept, and when the
 * piece later passes, the senders whose blocks differ from the good bytes are the culprits. Honest peers
 * sharing a piece with a liar are never blamed.
 */
export class SmartBan {
  private readonly suspects = new Map<number, SuspectBlock[]>();

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
    return [];
  }

  /** The piece passed: the peers whose earlier blocks differ from these bytes. */
  verified(index: number, data: Buffer): string[] {
    const record = this.suspects.get(index);
    if (!record) return [];
    this.suspects.delete(index);
    const guilty = new Set<string>();
    for (const suspect of record) if (!suspect.digest.equals(blockDigest(data, suspect.block))) guilty.add(suspect.sender);
    return [...guilty];
  }
}

function blockDigest(data: Buffer, block: number): Buffer {
  return createHash('sha1').update(data.subarray(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE)).digest();
}
