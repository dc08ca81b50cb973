/**
 * The IP address each recent peer id connected from, so a peer convicted after it left (SmartBan convicts
 * when the piece it poisoned finally passes) can still be banned by address. Bounded: the oldest go.
 */
export class PeerAddresses {
  private readonly byPeerId = new Map<string, string>();

  constructor(private readonly maxEntries = 4096) {}

  remember(peerIdHex: string, ip: string): void {
    this.byPeerId.delete(peerIdHex);
    this.byPeerId.set(peerIdHex, ip);
    if (this.byPeerId.size > this.maxEntries) this.byPeerId.delete(this.byPeerId.keys().next().value as string);
  }

  addressOf(peerIdHex: string): string | undefined {
    return this.byPeerId.get(peerIdHex);
  }
}
