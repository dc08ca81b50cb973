import { connect, type Socket } from 'node:net';
import { encodeHandshake, HANDSHAKE_LENGTH, type Handshake, type HandshakeHead, parseHandshake, parseHandshakeHead, type ReservedFlags } from '@seedfleet/wire';
import type { DhtPortExchange } from '../peer/dht-port';
import { type DisconnectReason, disconnectReason, reasonFromError } from '../peer/disconnect-reason';

/** A failed exchange carries the reason; the socket is destroyed by then. Nothing here rejects or throws. */
export type HandshakeOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: DisconnectReason };

/** A socket past the handshake, paused, ready for a PeerConnection. */
export interface EstablishedConnection {
  readonly socket: Socket;
  readonly remote: Handshake;
  /** Bytes the peer sent after its handshake in the same chunk: the start of its message stream. */
  readonly leftover: Buffer;
  /** The session's DHT node for PORT messages (BEP 5), carried to the PeerConnection. */
  readonly dht?: DhtPortExchange;
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** The torrent's v1 info hash, or its v2 one (truncated to 20 bytes on the wire, BEP 52). */
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly flags: Partial<ReservedFlags>;
  readonly dht?: DhtPortExchange;
  /** For connect and handshake together (default 10 s). */
  readonly timeoutMs?: number;
}

/**
 * Connects and exchanges handshakes: ours goes out at once, theirs must carry our info hash and a peer id
 * that is not ours. Throws only for bad arguments (an info hash or peer id of the wrong size), before
 * connecting; every network outcome resolves.
 */
export function connectPeer(options: ConnectOptions): Promise<HandshakeOutcome<EstablishedConnection>> {
  const handshake = encodeHandshake(options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const startedAt = Date.now();
  const wireHash = Buffer.from(options.infoHash.subarray(0, 20));
  const socket = connect({ host: options.host, port: options.port });
  return new Promise((resolve) => {
    const fail = (reason: DisconnectReason): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, reason });
    };
    const timer = setTimeout(() => fail(disconnectReason('timeout', `connecting to ${options.host}:${options.port} took over ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', (error) => fail(disconnectReason('connect-failed', `connecting to ${options.host}:${options.port}: ${error.message}`, error)));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      socket.write(handshake);
      const checkHead = (head: HandshakeHead): DisconnectReason | undefined =>
        head.infoHash.equals(wireHash) ? undefined : disconnectReason('info-hash-mismatch', `the peer answered for info hash ${head.infoHash.toString('hex')}`);
      const outcome = readHandshake(socket, Math.max(1, timeoutMs - (Date.now() - startedAt)), checkHead, () => Buffer.from(options.peerId));
      resolve(options.dht === undefined ? outcome : outcome.then((result) => (result.ok ? { ok: true, value: { ...result.value, dht: options.dht } } : result)));
    });
  });
}

/** Who answers an incoming handshake for a torrent. */
export interface IncomingRoute<Torrent> {
  readonly torrent: Torrent;
  readonly peerId: Uint8Array;
  readonly flags: Partial<ReservedFlags>;
  readonly dht?: DhtPortExchange;
}

export interface AcceptOptions<Torrent> {
  /** Finds the torrent for the 20 bytes the peer sent: a v1 info hash or a truncated v2 one. */
  readonly route: (infoHash: Buffer) => IncomingRoute<Torrent> | undefined;
  /** Last word before we answer (per-torrent limits, bans): a reason refuses the peer. */
  readonly admit?: (torrent: Torrent) => DisconnectReason | undefined;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * The accepting side: reads the first 48 bytes to learn the info hash, routes it, answers with our
 * handshake for that torrent (echoing the 20 bytes the peer sent), then reads the peer id.
 */
export async function acceptHandshake<Torrent>(
  socket: Socket,
  options: AcceptOptions<Torrent>,
): Promise<HandshakeOutcome<EstablishedConnection & { readonly torrent: Torrent }>> {
  let route: IncomingRoute<Torrent> | undefined;
  const answer = (head: HandshakeHead): DisconnectReason | undefined => {
    route = options.route(head.infoHash);
    if (!route) return disconnectReason('unknown-torrent', `no torrent with info hash ${head.infoHash.toString('hex')}`);
    const refusal = options.admit?.(route.torrent);
    if (refusal) return refusal;
    socket.write(encodeHandshake({ flags: route.flags, infoHash: head.infoHash, peerId: route.peerId }));
    return undefined;
  };
  socket.setNoDelay(true);
  const outcome = await readHandshake(socket, options.timeoutMs ?? 10_000, answer, () => (route ? Buffer.from(route.peerId) : undefined));
  if (!outcome.ok) return outcome;
  const { torrent, dht } = route as IncomingRoute<Torrent>;
  return { ok: true, value: { ...outcome.value, torrent, dht } };
}

/**
 * Reads the peer's handshake. `onHead` sees the first 48 bytes and may refuse; a peer id equal to
 * `ownPeerId()` is a connection to ourselves. Garbage is refused from its first wrong byte.
 */
function readHandshake(
  socket: Socket,
  timeoutMs: number,
  onHead: (head: HandshakeHead) => DisconnectReason | undefined,
  ownPeerId: () => Buffer | undefined,
): Promise<HandshakeOutcome<EstablishedConnection>> {
  return new Promise((resolve) => {
    let received: Buffer = Buffer.alloc(0);
    let headSeen = false;
    let done = false;
    const finish = (outcome: HandshakeOutcome<EstablishedConnection>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.pause();
      socket.off('data', onData).off('error', onError).off('close', onClose).off('end', onClose);
      if (outcome.ok) {
        // Until a PeerConnection adds its own listener, an error must not crash the process; the
        // connection notices the destroyed socket when it starts.
        socket.on('error', ignore);
      } else {
        socket.destroy();
      }
      resolve(outcome);
    };
    const fail = (reason: DisconnectReason): void => finish({ ok: false, reason });
    const onData = (chunk: Buffer): void => {
      // Only the handshake's 68 bytes accumulate here, and only once: a concat per chunk is fine.
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      try {
        if (!headSeen) {
          const head = parseHandshakeHead(received);
          if (!head) return;
          headSeen = true;
          const refusal = onHead(head);
          if (refusal) return fail(refusal);
        }
        const remote = parseHandshake(received);
        if (!remote) return;
        if (remote.peerId.equals(ownPeerId() ?? Buffer.alloc(0))) return fail(disconnectReason('self-connection', 'connected to ourselves'));
        finish({ ok: true, value: { socket, remote, leftover: received.subarray(HANDSHAKE_LENGTH) } });
      } catch (error) {
        fail(reasonFromError(error, 'reading the handshake'));
      }
    };
    const onError = (error: Error): void => fail(disconnectReason('socket-error', `during the handshake: ${error.message}`, error));
    const onClose = (): void => fail(disconnectReason('closed-by-peer', 'the peer closed the connection during the handshake'));
    const timer = setTimeout(() => fail(disconnectReason('timeout', `no handshake within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', onData).on('error', onError).on('close', onClose).on('end', onClose);
    socket.resume();
  });
}

function ignore(): void {}
