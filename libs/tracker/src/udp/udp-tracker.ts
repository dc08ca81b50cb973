import { compactAddress, peerAddress } from '../core/address';
import { isFailure } from '../core/failure';
import type { Tracker, TrackerClock } from '../core/tracker';
import type { ConnectionIds } from './connection-ids';
import { decodeUdpRequest, encodeAnnounceReply, encodeConnectReply, encodeErrorReply, encodeScrapeReply, type UdpRequest } from './udp-messages';

export interface Datagram {
  readonly address: string;
  readonly port: number;
}

/**
 * The UDP tracker (BEP 15) as a function from datagram to reply datagram. Undefined means "drop": garbage
 * gets no answer, so the tracker cannot be used to reflect traffic at a spoofed address. Replies to
 * requests without a valid connection id are error datagrams smaller than the request, for the same reason.
 * Never throws; a store outage is an error datagram.
 */
export class UdpTracker {
  constructor(
    private readonly tracker: Tracker,
    private readonly connectionIds: ConnectionIds,
    private readonly clock: TrackerClock = { now: () => Date.now() },
  ) {}

  async handle(message: Buffer, from: Datagram): Promise<Buffer | undefined> {
    const request = decodeUdpRequest(message);
    const source = peerAddress(from.address, from.port);
    if (!request || !source) return undefined;
    if (request.action === 'connect') return encodeConnectReply(request.transactionId, this.connectionIds.issue(source.ip, this.clock.now()));
    if (!this.connectionIds.isValid(request.connectionId, source.ip, this.clock.now())) return encodeErrorReply(request.transactionId, 'bad connection id');
    try {
      return await this.answer(request, source.ip);
    } catch {
      return encodeErrorReply(request.transactionId, 'tracker temporarily unavailable');
    }
  }

  private async answer(request: Exclude<UdpRequest, { action: 'connect' }>, ip: string): Promise<Buffer> {
    if (this.tracker.isPrivate) return encodeErrorReply(request.transactionId, 'private tracker: announce over HTTP with your passkey');
    if (request.action === 'scrape') {
      const reply = await this.tracker.scrape(request.infoHashes);
      if (isFailure(reply)) return encodeErrorReply(request.transactionId, reply.reason);
      const empty = { complete: 0, downloaded: 0, incomplete: 0 };
      return encodeScrapeReply(request.transactionId, request.infoHashes.map((hash) => reply.files.get(hash.toString('hex')) ?? empty));
    }
    const address = peerAddress(ip, request.port);
    if (!address || request.port === 0 || request.left < 0n) return encodeErrorReply(request.transactionId, 'bad announce: port must be 1-65535 and left non-negative');
    const reply = await this.tracker.announce({
      infoHash: request.infoHash,
      peerId: request.peerId,
      address,
      event: request.event,
      seeder: request.left === 0n,
      numWant: this.tracker.numWant(request.numWant < 0 ? undefined : request.numWant),
    });
    if (isFailure(reply)) return encodeErrorReply(request.transactionId, reply.reason);
    // A UDP reply carries one address family: the one the request came over.
    const peers = reply.peers.filter((peer) => peer.address.family === address.family).map((peer) => compactAddress(peer.address));
    return encodeAnnounceReply(request.transactionId, reply.intervalSeconds, reply.incomplete, reply.complete, peers);
  }
}
