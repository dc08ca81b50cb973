import type { Socket } from 'node:net';
import {
  cryptoProvide,
  encodeHandshake,
  type EncryptionPolicy,
  HANDSHAKE_LENGTH,
  type Handshake,
  type HandshakeHead,
  MseInitiator,
  MseResponder,
  parseHandshake,
  parseHandshakeHead,
  type Rc4,
  type ReservedFlags,
  secretKeyIndex,
  selectCryptoMethod,
  type StreamCipher,
} from '@seedfleet/wire';
import { type ChunkSource, SocketChunks } from '../peer/chunk-source';
import type { DhtPortExchange } from '../peer/dht-port';
import { type DisconnectReason, disconnectReason, reasonFromError } from '../peer/disconnect-reason';
import { exchangeMse } from './mse-exchange';
import { dialWithSharedReads } from './shared-buffer-reads';

/** A failed exchange carries the reason; the socket is destroyed by then. Nothing here rejects or throws. */
export type HandshakeOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: DisconnectReason };

/** A socket past the handshake, paused, ready for a PeerConnection. */
export interface EstablishedConnection {
  readonly socket: Socket;
  /** The socket's incoming bytes from here on (paused until a consumer is set). */
  readonly input: ChunkSource;
  readonly remote: Handshake;
  /** Bytes the peer sent after its handshake in the same chunk: the start of its message stream. */
  readonly leftover: Buffer;
  /** The session's DHT node for PORT messages (BEP 5), carried to the PeerConnection. */
  readonly dht?: DhtPortExchange;
  /** Set when MSE negotiated RC4: every later byte goes through it (leftover is already decrypted). */
  readonly cipher?: StreamCipher;
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** The torrent's v1 info hash, or its v2 one (truncated to 20 bytes on the wire, BEP 52). */
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly flags: Partial<ReservedFlags>;
  readonly dht?: DhtPortExchange;
  /** For connect and handshake together (default 10 s; a plaintext retry after MSE gets as long again). */
  readonly timeoutMs?: number;
  /** Message Stream Encryption (default 'prefer': MSE first, plaintext if that fails). See EncryptionPolicy. */
  readonly encryption?: EncryptionPolicy;
}

/**
 * Connects and exchanges handshakes: ours goes out at once, theirs must carry our info hash and a peer id
 * that is not ours. Throws only for bad arguments (an info hash or peer id of the wrong size), before
 * connecting; every network outcome resolves.
 */
export async function connectPeer(options: ConnectOptions): Promise<HandshakeOutcome<EstablishedConnection>> {
  const handshake = encodeHandshake(options);
  const policy = options.encryption ?? 'prefer';
  if (policy === 'off') return withDht(await dialOnce(options, handshake, false), options.dht);
  const encrypted = await dialOnce(options, handshake, true);
  // libtorrent's pe_enabled does the same: a peer that failed MSE (closed, garbage, a plaintext answer) gets one plaintext try.
  if (encrypted.ok || policy === 'require' || !encrypted.retryPlaintext) return withDht(encrypted, options.dht);
  return withDht(await dialOnce(options, handshake, false), options.dht);
}

type DialOutcome = HandshakeOutcome<EstablishedConnection> & { readonly retryPlaintext?: boolean };

function withDht(outcome: DialOutcome, dht: DhtPortExchange | undefined): HandshakeOutcome<EstablishedConnection> {
  if (!outcome.ok) return { ok: false, reason: outcome.reason };
  return dht === undefined ? outcome : { ok: true, value: { ...outcome.value, dht } };
}

/** One connection attempt: TCP connect, then MSE (with our handshake as its initial payload) or a plaintext handshake. */
function dialOnce(options: ConnectOptions, handshake: Buffer, mse: boolean): Promise<DialOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const startedAt = Date.now();
  const remaining = (): number => Math.max(1, timeoutMs - (Date.now() - startedAt));
  const wireHash = Buffer.from(options.infoHash.subarray(0, 20));
  const { socket, input } = dialWithSharedReads(options.host, options.port);
  const checkHead = (head: HandshakeHead): DisconnectReason | undefined =>
    head.infoHash.equals(wireHash) ? undefined : disconnectReason('info-hash-mismatch', `the peer answered for info hash ${head.infoHash.toString('hex')}`);
  const ownPeerId = (): Buffer => Buffer.from(options.peerId);
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
      if (!mse) {
        socket.write(handshake);
        resolve(readHandshake(socket, input, remaining(), checkHead, ownPeerId));
        return;
      }
      const initiator = new MseInitiator({ infoHash: wireHash, provide: cryptoProvide(options.encryption ?? 'prefer'), initialPayload: handshake });
      void exchangeMse(socket, input, initiator, { first: initiator.start(), timeoutMs: remaining() }).then(async (negotiated) => {
        // A plaintext-only peer closes on (or answers) our Ya; one silent for the whole timeout is just gone.
        if (!negotiated.ok) return resolve({ ...negotiated, retryPlaintext: negotiated.reason.code !== 'timeout' });
        const { cipher, remainder } = negotiated.value;
        resolve(withCipher(await readHandshake(socket, input, remaining(), checkHead, ownPeerId, { initial: remainder, decrypt: cipher?.decrypt }), cipher));
      });
    });
  });
}

function withCipher(outcome: HandshakeOutcome<EstablishedConnection>, cipher: StreamCipher | undefined): HandshakeOutcome<EstablishedConnection> {
  return outcome.ok && cipher ? { ok: true, value: { ...outcome.value, cipher } } : outcome;
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
  /** Default 'prefer': plaintext and MSE handshakes; 'require' refuses plaintext ones, 'off' MSE ones. */
  readonly encryption?: EncryptionPolicy;
  /** The 20-byte info hashes served (v1 and truncated v2), to find the torrent of an MSE handshake. */
  readonly infoHashes?: () => Iterable<Uint8Array>;
}

/**
 * The accepting side: reads the first 48 bytes to learn the info hash, routes it, answers with our
 * handshake for that torrent (echoing the 20 bytes the peer sent), then reads the peer id.
 */
export async function acceptHandshake<Torrent>(
  socket: Socket,
  options: AcceptOptions<Torrent>,
): Promise<HandshakeOutcome<EstablishedConnection & { readonly torrent: Torrent }>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const startedAt = Date.now();
  const remaining = (): number => Math.max(1, timeoutMs - (Date.now() - startedAt));
  const policy = options.encryption ?? 'prefer';
  socket.setNoDelay(true);
  const input = new SocketChunks(socket);
  const peeked = await peekProtocol(socket, input, timeoutMs);
  if (!peeked.ok) return peeked;
  let initial = peeked.value.bytes;
  let cipher: StreamCipher | undefined;
  let mseHash: Buffer | undefined;
  if (peeked.value.plaintext ? policy === 'require' : policy === 'off') {
    socket.destroy();
    const refused = peeked.value.plaintext ? 'a plaintext handshake, and encryption is required' : 'an MSE handshake, and encryption is off';
    return { ok: false, reason: disconnectReason(peeked.value.plaintext ? 'encryption' : 'bad-handshake', `the peer sent ${refused}`) };
  }
  if (!peeked.value.plaintext) {
    const responder = new MseResponder({
      findSecretKey: secretKeyIndex(options.infoHashes?.() ?? []),
      select: (provided) => selectCryptoMethod(policy, provided),
    });
    const negotiated = await exchangeMse(socket, input, responder, { initial, timeoutMs: remaining() });
    if (!negotiated.ok) return negotiated;
    ({ cipher, infoHash: mseHash } = negotiated.value);
    initial = Buffer.concat([negotiated.value.initialPayload, negotiated.value.remainder]);
  }
  let route: IncomingRoute<Torrent> | undefined;
  const answer = (head: HandshakeHead): DisconnectReason | undefined => {
    if (mseHash && !head.infoHash.equals(mseHash)) return disconnectReason('info-hash-mismatch', 'the handshake names another torrent than the MSE handshake did');
    route = options.route(head.infoHash);
    if (!route) return disconnectReason('unknown-torrent', `no torrent with info hash ${head.infoHash.toString('hex')}`);
    const refusal = options.admit?.(route.torrent);
    if (refusal) return refusal;
    socket.write(encrypted(encodeHandshake({ flags: route.flags, infoHash: head.infoHash, peerId: route.peerId }), cipher?.encrypt));
    return undefined;
  };
  const ownPeerId = (): Buffer | undefined => (route ? Buffer.from(route.peerId) : undefined);
  const outcome = withCipher(await readHandshake(socket, input, remaining(), answer, ownPeerId, { initial, decrypt: cipher?.decrypt }), cipher);
  if (!outcome.ok) return outcome;
  const { torrent, dht } = route as IncomingRoute<Torrent>;
  return { ok: true, value: { ...outcome.value, torrent, dht } };
}

const PROTOCOL_PREFIX = Buffer.from('\x13BitTorrent protocol', 'latin1');

/**
 * Reads until the first bytes either are "\x13BitTorrent protocol" (a plaintext handshake) or cannot be:
 * anything else is taken for MSE's Ya. Like libtorrent, the whole 20 bytes decide, not the first byte
 * alone (1 in 256 public keys starts with 19).
 */
function peekProtocol(socket: Socket, input: ChunkSource, timeoutMs: number): Promise<HandshakeOutcome<{ plaintext: boolean; bytes: Buffer }>> {
  return new Promise((resolve) => {
    let bytes: Buffer = Buffer.alloc(0);
    const finish = (outcome: HandshakeOutcome<{ plaintext: boolean; bytes: Buffer }>): void => {
      clearTimeout(timer);
      input.setConsumer(undefined);
      socket.off('error', onError).off('close', onClose).off('end', onClose);
      if (outcome.ok) socket.on('error', ignore);
      else socket.destroy();
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      // A copy: the chunk is lent (ChunkSource).
      bytes = Buffer.concat([bytes, chunk]);
      const compared = Math.min(bytes.length, PROTOCOL_PREFIX.length);
      const matches = bytes.subarray(0, compared).equals(PROTOCOL_PREFIX.subarray(0, compared));
      if (!matches) finish({ ok: true, value: { plaintext: false, bytes } });
      else if (compared === PROTOCOL_PREFIX.length) finish({ ok: true, value: { plaintext: true, bytes } });
    };
    const onError = (error: Error): void => finish({ ok: false, reason: disconnectReason('socket-error', `during the handshake: ${error.message}`, error) });
    const onClose = (): void => finish({ ok: false, reason: disconnectReason('closed-by-peer', 'the peer closed the connection during the handshake') });
    const timer = setTimeout(() => finish({ ok: false, reason: disconnectReason('timeout', `no handshake within ${timeoutMs} ms`) }), timeoutMs);
    socket.on('error', onError).on('close', onClose).on('end', onClose);
    input.setConsumer(onData);
  });
}

/** A copy of `bytes` through the cipher (the original may still be in use), or `bytes` itself. */
function encrypted(bytes: Buffer, encrypt: Rc4 | undefined): Buffer {
  if (!encrypt) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  encrypt.xorInto(bytes, 0, bytes.length, out, 0);
  return out;
}

/**
 * Reads the peer's handshake. `onHead` sees the first 48 bytes and may refuse; a peer id equal to
 * `ownPeerId()` is a connection to ourselves. Garbage is refused from its first wrong byte.
 */
function readHandshake(
  socket: Socket,
  input: ChunkSource,
  timeoutMs: number,
  onHead: (head: HandshakeHead) => DisconnectReason | undefined,
  ownPeerId: () => Buffer | undefined,
  stream: { readonly initial?: Buffer; readonly decrypt?: Rc4 } = {},
): Promise<HandshakeOutcome<EstablishedConnection>> {
  return new Promise((resolve) => {
    let received: Buffer = Buffer.alloc(0);
    let headSeen = false;
    let done = false;
    const finish = (outcome: HandshakeOutcome<EstablishedConnection>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      input.setConsumer(undefined);
      socket.off('error', onError).off('close', onClose).off('end', onClose);
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
    const onData = (lent: Buffer): void => {
      // A copy: the chunk is lent (ChunkSource), and what follows the handshake becomes the leftover.
      const chunk = Buffer.from(lent);
      stream.decrypt?.xorInPlace(chunk);
      onBytes(chunk);
    };
    const onBytes = (chunk: Buffer): void => {
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
        finish({ ok: true, value: { socket, input, remote, leftover: received.subarray(HANDSHAKE_LENGTH) } });
      } catch (error) {
        fail(reasonFromError(error, 'reading the handshake'));
      }
    };
    const onError = (error: Error): void => fail(disconnectReason('socket-error', `during the handshake: ${error.message}`, error));
    const onClose = (): void => fail(disconnectReason('closed-by-peer', 'the peer closed the connection during the handshake'));
    const timer = setTimeout(() => fail(disconnectReason('timeout', `no handshake within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', onError).on('close', onClose).on('end', onClose);
    if (stream.initial && stream.initial.length > 0) onBytes(stream.initial);
    if (!done) input.setConsumer(onData);
  });
}

function ignore(): void {}
