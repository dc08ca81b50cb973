import type { Requester } from './requester';
import type { SmartBan } from './smart-ban';
import type { TorrentCore } from './torrent-core';

export interface PieceOutcomeHooks {
  /** A sender (a peer id in hex or a web seed's source name, as the assembler records it) sent bad data for `index`. */
  readonly convict: (sender: string, index: number, why: string) => void;
  readonly requester: Requester;
  readonly smartBan: SmartBan;
  /** A piece was stored (progress, the 'piece' event). */
  readonly onStored: (index: number) => void;
  /** The last piece was stored. */
  readonly onFinished: () => void;
  /** Pieces are wanted again or room was freed: other sources may start more. */
  readonly onWanted: () => void;
}

/**
 * What follows a piece's hash check: a stored piece is announced to peers and clears or convicts the
 * senders SmartBan suspected; a failed piece convicts its sole sender, frees its blocks and makes the
 * piece wanted again.
 */
export class PieceOutcomes {
  constructor(
    private readonly core: TorrentCore,
    private readonly hooks: PieceOutcomeHooks,
  ) {}

  stored(index: number, data: Buffer, senders: readonly string[] = []): void {
    const { convict, smartBan } = this.hooks;
    for (const sender of smartBan.verified(index, data, senders)) convict(sender, index, `sent bad data for piece ${index}`);
    for (const peer of this.core.peers.values()) {
      if (!peer.connection.pieces?.has(index)) peer.connection.have(index);
    }
    this.hooks.onStored(index);
    if (this.core.have.isFull) return this.hooks.onFinished();
    this.hooks.requester.fillAll();
    this.hooks.onWanted();
  }

  /** A piece failed its hash: SmartBan names the culprits, now, after repeated failures, or once the piece passes. */
  failed(index: number, data: Buffer, senders: readonly string[]): void {
    const { convict, requester, smartBan } = this.hooks;
    requester.dropIdleBuffers([index]);
    for (const sender of smartBan.failed(index, data, senders)) convict(sender, index, `sent data for piece ${index} that failed its hash check`);
    // The piece is wanted again: peers we lost interest in while it was verifying may have it.
    for (const peer of this.core.peers.values()) {
      if (!peer.connection.amInterested) requester.updateInterest(peer);
    }
    requester.fillAll();
    this.hooks.onWanted();
  }
}
