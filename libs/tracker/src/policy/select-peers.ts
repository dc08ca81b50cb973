import { type Locality, type MemberBytes, PEER_ID_LENGTH, type PeerAddress, type SwarmPeer } from '../core/types';

export interface Requester {
  readonly peerId: Buffer;
  readonly address: PeerAddress;
  /** Peer id + compact address, to compare with candidates' `member` in place. */
  readonly member?: MemberBytes;
  readonly seeder: boolean;
  readonly locality: Locality;
}

/**
 * The peers to hand to `requester`, best first, at most `numWant`:
 * never the requester itself (same peer id, or same address and port); no seeders for a seeder (they have
 * nothing to trade); then peers in the requester's zone, then its region, then seeders, then the rest,
 * each group shuffled with `random` so load spreads evenly. Pure: the same inputs give the same answer.
 */
export function selectPeers(candidates: readonly SwarmPeer[], requester: Requester, numWant: number, random: () => number): SwarmPeer[] {
  if (numWant <= 0) return [];
  const groups: SwarmPeer[][] = [[], [], [], []];
  for (const candidate of candidates) {
    if (isRequester(candidate, requester)) continue;
    if (requester.seeder && candidate.seeder) continue;
    groups[rank(candidate, requester)].push(candidate);
  }
  const chosen: SwarmPeer[] = [];
  for (const group of groups) {
    if (chosen.length >= numWant) break;
    shuffle(group, random);
    chosen.push(...group.slice(0, numWant - chosen.length));
  }
  return chosen;
}

const SAME_ZONE = 0;
const SAME_REGION = 1;
const SEEDER = 2;
const OTHER = 3;

function rank(candidate: SwarmPeer, requester: Requester): number {
  const { zone, region } = requester.locality;
  if (zone !== '' && candidate.locality.zone === zone) return SAME_ZONE;
  if (region !== '' && candidate.locality.region === region) return SAME_REGION;
  return candidate.seeder ? SEEDER : OTHER;
}

function isRequester(candidate: SwarmPeer, requester: Requester): boolean {
  if (candidate.member && requester.member) return sameMemberPart(candidate.member, requester.member);
  if (sameBytes(candidate.peerId, requester.peerId)) return true;
  return candidate.address.ip === requester.address.ip && candidate.address.port === requester.address.port;
}

/** Same peer id (the first PEER_ID_LENGTH bytes), or same compact address (the rest), compared in place. */
function sameMemberPart(a: MemberBytes, b: MemberBytes): boolean {
  let samePeerId = true;
  for (let index = PEER_ID_LENGTH - 1; index >= 0 && samePeerId; index--) samePeerId = a.bytes[a.start + index] === b.bytes[b.start + index];
  const length = a.end - a.start;
  if (samePeerId || length !== b.end - b.start) return samePeerId;
  for (let index = length - 1; index >= PEER_ID_LENGTH; index--) if (a.bytes[a.start + index] !== b.bytes[b.start + index]) return false;
  return true;
}

/** Buffer.equals behind a check of the last byte (a port's or a peer id's random tail): most pairs differ there, and it saves a native call per candidate. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a[a.length - 1] === b[b.length - 1] && a.equals(b);
}

/** Fisher-Yates; groups are small (the store hands over a bounded sample of the swarm). */
function shuffle<T>(items: T[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
}
