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
  // Each candidate's group (or EXCLUDED) first, then the groups in order, each appended to the answer and
  // shuffled there: the same draws and the same answer as shuffling four separate lists, without them
  // (an announce hands ~50 candidates through here).
  const count = candidates.length;
  if (groupOf.length < count) groupOf = new Uint8Array(Math.max(count, 2 * groupOf.length));
  let present = 0;
  for (let index = 0; index < count; index++) {
    const candidate = candidates[index];
    let group = EXCLUDED;
    if (!isRequester(candidate, requester) && !(requester.seeder && candidate.seeder)) {
      group = rank(candidate, requester);
      present |= 1 << group;
    }
    groupOf[index] = group;
  }
  const chosen: SwarmPeer[] = [];
  for (let group = SAME_ZONE; group <= OTHER && chosen.length < numWant; group++) {
    if ((present & (1 << group)) === 0) continue;
    const start = chosen.length;
    for (let index = 0; index < count; index++) if (groupOf[index] === group) chosen.push(candidates[index]);
    shuffle(chosen, start, random);
    if (chosen.length > numWant) chosen.length = numWant;
  }
  return chosen;
}

/** Scratch for selectPeers (which runs to completion: nothing else uses it meanwhile). */
let groupOf = new Uint8Array(256);
const EXCLUDED = 255;

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

/** Fisher-Yates over items[start..]; groups are small (the store hands over a bounded sample of the swarm). */
function shuffle<T>(items: T[], start: number, random: () => number): void {
  for (let index = items.length - 1; index > start; index--) {
    const other = start + Math.floor(random() * (index - start + 1));
    const item = items[index];
    items[index] = items[other];
    items[other] = item;
  }
}
