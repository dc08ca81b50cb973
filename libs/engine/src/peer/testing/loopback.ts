import type { EncryptionPolicy, ReservedFlags } from '@seedfleet/wire';
import { ConnectionLimits } from '../../net/connection-limits';
import { connectPeer, type EstablishedConnection } from '../../net/handshake-exchange';
import { type IncomingConnection, Listener } from '../../net/listener';
import { PeerConnection, type PeerConnectionInit } from '../peer-connection';
import type { PieceGeometry } from '../peer-options';
import { RecordingHandler } from './recording-handler';

export const infoHash = Buffer.alloc(20, 0xab);
export const acceptorId = Buffer.from('-SF0001-acceptor0001', 'latin1');
export const connectorId = Buffer.from('-SF0001-connector001', 'latin1');
export const allFlags: Partial<ReservedFlags> = { extensionProtocol: true, fastExtension: true, dht: true };

/** Uniform pieces of 64 KiB (four blocks). */
export function uniformGeometry(pieceCount: number, pieceSize = 64 * 1024): PieceGeometry {
  return { pieceCount, pieceSize: () => pieceSize };
}

/** Two sockets past a real handshake over 127.0.0.1: `accepted` on the listening side, `outgoing` on the other. */
export async function handshakenPair(
  acceptorFlags: Partial<ReservedFlags> = allFlags,
  connectorFlags: Partial<ReservedFlags> = allFlags,
  encryption: EncryptionPolicy = 'prefer',
): Promise<{ accepted: IncomingConnection<string>; outgoing: EstablishedConnection }> {
  let onAccepted!: (connection: IncomingConnection<string>) => void;
  const accepted = new Promise<IncomingConnection<string>>((resolve) => (onAccepted = resolve));
  const listener = new Listener<string>({
    host: '127.0.0.1',
    port: 0,
    limits: new ConnectionLimits(),
    infoHashes: () => [infoHash],
    route: (hash) => (hash.equals(infoHash) ? { torrent: 'torrent', peerId: acceptorId, flags: acceptorFlags } : undefined),
    onConnection: onAccepted,
  });
  const { port } = await listener.listen();
  const outcome = await connectPeer({ host: '127.0.0.1', port, infoHash, peerId: connectorId, flags: connectorFlags, encryption });
  const incoming = await accepted;
  listener.close();
  if (!outcome.ok) throw new Error(`handshake failed: ${outcome.reason.message}`);
  return { accepted: incoming, outgoing: outcome.value };
}

type PeerOptions = Omit<PeerConnectionInit, 'socket' | 'remote' | 'leftover' | 'handler' | 'localFlags'>;

/** Two started PeerConnections over loopback, each with a recording handler. */
export async function peerPair(
  options: { acceptor?: PeerOptions; connector?: PeerOptions; acceptorFlags?: Partial<ReservedFlags>; connectorFlags?: Partial<ReservedFlags>; encryption?: EncryptionPolicy } = {},
) {
  const acceptorFlags = options.acceptorFlags ?? allFlags;
  const connectorFlags = options.connectorFlags ?? allFlags;
  const { accepted, outgoing } = await handshakenPair(acceptorFlags, connectorFlags, options.encryption);
  const acceptorEvents = new RecordingHandler();
  const connectorEvents = new RecordingHandler();
  const acceptor = new PeerConnection({ ...accepted, localFlags: acceptorFlags, handler: acceptorEvents, geometry: uniformGeometry(20), ...options.acceptor });
  const connector = new PeerConnection({ ...outgoing, localFlags: connectorFlags, handler: connectorEvents, geometry: uniformGeometry(20), ...options.connector });
  return { acceptor, connector, acceptorEvents, connectorEvents, sockets: { acceptor: accepted.socket, connector: outgoing.socket } };
}
